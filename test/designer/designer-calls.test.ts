/**
 * Designer applications on real calls: a number names its voice app and its Refer URL by the
 * applications' names, the call layer reaches the relative `rcml_url` on the node's own HTTP port with
 * the node key, and the controller hands the runtime the request. The runtime here is a throw-away
 * one that answers fixed RCML per project: the designer's real runtime is tested on its own.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { ControllerRequest, ControllerResult, RunController } from '../../src/designer/runtime/contract.js';
import { ACCOUNT, SCENARIOS, startCallNode, waitFor, type CallNode } from '../calls/harness.js';
import { refers } from '../calls/transfer-e2e/harness.js';
import { stopAll } from '../support/process.js';
import { runSipp, startSippUas } from '../support/sipp.js';

const ADMIN: [string, string] = ['administrator@company.com', 'Str0ng!Passw0rd#2026'];
const basic = ([u, p]: readonly [string, string]): string => 'Basic ' + Buffer.from(`${u}:${p}`).toString('base64');

let n: CallNode;
let host: string;
const seen: ControllerRequest[] = [];
/** What each project's controller answers, by project name. */
const answers = new Map<string, (r: ControllerRequest) => ControllerResult>();
const names = new Map<string, string>();

const runner: RunController = async (request) => {
  seen.push(request);
  const answer = answers.get(names.get(request.projectSid) ?? '');
  return answer ? answer(request) : { rcml: '<Response><Hangup/></Response>', failure: null };
};

async function designer(method: string, path: string, auth: readonly [string, string] | null = ADMIN, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${host}/visual-designer/services${path}`, { method, headers: { ...headers, ...(auth === null ? {} : { authorization: basic(auth) }) } });
}

async function project(name: string, answer: (r: ControllerRequest) => ControllerResult): Promise<string> {
  const r = await designer('POST', `/projects?name=${encodeURIComponent(name)}&kind=voice`);
  assert.equal(r.status, 200, await r.clone().text());
  const { sid } = (await r.json()) as { sid: string };
  names.set(sid, name);
  answers.set(name, answer);
  return sid;
}

async function number(form: Record<string, string>): Promise<Record<string, unknown>> {
  const r = await fetch(`${host}/restcomm/2012-04-24/Accounts/${ACCOUNT}/IncomingPhoneNumbers.json`, {
    method: 'POST',
    headers: { authorization: basic(ADMIN), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ isSIP: 'true', ...form }).toString(),
  });
  assert.equal(r.status, 200, await r.clone().text());
  return (await r.json()) as Record<string, unknown>;
}

const rcml = (body: string): ControllerResult => ({ rcml: `<Response>${body}</Response>`, failure: null });

before(async () => {
  n = await startCallNode({ designerRuntime: runner });
  host = `http://127.0.0.1:${n.node.httpPort}`;
  for (const login of ['bob', 'carol']) await n.addClient(login);
});

after(async () => {
  await stopAll();
  await n.stop();
});

async function failedCall(to: string): Promise<number> {
  const r = await runSipp({ scenario: { file: join(SCENARIOS, 'uac-fail.xml') }, remote: n.remote, service: to, name: `alice-${to}` });
  assert.equal(r.failed, 0, r.errors || r.output);
  const finals = [...r.messages.matchAll(/SIP\/2\.0 ([3-6]\d\d) /g)];
  return Number(finals.at(-1)?.[1]);
}

test('a number whose VoiceApplicationSid is a designer app by name: the call reaches its controller on the node', async () => {
  const sid = await project('busy line', () => rcml('<Reject reason="busy"/>'));
  const created = await number({ PhoneNumber: '+15554001', VoiceApplicationSid: 'busy line' });
  assert.equal(created.voice_application_sid, sid);
  assert.equal(created.voice_application_name, 'busy line');
  const before = seen.length;
  assert.equal(await failedCall('+15554001'), 486, 'the designer app\'s Reject ran');
  const request = seen[before];
  assert.ok(request);
  assert.equal(request.projectSid, sid);
  assert.equal(request.accountSid, ACCOUNT);
  assert.equal(request.controllerUrl, `${host}/visual-designer/services/apps/${sid}/controller`, 'the relative rcml_url resolved against the node');
  assert.equal(request.params.To, '+15554001');
  assert.match(request.params.CallSid ?? '', /^ID[0-9a-f]{32}-CA[0-9a-f]{32}$/);
  assert.equal(request.mediaUrl('a b.wav'), `${host}/visual-designer/services/projects/${sid}/wavs/a%20b.wav`);
});

