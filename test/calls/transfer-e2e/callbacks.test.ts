import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AppServer, xml, type SeenRequest } from '../../rcml/app-server.js';
import { ManualClock } from '../../support/clock.js';
import { stopAll } from '../../support/process.js';
import { startCallNode, waitFor, type CallNode } from '../harness.js';
import { dialTimesOut, newRefer, resetPhones, setReferUrl, sipfrags, sippCaller, sippPhone, transferorGracePasses } from './harness.js';

let n: CallNode;
let app: AppServer;
/** The call layer's clock: Dial timeouts and the transferor's BYE grace pass only when a test advances it. */
const clock = new ManualClock();

const ok = xml('');

before(async () => {
  app = await AppServer.start({
    '/dial-bob': xml('<Response><Dial timeout="10"><Client>bob</Client></Dial></Response>'),
    '/refer': xml('<Response><Dial timeout="10"><Client>carol</Client></Dial></Response>'),
    '/refer-short': xml('<Response><Dial timeout="2"><Client>carol</Client></Dial></Response>'),
    '/status-a': ok,
    '/status-b': ok,
    '/status-c': ok,
    '/refer-external': xml('<Response><Dial timeout="5"><Number>+15559999</Number></Dial></Response>'),
  });
  n = await startCallNode({ clock });
  for (const login of ['bob', 'carol']) await n.addClient(login);
  await setReferUrl(n, await n.addNumber('+15556001', `${app.base}/dial-bob`, { statusCallback: `${app.base}/status-a` }), `${app.base}/refer`);
  await setReferUrl(n, await n.addNumber('+15556002', `${app.base}/dial-bob`, { statusCallback: `${app.base}/status-b` }), `${app.base}/refer-short`);
  await setReferUrl(n, await n.addNumber('+15556004', `${app.base}/dial-bob`), `${app.base}/refer-external`);
  await setReferUrl(n, await n.addNumber('+15556003', `${app.base}/dial-bob`, { statusCallback: `${app.base}/status-c` }), `${app.base}/refer`);
});

after(async () => {
  await stopAll();
  await n.stop();
  await app.close();
});

/** The transfer-events requests a status callback path received, in arrival order. */
async function transferEvents(path: string, count: number): Promise<URLSearchParams[]> {
  await n.node.calls.flush();
  return waitFor(`${count} transfer-events at ${path}`, () => {
    const seen = app.to(path).filter((s: SeenRequest) => s.form.get('CallbackSource') === 'transfer-events').map((s) => s.form);
    return seen.length >= count ? seen : undefined;
  });
}

function sippResults(runs: Array<{ failed: number; errors: string; output: string }>): void {
  for (const r of runs) assert.equal(r.failed, 0, r.errors || r.output);
}

test('completed transfer: the number\'s status callback gets in-progress then completed, and the CDRs link transferee, transferor and the new leg', async () => {
  const count = await resetPhones(n);
  const carol = await sippPhone(n, 'carol', null, {}, 'cb-');
  const bob = await sippPhone(n, 'bob', 'transfer-referred-by.xml', { target: `sip:carol@127.0.0.1:${n.node.sipPort}` }, 'cb-');
  const caller = await sippCaller(n, '+15556001', 4000, 'cb-');
  await transferorGracePasses(clock);
  const row = await newRefer(n, count);
  assert.equal(row.status, 'completed', row.failure_reason ?? '');
  sippResults(await Promise.all([caller.result(), bob.result(), carol.result()]));
  await n.waitIdle(10_000);

  const calls = await n.calls();
  const aliceCdr = calls.find((c) => c.sid === row.call_sid);
  const bobCdr = calls.find((c) => c.sid === row.transferor_call_sid);
  const carolCdr = calls.find((c) => c.recipient === 'carol');
  assert.equal(aliceCdr?.direction, 'inbound', 'the Refers entry\'s call_sid is the transferee, alice');
  assert.equal(bobCdr?.recipient, 'bob', 'transferor_call_sid is bob\'s leg');
  assert.equal(bobCdr?.parent_call_sid, row.call_sid);
  assert.equal(carolCdr?.parent_call_sid, row.call_sid, 'the new leg is a Dial leg of the transferee\'s call');
  assert.equal(carolCdr?.status, 'completed');
  assert.equal(bobCdr?.status, 'completed');

  const [progress, done, ...rest] = await transferEvents('/status-a', 2);
  assert.deepEqual(rest, []);
  for (const e of [progress, done]) {
    assert.equal(e?.get('ReferSid'), row.sid);
    assert.equal(e?.get('CallSid'), row.call_sid);
    assert.equal(e?.get('AccountSid'), aliceCdr?.account_sid);
    assert.equal(e?.get('Transferor'), 'bob');
    assert.equal(e?.get('Transferee'), row.transferee);
    assert.equal(e?.get('ReferTarget'), 'carol');
    assert.equal(e?.get('TransferorCallSid'), row.transferor_call_sid);
    assert.equal(e?.get('Direction'), 'inbound');
  }
  assert.equal(progress?.get('TransferStatus'), 'in-progress');
  assert.equal(progress?.get('SequenceNumber'), '0');
  assert.equal(progress?.get('TransferTargetCallSid'), null);
  assert.equal(done?.get('TransferStatus'), 'completed');
  assert.equal(done?.get('SequenceNumber'), '1');
  assert.equal(done?.get('TransferTargetCallSid'), carolCdr?.sid);
  assert.equal(done?.get('NotifyStatus'), '200');
  assert.equal(done?.get('CallStatus'), 'in-progress', 'alice talks to carol');
  assert.equal(done?.get('FailureReason'), null);

  const statuses = app.to('/status-a').filter((s) => s.form.get('CallbackSource') === null).map((s) => s.form.get('CallStatus'));
  assert.deepEqual(statuses, ['ringing', 'in-progress', 'completed'], 'alice\'s own status callbacks go on as usual');
});

