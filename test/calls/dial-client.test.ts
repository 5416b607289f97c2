import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { AppServer, hang, xml } from '../rcml/app-server.js';
import { ManualClock } from '../support/clock.js';
import { runSipp, startSipp, startSippUas } from '../support/sipp.js';
import { stopAll } from '../support/process.js';
import { assertOneAckPer2xx, parseSippTrace } from '../support/sip-wire.js';
import { SCENARIOS, startCallNode, waitFor, type CallNode } from './harness.js';

let n: CallNode;
let app: AppServer;
/** The call layer's clock: no Dial of these tests times out unless a test advances it. */
const clock = new ManualClock();
const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

before(async () => {
  app = await AppServer.start({
    '/dial-bob': xml('<Response><Dial action="/after" timeout="3"><Client>bob</Client></Dial></Response>'),
    '/after': xml('<Response><Hangup/></Response>'),
    '/dial-short': xml('<Response><Dial action="/after-short" timeout="2"><Client>bob</Client></Dial></Response>'),
    '/after-short': xml('<Response><Hangup/></Response>'),
    '/dial-fork': xml('<Response><Dial action="/after-fork" timeout="5"><Client>dave</Client></Dial></Response>'),
    '/after-fork': xml('<Response><Hangup/></Response>'),
    '/dial-hosted': xml('<Response><Dial action="/after-hosted"><Number>+15550001</Number></Dial></Response>'),
    '/after-hosted': xml('<Response><Hangup/></Response>'),
    '/slow': hang,
  });
  n = await startCallNode({ clock });
  await n.addClient('bob');
  await n.addNumber('+15550001', `${app.base}/dial-bob`);
  await n.addNumber('+15550002', `${app.base}/dial-short`);
  await n.addNumber('+15550003', `${app.base}/dial-fork`);
  await n.addNumber('+15550004', `${app.base}/dial-hosted`);
  await n.addNumber('+15550005', `${app.base}/slow`);
  await n.addClient('dave');
});

/** Bob's registrations are replaced per test. */
async function unbindAll(): Promise<void> {
  await n.node.store.db.deleteFrom('registrations').execute();
}

after(async () => {
  await stopAll();
  await n.stop();
  await app.close();
});

test('Alice calls a number whose app dials client bob; Alice hangs up; both CDRs completed', async () => {
  const bob = await startSippUas({ name: 'bob-uas' });
  await n.bind('bob', bob.port);
  const alice = await runSipp({ scenario: { builtin: 'uac' }, remote: n.remote, service: '+15550001', extraArgs: ['-d', '1500'], name: 'alice-uac' });
  assert.equal(alice.failed, 0, alice.errors || alice.output);
  assert.equal(alice.successful, 1);
  const bobResult = await bob.result();
  assert.equal(bobResult.successful, 1, bobResult.errors);
  assert.match(alice.messages, /SIP\/2.0 180 Ringing/);
  assert.match(bobResult.messages, /X-RestComm-CallSid: ID[0-9a-f]{32}-CA[0-9a-f]{32}/);
  assertOneAckPer2xx(bobResult.messages);

  const action = await waitFor('the Dial action', () => app.to('/after')[0]);
  assert.equal(action.form.get('DialCallStatus'), 'completed');
  await n.waitIdle();
  const calls = await n.calls();
  const inbound = calls.find((c) => c.direction === 'inbound');
  const leg = calls.find((c) => c.direction === 'outbound-dial');
  assert.ok(inbound && leg, JSON.stringify(calls));
  assert.equal(inbound.status, 'completed');
  assert.equal(inbound.recipient, '+15550001');
  assert.ok(inbound.phone_number_sid?.startsWith('PN'));
  assert.equal(leg.status, 'completed');
  assert.equal(leg.parent_call_sid, inbound.sid);
  assert.equal(leg.recipient, 'bob');
  assert.equal(action.form.get('DialCallSid'), leg.sid);
  assert.ok(inbound.end_time !== null && leg.end_time !== null);
});