test('a run-time failure becomes a Notification of the call, and the call gets the fallback the runtime chose', async () => {
  await project('broken', () => ({ rcml: '<Response><Reject reason="busy"/></Response>', failure: { code: 11205, message: 'External Service timed out' } }));
  await number({ PhoneNumber: '+15554002', VoiceApplicationSid: 'broken' });
  assert.equal(await failedCall('+15554002'), 486);
  const row = await waitFor('the Notification', () =>
    n.node.store.db.selectFrom('notifications').selectAll().where('error_code', '=', 11205).executeTakeFirst(),
  );
  assert.equal(row.account_sid, ACCOUNT);
  assert.equal(row.message_text, 'External Service timed out');
  assert.match(row.call_sid ?? '', /-CA[0-9a-f]{32}$/);
  const cdr = await waitFor('the CDR', async () => (await n.calls()).find((c) => c.sid === row.call_sid));
  assert.equal(cdr.recipient, '+15554002');
  assert.match(row.request_url ?? '', /\/visual-designer\/services\/apps\/AP[0-9a-f]{32}\/controller$/);
});

test('the controller is closed to callers without credentials or with a wrong key; Basic of the account opens it', async () => {
  const sid = await project('closed', () => rcml('<Hangup/>'));
  assert.equal((await designer('POST', `/apps/${sid}/controller`, null)).status, 401);
  assert.equal((await designer('POST', `/apps/${sid}/controller`, null, { 'X-Dialtone-Designer-Key': 'guess' })).status, 401);
  const open = await designer('GET', `/apps/${sid}/controller?CallSid=CA1`);
  assert.equal(open.status, 200);
  assert.equal(open.headers.get('content-type'), 'application/xml');
  assert.equal(await open.text(), '<Response><Hangup/></Response>');
});

test('the product page transfer: number A dials bob, its Refer URL is the refer app\'s name, which dials $core_ReferTarget', async () => {
  await project('dial bob', () => rcml('<Dial timeout="10"><Client>bob</Client></Dial>'));
  const referSid = await project('refer app', (r) => rcml(`<Dial timeout="10"><Client>${r.params.ReferTarget ?? ''}</Client></Dial>`));
  const numberA = await number({ PhoneNumber: '+15554003', VoiceApplicationSid: 'dial bob', ReferUrl: 'refer app' });
  assert.equal(numberA.refer_application_sid, referSid, 'ReferUrl given an application name sets ReferApplicationSid');
  assert.equal(numberA.refer_url, null);

  const carol = await startSippUas({ name: 'dv-carol', recvTimeoutMs: 20_000 });
  await n.bind('carol', carol.port);
  const bob = await startSippUas({ scenario: { file: join(SCENARIOS, 'transfer-referred-by.xml') }, vars: { target: `sip:carol@127.0.0.1:${n.node.sipPort}` }, name: 'dv-bob', recvTimeoutMs: 20_000 });
  await n.bind('bob', bob.port);
  const before = (await refers(n)).length;
  const alice = await runSipp({ scenario: { builtin: 'uac' }, remote: n.remote, service: '+15554003', extraArgs: ['-d', '6000'], recvTimeoutMs: 20_000, name: 'dv-alice' });
  assert.equal(alice.failed, 0, alice.errors || alice.output);
  assert.equal((await bob.result()).failed, 0);
  assert.equal((await carol.result()).failed, 0);
  const row = await waitFor('the settled Refers entry', async () => {
    const rows = await refers(n);
    return rows.length > before && rows[0]?.status !== 'in-progress' ? rows[0] : undefined;
  });
  assert.equal(row.status, 'completed', row.failure_reason ?? '');
  const referRequest = seen.find((r) => r.projectSid === referSid);
  assert.ok(referRequest, 'the refer app\'s controller was fetched');
  assert.equal(referRequest.params.Transferor, 'bob');
  assert.equal(referRequest.params.ReferTarget, 'carol');
  assert.ok(referRequest.params.Transferee);
  await n.waitIdle(10_000);
});