test('target does not answer while the transferor waits: failed event with the failure line, transferee reconnected', async () => {
  const count = await resetPhones(n);
  const carol = await sippPhone(n, 'carol', 'uas-ring.xml', {}, 'cb-');
  const bob = await sippPhone(n, 'bob', 'transfer-referred-by.xml', { target: `sip:carol@127.0.0.1:${n.node.sipPort}` }, 'cb-');
  const caller = await sippCaller(n, '+15556002', 5000, 'cb-');
  await dialTimesOut(n, clock, 'carol', 2);
  const row = await newRefer(n, count);
  assert.equal(row.status, 'failed');
  sippResults(await Promise.all([caller.result(), bob.result(), carol.result()]));
  await n.waitIdle(10_000);
  const [progress, failed, ...rest] = await transferEvents('/status-b', 2);
  assert.deepEqual(rest, []);
  assert.equal(progress?.get('TransferStatus'), 'in-progress');
  assert.equal(failed?.get('TransferStatus'), 'failed');
  assert.equal(failed?.get('ReferSid'), row.sid);
  assert.equal(failed?.get('NotifyStatus'), '480');
  assert.equal(failed?.get('FailureReason'), '480 Temporarily Unavailable; transferee reconnected to the transferor');
  assert.equal(failed?.get('TransferTargetCallSid'), null);
});

test('transferee hangs up while the target rings: target CANCELed, final NOTIFY 487, transferor hung up, Refers failed without reconnection, nothing leaks', async () => {
  const count = await resetPhones(n);
  const carol = await sippPhone(n, 'carol', 'uas-ring.xml', {}, 'cb-');
  const bob = await sippPhone(n, 'bob', 'transfer-referred-by.xml', { target: `sip:carol@127.0.0.1:${n.node.sipPort}` }, 'cb-');
  const caller = await sippCaller(n, '+15556003', 2500, 'cb-');
  const row = await newRefer(n, count);
  assert.equal(row.status, 'failed');
  assert.equal(row.failure_reason, '487 Request Terminated');
  assert.equal(row.notify_status, 487);
  const [a, b, c] = await Promise.all([caller.result(), bob.result(), carol.result()]);
  sippResults([a, b, c]);
  assert.match(c.messages, /^CANCEL sip:carol@/m, 'carol\'s ringing leg is canceled');
  assert.deepEqual(sipfrags(b.messages).at(-1), 'SIP/2.0 487 Request Terminated');
  assert.match(b.messages, /^BYE sip:bob@/m, 'bob is not left on a call to nobody');
  await n.waitIdle(10_000);
  const calls = await n.calls();
  assert.equal(calls.find((cdr) => cdr.recipient === 'carol' && cdr.parent_call_sid === row.call_sid)?.status, 'canceled');
  const [, failed] = await transferEvents('/status-c', 2);
  assert.equal(failed?.get('TransferStatus'), 'failed');
  assert.equal(failed?.get('FailureReason'), '487 Request Terminated');
  assert.equal(failed?.get('CallStatus'), 'completed', 'alice\'s call had ended');
});

test('refer app dials a number with no outbound proxy: the Dial fails, bob gets the failure sipfrag, Refers failed with the reason, alice back with bob', async () => {
  const count = await resetPhones(n);
  const bob = await sippPhone(n, 'bob', 'transfer-referred-by.xml', { target: `sip:+15559999@127.0.0.1:${n.node.sipPort}` }, 'cb-');
  const caller = await sippCaller(n, '+15556004', 4000, 'cb-');
  const row = await newRefer(n, count);
  assert.equal(row.status, 'failed');
  assert.match(row.failure_reason ?? '', /^[4-6]\d\d .+; transferee reconnected to the transferor$/);
  const [a, b] = await Promise.all([caller.result(), bob.result()]);
  sippResults([a, b]);
  const frags = sipfrags(b.messages);
  assert.equal(frags.at(-1), `SIP/2.0 ${row.notify_status ?? 0} ${(row.failure_reason ?? '').replace(/^\d+ /, '').replace(/; transferee.*$/, '')}`);
  await n.waitIdle(10_000);
});