test('bob hangs up: Alice continues with the Dial action, which hangs her up; both CDRs completed', async () => {
  await unbindAll();
  const bob = await startSippUas({ scenario: { file: join(SCENARIOS, 'uas-bye.xml') }, name: 'bob-bye' });
  await n.bind('bob', bob.port);
  const before = app.to('/after').length;
  const alice = await runSipp({ scenario: { file: join(SCENARIOS, 'uac-expect-bye.xml') }, remote: n.remote, service: '+15550001', name: 'alice-expect-bye' });
  assert.equal(alice.failed, 0, alice.errors || alice.output);
  const bobResult = await bob.result();
  assert.equal(bobResult.successful, 1);
  assertOneAckPer2xx(bobResult.messages);
  const action = await waitFor('the Dial action', () => app.to('/after')[before]);
  assert.equal(action.form.get('DialCallStatus'), 'completed');
  assert.ok(Number(action.form.get('DialCallDuration')) >= 1, action.form.toString());
  await n.waitIdle();
  const leg = (await n.calls()).find((c) => c.sid === action.form.get('DialCallSid'));
  assert.equal(leg?.status, 'completed');
  assert.ok((leg?.duration ?? 0) >= 1);
});

test('Alice hangs up and bob\'s BYE crosses the node\'s (RFC 5407 3.2.1): his BYE gets 200, not 481; both CDRs completed', async () => {
  await unbindAll();
  const bob = await startSippUas({ scenario: { file: join(SCENARIOS, 'uas-crossing-bye.xml') }, name: 'bob-crossing-bye' });
  await n.bind('bob', bob.port);
  const alice = await runSipp({ scenario: { builtin: 'uac' }, remote: n.remote, service: '+15550001', extraArgs: ['-d', '1000'], name: 'alice-crossing' });
  assert.equal(alice.failed, 0, alice.errors || alice.output);
  const bobResult = await bob.result();
  assert.equal(bobResult.failed, 0, bobResult.errors || bobResult.output);
  const wire = parseSippTrace(bobResult.messages);
  const ownBye = wire.findIndex((m) => m.direction === 'sent' && m.method === 'BYE');
  const nodeBye = wire.findIndex((m) => m.direction === 'received' && m.method === 'BYE');
  assert.ok(nodeBye >= 0 && ownBye > nodeBye, 'bob sent his BYE after receiving the node\'s');
  const answer = wire.find((m) => m.direction === 'received' && m.status !== null && m.cseq.method === 'BYE');
  assert.equal(answer?.status, 200, answer?.text);
  assertOneAckPer2xx(bobResult.messages);
  await n.waitIdle();
  const calls = await n.calls();
  const leg = calls.filter((c) => c.recipient === 'bob').at(-1);
  const inbound = calls.find((c) => c.sid === leg?.parent_call_sid);
  assert.equal(leg?.status, 'completed');
  assert.equal(inbound?.status, 'completed');
});

test('bob never answers: CANCEL at the Dial timeout on the clock, DialCallStatus=no-answer, leg CDR no-answer', async () => {
  await unbindAll();
  const bob = await startSippUas({ scenario: { file: join(SCENARIOS, 'uas-ring.xml') }, name: 'bob-ring' });
  await n.bind('bob', bob.port);
  const alice = await startSipp({ scenario: { file: join(SCENARIOS, 'uac-expect-bye.xml') }, remote: n.remote, service: '+15550002', recvTimeoutMs: 8000, name: 'alice-noanswer' });
  const ringing = await waitFor('bob ringing', () => n.node.calls.registry.list().find((l) => l.call.direction === 'outbound-dial' && l.call.status === 'ringing'));
  clock.advance(1999);
  await turn();
  assert.equal(ringing.call.status, 'ringing', 'still ringing a millisecond before timeout="2"');
  clock.advance(1);
  await turn();
  assert.equal(ringing.call.status, 'no-answer', 'given up at 2 s on the clock');
  const aliceResult = await alice.result();
  assert.equal(aliceResult.failed, 0, aliceResult.errors || aliceResult.output);
  const bobResult = await bob.result();
  assert.equal(bobResult.successful, 1, bobResult.errors);
  assert.match(bobResult.messages, /CANCEL sip:bob@/);
  const action = await waitFor('the Dial action', () => app.to('/after-short')[0]);
  assert.equal(action.form.get('DialCallStatus'), 'no-answer');
  assert.equal(action.form.get('DialCallDuration'), '0');
  await n.waitIdle();
  const leg = (await n.calls()).find((c) => c.sid === action.form.get('DialCallSid'));
  assert.equal(leg?.sid, ringing.call.sid);
  assert.equal(leg?.status, 'no-answer');
});

