/**
 * Designer applications on real calls, on the designer's real runtime: a number names its voice app
 * by the application's name, the call layer reaches the relative `rcml_url` on the node's own HTTP port
 * with the node key, a run-time failure becomes a Notification of the call while the caller hears the
 * apology, and the controller is closed to anyone else. (The transfer through designer apps is
 * `transfer-templates.test.ts`.)
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ACCOUNT, SCENARIOS, startCallNode, waitFor, type CallNode } from '../calls/harness.js';
import { stopAll } from '../support/process.js';
import { runSipp } from '../support/sipp.js';

const ADMIN = 'Basic ' + Buffer.from('administrator@company.com:Str0ng!Passw0rd#2026').toString('base64');

let n: CallNode;
let host: string;

async function designer(method: string, path: string, init: { auth?: string | null; headers?: Record<string, string>; json?: unknown } = {}): Promise<Response> {
  const auth = init.auth === undefined ? ADMIN : init.auth;
  return fetch(`${host}/visual-designer/services${path}`, {
    method,
    headers: { ...init.headers, ...(auth === null ? {} : { authorization: auth }), ...(init.json === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
  });
}

/** A voice project whose start module holds `steps`, with its log on; returns its sid. */
async function project(name: string, steps: readonly Record<string, unknown>[]): Promise<string> {
  const created = await designer('POST', `/projects?name=${encodeURIComponent(name)}&kind=voice`);
  assert.equal(created.status, 200, await created.clone().text());
  const { sid } = (await created.json()) as { sid: string };
  const state = {
    header: { projectKind: 'voice', startNodeName: 'start', version: '1.15', owner: 'administrator@company.com' },
    nodes: [{ name: 'start', label: 'Welcome', kind: 'voice', steps: steps.map((s, i) => ({ name: `step${i + 1}`, label: String(s.kind), title: String(s.kind), ...s })) }],
    lastStepId: steps.length,
    lastNodeId: 0,
  };
  const saved = await designer('POST', `/projects/${sid}`, { json: state });
  assert.deepEqual(await saved.json(), { rvdStatus: 'OK' });
  assert.equal((await designer('POST', `/projects/${sid}/settings`, { json: { logging: true, loggingRCML: true } })).status, 200);
  return sid;
}

async function number(form: Record<string, string>): Promise<Record<string, unknown>> {
  const r = await fetch(`${host}/restcomm/2012-04-24/Accounts/${ACCOUNT}/IncomingPhoneNumbers.json`, {
    method: 'POST',
    headers: { authorization: ADMIN, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ isSIP: 'true', ...form }).toString(),
  });
  assert.equal(r.status, 200, await r.clone().text());
  return (await r.json()) as Record<string, unknown>;
}

async function logOf(sid: string): Promise<string> {
  return (await designer('GET', `/apps/${sid}/log`)).text();
}

before(async () => {
  n = await startCallNode();
  host = `http://127.0.0.1:${n.node.httpPort}`;
});

after(async () => {
  await stopAll();
  await n.stop();
});

test('a number whose VoiceApplicationSid is a designer app by name: the call reaches its controller on the node and runs its steps', async () => {
  const sid = await project('busy line', [{ kind: 'reject', reason: 'busy' }]);
  const created = await number({ PhoneNumber: '+15554001', VoiceApplicationSid: 'busy line' });
  assert.equal(created.voice_application_sid, sid);
  assert.equal(created.voice_application_name, 'busy line');
  const r = await runSipp({ scenario: { file: join(SCENARIOS, 'uac-fail.xml') }, remote: n.remote, service: '+15554001', name: 'alice-busy' });
  assert.equal(r.failed, 0, r.errors || r.output);
  assert.equal(Number([...r.messages.matchAll(/SIP\/2\.0 ([3-6]\d\d) /g)].at(-1)?.[1]), 486, 'the designer app\'s Reject ran');
  const log = await logOf(sid);
  assert.match(log, /Running target: start/);
  assert.match(log, /<Reject reason="busy"\/>/);
});

