import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { AppServer, xml } from '../rcml/app-server.js';
import { startSipp, startSippUas } from '../support/sipp.js';
import { stopAll } from '../support/process.js';
import { ACCOUNT, SCENARIOS, startCallNode, waitFor, type CallNode } from './harness.js';

const ADMIN_AUTH = 'Basic ' + Buffer.from('administrator@company.com:Str0ng!Passw0rd#2026').toString('base64');

let n: CallNode;
let app: AppServer;

before(async () => {
  app = await AppServer.start({
    '/long': xml('<Response><Say>hello</Say><Pause length="30"/></Response>'),
    '/gather': xml('<Response><Gather action="/digits" timeout="60"/></Response>'),
    '/digits': xml('<Response><Hangup/></Response>'),
    '/dial-bob': xml('<Response><Dial action="/after-dial" timeout="10"><Client>bob</Client></Dial></Response>'),
    '/after-dial': xml('<Response><Hangup/></Response>'),
    '/second': xml('<Response><Hangup/></Response>'),
    '/api-app': xml('<Response><Say>hi</Say><Pause length="2"/></Response>'),
  });
  n = await startCallNode();
  await n.addClient('bob');
  await n.addNumber('+15556001', `${app.base}/long`);
  await n.addNumber('+15556002', `${app.base}/dial-bob`);
  await n.addNumber('+15556003', `${app.base}/gather`);
});

after(async () => {
  await stopAll();
  await n.stop();
  await app.close();
});

async function redirect(sid: string, url: string): Promise<number> {
  const r = await fetch(`http://127.0.0.1:${n.node.httpPort}/restcomm/2012-04-24/Accounts/${ACCOUNT}/Calls/${sid}.json`, {
    method: 'POST',
    headers: { authorization: ADMIN_AUTH, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ Url: url }).toString(),
  });
  return r.status;
}

test('LCM Url on an inbound call: the running app stops without hanging up, the new app runs on the same CallSid', async () => {
  const alice = await startSipp({ scenario: { file: join(SCENARIOS, 'uac-expect-bye.xml') }, remote: n.remote, service: '+15556001', recvTimeoutMs: 20_000, name: 'lcm-inbound' });
  const first = await waitFor('the first app fetch', () => app.to('/long')[0]);
  const sid = first.form.get('CallSid') ?? '';
  assert.equal(await redirect(sid, `${app.base}/second`), 200);
  const second = await waitFor('the new app fetch', () => app.to('/second').find((r) => r.form.get('CallSid') === sid));
  assert.equal(second.form.get('CallStatus'), 'in-progress');
  assert.equal(second.form.get('Direction'), 'inbound');
  const result = await alice.result();
  assert.equal(result.failed, 0, result.errors || result.output);
  assert.match(result.messages, /SIP\/2.0 200 OK[\s\S]*^Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, REFER, NOTIFY, INFO, UPDATE\r?\nSupported: norefersub/m, 'the 200 OK advertises REFER');
  await n.waitIdle();
  const cdr = (await n.calls()).find((c) => c.sid === sid);
  assert.equal(cdr?.status, 'completed');
});

test('LCM Url during a Gather waiting for digits: the Gather stops at once and sends no action, the new app runs', async () => {
  const alice = await startSipp({ scenario: { file: join(SCENARIOS, 'uac-expect-bye.xml') }, remote: n.remote, service: '+15556003', recvTimeoutMs: 20_000, name: 'lcm-gather' });
  const first = await waitFor('the gather app fetch', () => app.to('/gather')[0]);
  const sid = first.form.get('CallSid') ?? '';
  const before = app.to('/second').length;
  assert.equal(await redirect(sid, `${app.base}/second`), 200);
  // The Gather's timeout is 60 s and SIPp gives up after 20 s: the new app must run long before either.
  await waitFor('the new app fetch', () => app.to('/second').slice(before).find((r) => r.form.get('CallSid') === sid));
  const result = await alice.result();
  assert.equal(result.failed, 0, result.errors || result.output);
  assert.equal(app.to('/digits').length, 0, 'a stopped Gather requests no action');
  await n.waitIdle();
});

test('LCM Url on a Dial leg: the leg leaves the bridge and runs the new app; the caller\'s Dial ends and its action runs', async () => {
  const bob = await startSippUas({ name: 'lcm-bob', recvTimeoutMs: 20_000 });
  await n.bind('bob', bob.port);
  const alice = await startSipp({ scenario: { file: join(SCENARIOS, 'uac-expect-bye.xml') }, remote: n.remote, service: '+15556002', recvTimeoutMs: 20_000, name: 'lcm-dial' });
  const leg = await waitFor('the answered Dial leg', () => n.node.calls.registry.list().find((l) => l.call.direction === 'outbound-dial' && l.call.status === 'in-progress'));
  const before = app.to('/second').length;
  assert.equal(await redirect(leg.call.sid, `${app.base}/second`), 200);
  const second = await waitFor('the leg\'s app fetch', () => app.to('/second').slice(before).find((r) => r.form.get('CallSid') === leg.call.sid));
  assert.equal(second.form.get('Direction'), 'outbound-dial');
  const action = await waitFor('the caller\'s Dial action', () => app.to('/after-dial')[0]);
  assert.equal(action.form.get('DialCallStatus'), 'completed');
  assert.equal(action.form.get('DialCallSid'), leg.call.sid);
  const [a, b] = [await alice.result(), await bob.result()];
  assert.equal(a.failed, 0, a.errors || a.output);
  assert.equal(b.failed, 0, b.errors || b.output);
  await n.waitIdle();
});

test('a REFER on an API call running an app (no bridge) is refused 403 and the app goes on', async () => {
  const bob = await startSippUas({ scenario: { file: join(SCENARIOS, 'transfer-refused.xml') }, vars: { target: '<sip:carol@127.0.0.1>' }, name: 'api-refer', recvTimeoutMs: 20_000 });
  const r = await fetch(`http://127.0.0.1:${n.node.httpPort}/restcomm/2012-04-24/Accounts/${ACCOUNT}/Calls.json`, {
    method: 'POST',
    headers: { authorization: ADMIN_AUTH, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ From: '+15550000', To: `sip:bob@127.0.0.1:${bob.port}`, Url: `${app.base}/api-app` }).toString(),
  });
  assert.equal(r.status, 200, await r.text());
  const result = await bob.result();
  assert.equal(result.failed, 0, result.errors || result.output);
  assert.match(result.messages, /SIP\/2.0 403 Forbidden - This call may not be transferred/);
  assert.match(result.messages, /^BYE sip:bob@/m, 'the app ran to its end and hung up');
  await n.waitIdle();
});