test('dave registered twice: both ring, the first to answer wins, the other gets CANCEL', async () => {
  const answering = await startSippUas({ name: 'dave-answers' });
  const ringing = await startSippUas({ scenario: { file: join(SCENARIOS, 'uas-ring.xml') }, name: 'dave-rings' });
  await n.bind('dave', ringing.port);
  await n.bind('dave', answering.port);
  const alice = await runSipp({ scenario: { builtin: 'uac' }, remote: n.remote, service: '+15550003', extraArgs: ['-d', '1000'], name: 'alice-fork' });
  assert.equal(alice.failed, 0, alice.errors || alice.output);
  const answered = await answering.result();
  assert.equal(answered.successful, 1);
  assertOneAckPer2xx(answered.messages);
  const rang = await ringing.result();
  assert.equal(rang.successful, 1, rang.errors);
  assert.match(rang.messages, /CANCEL sip:dave@/);
  await waitFor('the Dial action', () => app.to('/after-fork')[0]);
  await n.waitIdle();
  const legs = (await n.calls()).filter((c) => c.recipient === 'dave');
  assert.deepEqual(legs.map((c) => c.status).sort(), ['canceled', 'completed']);
});

test('Dial Number hosted here runs that number\'s own app (loopback) and reaches bob', async () => {
  await unbindAll();
  const bob = await startSippUas({ name: 'bob-hosted' });
  await n.bind('bob', bob.port);
  const alice = await runSipp({ scenario: { builtin: 'uac' }, remote: n.remote, service: '+15550004', extraArgs: ['-d', '1500'], name: 'alice-hosted' });
  assert.equal(alice.failed, 0, alice.errors || alice.output);
  const bobResult = await bob.result();
  assert.equal(bobResult.successful, 1);
  assertOneAckPer2xx(bobResult.messages);
  await n.waitIdle();
  const calls = await n.calls();
  const first = calls.find((c) => c.recipient === '+15550004' && c.direction === 'inbound');
  const toB = calls.find((c) => c.parent_call_sid === first?.sid);
  assert.equal(toB?.direction, 'outbound-dial');
  assert.equal(toB?.status, 'completed');
  const second = calls.filter((c) => c.recipient === '+15550001' && c.direction === 'inbound').pop();
  assert.equal(second?.status, 'completed');
  assert.ok(calls.some((c) => c.parent_call_sid === second?.sid && c.recipient === 'bob' && c.status === 'completed'));
});

test('the caller CANCELs while the app is being fetched: canceled CDR, fetch aborted, nothing left', async () => {
  const alice = await runSipp({ scenario: { file: join(SCENARIOS, 'uac-cancel.xml') }, remote: n.remote, service: '+15550005', name: 'alice-cancel' });
  assert.equal(alice.failed, 0, alice.errors || alice.output);
  await n.waitIdle();
  const row = (await n.calls()).find((c) => c.recipient === '+15550005');
  assert.equal(row?.status, 'canceled');
  await waitFor('the aborted fetch', () => (app.aborted.includes('/slow') ? true : undefined));
});
