/**
 * The product page's transfer scenario on the designer's real runtime, every app made from a template
 * and chosen by name: number A's voice app "Dial a client" (parameter `client` = bob) with the Refer URL
 * "refer app" ("Dial the refer target"), number B's app "Dial a client" with `client` = carol. Bob's desk
 * phone refers alice to number B; the refer app dials `$core_ReferTarget`, which is number B.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ACCOUNT, SCENARIOS, startCallNode, waitFor, type CallNode } from '../calls/harness.js';
import { refers } from '../calls/transfer-e2e/harness.js';
import { stopAll } from '../support/process.js';
import { runSipp, startSippUas } from '../support/sipp.js';

const ADMIN = 'Basic ' + Buffer.from('administrator@company.com:Str0ng!Passw0rd#2026').toString('base64');
const DIAL_CLIENT = 'TLfee2b4c619cd49599da8feec4db32f3b';
const DIAL_REFER_TARGET = 'TL510826acaba94b8fb2813d008b0ceb06';

let n: CallNode;
let host: string;

async function fromTemplate(template: string, name: string): Promise<string> {
  const r = await fetch(`${host}/visual-designer/services/projects?template=${template}&name=${encodeURIComponent(name)}`, { method: 'POST', headers: { authorization: ADMIN } });
  assert.equal(r.status, 200, await r.clone().text());
  return ((await r.json()) as { sid: string }).sid;
}

async function setClient(sid: string, client: string): Promise<void> {
  const r = await fetch(`${host}/visual-designer/services/projects/${sid}/parameters`, {
    method: 'PUT',
    headers: { authorization: ADMIN, 'content-type': 'application/json' },
    body: JSON.stringify({ parameters: [{ name: 'client', value: client }] }),
  });
  assert.equal(r.status, 200, await r.clone().text());
}

async function addNumber(form: Record<string, string>): Promise<{ voice_application_sid: string; refer_application_sid: string | null }> {
  const r = await fetch(`${host}/restcomm/2012-04-24/Accounts/${ACCOUNT}/IncomingPhoneNumbers.json`, {
    method: 'POST',
    headers: { authorization: ADMIN, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ isSIP: 'true', ...form }).toString(),
  });
  assert.equal(r.status, 200, await r.clone().text());
  return (await r.json()) as { voice_application_sid: string; refer_application_sid: string | null };
}

async function logOf(sid: string): Promise<string> {
  const r = await fetch(`${host}/visual-designer/services/apps/${sid}/log`, { headers: { authorization: ADMIN } });
  return r.status === 200 ? r.text() : '';
}

async function enableLog(sid: string): Promise<void> {
  const r = await fetch(`${host}/visual-designer/services/projects/${sid}/settings`, {
    method: 'POST',
    headers: { authorization: ADMIN, 'content-type': 'application/json' },
    body: JSON.stringify({ logging: true, loggingRCML: true }),
  });
  assert.equal(r.status, 200, await r.clone().text());
}

before(async () => {
  n = await startCallNode();
  host = `http://127.0.0.1:${n.node.httpPort}`;
  for (const login of ['bob', 'carol']) await n.addClient(login);
});

after(async () => {
  await stopAll();
  await n.stop();
});

test('number A dials bob; bob transfers alice to number B through the Refer URL app "refer app"; number B dials carol', async () => {
  const dialBob = await fromTemplate(DIAL_CLIENT, 'dial bob');
  const dialCarol = await fromTemplate(DIAL_CLIENT, 'dial carol');
  await setClient(dialCarol, 'carol');
  const referSid = await fromTemplate(DIAL_REFER_TARGET, 'refer app');
  await enableLog(referSid);
  const numberA = await addNumber({ PhoneNumber: '+15554101', VoiceApplicationSid: 'dial bob', ReferUrl: 'refer app' });
  assert.equal(numberA.voice_application_sid, dialBob);
  assert.equal(numberA.refer_application_sid, referSid);
  assert.equal((await addNumber({ PhoneNumber: '+15554102', VoiceApplicationSid: 'dial carol' })).voice_application_sid, dialCarol);

  const carol = await startSippUas({ name: 'tt-carol', recvTimeoutMs: 20_000 });
  await n.bind('carol', carol.port);
  const bob = await startSippUas({ scenario: { file: join(SCENARIOS, 'transfer-referred-by.xml') }, vars: { target: `sip:+15554102@127.0.0.1:${n.node.sipPort}` }, name: 'tt-bob', recvTimeoutMs: 20_000 });
  await n.bind('bob', bob.port);
  const alice = await runSipp({ scenario: { builtin: 'uac' }, remote: n.remote, service: '+15554101', extraArgs: ['-d', '6000'], recvTimeoutMs: 20_000, name: 'tt-alice' });
  assert.equal(alice.failed, 0, alice.errors || alice.output);
  assert.equal((await bob.result()).failed, 0, 'bob was dialled by the template app, answered and referred');
  assert.equal((await carol.result()).failed, 0, 'carol was dialled by number B\'s app and answered');
  const row = await waitFor('the settled Refers entry', async () => {
    const rows = await refers(n);
    return rows[0]?.status !== undefined && rows[0].status !== 'in-progress' ? rows[0] : undefined;
  });
  assert.equal(row.status, 'completed', row.failure_reason ?? '');
  assert.equal(row.transferor, 'bob');
  assert.equal(row.refer_target, '+15554102');
  const log = await logOf(referSid);
  assert.match(log, /Running target: start/, 'the refer app ran on the designer runtime');
  assert.match(log, /<Number>\+15554102<\/Number>/, 'and dialled $core_ReferTarget (number B)');
  await n.waitIdle(10_000);
});