test('a run-time failure becomes a Notification of the call, and the caller hears the apology before the hang-up', async () => {
  // Nothing listens on port 9 of the loopback: the External Service request fails to connect (15114).
  const sid = await project('broken', [{ kind: 'externalService', url: 'http://127.0.0.1:9/lookup', doRouting: false }, { kind: 'say', phrase: 'never said' }]);
  await number({ PhoneNumber: '+15554002', VoiceApplicationSid: 'broken' });
  const r = await runSipp({ scenario: { file: join(SCENARIOS, 'uac-expect-bye.xml') }, remote: n.remote, service: '+15554002', name: 'alice-broken' });
  assert.equal(r.failed, 0, r.errors || r.output);
  const row = await waitFor('the Notification', () => n.node.store.db.selectFrom('notifications').selectAll().where('error_code', '=', 15114).executeTakeFirst());
  assert.equal(row.account_sid, ACCOUNT);
  assert.match(row.call_sid ?? '', /-CA[0-9a-f]{32}$/);
  assert.match(row.request_url ?? '', new RegExp(`/visual-designer/services/apps/${sid}/controller$`));
  const cdr = await waitFor('the CDR', async () => (await n.calls()).find((c) => c.sid === row.call_sid && c.status === 'completed'));
  assert.equal(cdr.recipient, '+15554002');
  const log = await logOf(sid);
  assert.match(log, /\[EXCEPTION\]/);
  assert.doesNotMatch(log, /never said/, 'the steps after the failure did not run');
  await n.waitIdle(10_000);
});

test('the controller is closed to callers without credentials or with a wrong key; Basic of the account opens it', async () => {
  const sid = await project('closed', [{ kind: 'say', phrase: 'hello' }]);
  assert.equal((await designer('POST', `/apps/${sid}/controller`, { auth: null })).status, 401);
  assert.equal((await designer('POST', `/apps/${sid}/controller`, { auth: null, headers: { 'X-Dialtone-Designer-Key': 'guess' } })).status, 401);
  const open = await designer('GET', `/apps/${sid}/controller?CallSid=CA1`);
  assert.equal(open.status, 200);
  assert.equal(open.headers.get('content-type'), 'application/xml');
  assert.match(await open.text(), /^<Response>\s*<Say[^>]*>hello<\/Say>\s*<\/Response>\s*$/);
});

test('the live tail streams what the runtime writes to the application log, as RVD lines', async () => {
  const sid = await project('tailed', [{ kind: 'say', phrase: 'hi' }]);
  const abort = new AbortController();
  const stream = await fetch(`${host}/visual-designer/services/apps/${sid}/log/stream`, { headers: { authorization: ADMIN }, signal: abort.signal });
  assert.equal(stream.status, 200);
  assert.match(stream.headers.get('content-type') ?? '', /^text\/event-stream/);
  const reader = stream.body?.getReader();
  assert.ok(reader);
  let seen = Buffer.from((await reader.read()).value ?? new Uint8Array()).toString('utf8');
  assert.equal((await designer('GET', `/apps/${sid}/controller?CallSid=CA2`)).status, 200);
  while (!seen.includes('</Response>')) {
    const chunk = await reader.read();
    if (chunk.done) break;
    seen += Buffer.from(chunk.value).toString('utf8');
  }
  abort.abort();
  assert.match(seen, /data: \[\w{3} \w{3} \d\d \d\d:\d\d:\d\d UTC \d{4}\] "Running target: start"\n\n/);
  assert.match(seen, /data: \[[^\]]+\] \[RCML\]  <Response>\ndata:   <Say[^>]*>hi<\/Say>\ndata: <\/Response>\n\n/);
  const file = await designer('GET', `/apps/${sid}/log`);
  assert.match(await file.text(), /\[[^\]]+\] "Running target: start"\n\[[^\]]+\] \[RCML\]  <Response>\n  <Say[^>]*>hi<\/Say>\n<\/Response>\n/);
});
