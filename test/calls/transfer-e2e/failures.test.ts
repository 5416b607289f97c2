import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { after, before, test } from 'node:test';
import { AppServer, xml } from '../../rcml/app-server.js';
import { ManualClock } from '../../support/clock.js';
import { stopAll } from '../../support/process.js';
import { startCallNode, waitFor, type CallNode } from '../harness.js';
import { dialTimesOut, newRefer, refers, resetPhones, setReferUrl, sipfrags, sippCaller, sippPhone } from './harness.js';

let n: CallNode;
let app: AppServer;
/** The call layer's clock: carol's Dial (timeout="2") gives up only when a test advances it. */
const clock = new ManualClock();

before(async () => {
  app = await AppServer.start({
    '/dial-bob': xml('<Response><Dial timeout="10"><Client>bob</Client></Dial></Response>'),
    '/refer-short': xml('<Response><Dial timeout="2"><Client>carol</Client></Dial></Response>'),
    '/refer-redial': xml('<Response><Dial timeout="2" action="/redial"><Client>carol</Client></Dial></Response>'),
    '/redial': xml('<Response><Dial timeout="10"><Client>dave</Client></Dial></Response>'),
  });
  n = await startCallNode({ clock });
  for (const login of ['bob', 'carol', 'dave']) await n.addClient(login);
  await setReferUrl(n, await n.addNumber('+15554001', `${app.base}/dial-bob`), `${app.base}/refer-short`);
  await setReferUrl(n, await n.addNumber('+15554002', `${app.base}/dial-bob`), `${app.base}/refer-redial`);
  await n.addNumber('+15554003', `${app.base}/dial-bob`);
});

after(async () => {
  await stopAll();
  await n.stop();
  await app.close();
});

test('carol does not answer while bob waits: bob gets the failure sipfrag and alice is bridged back to bob (RFC 5589 6.3)', async () => {
  const count = await resetPhones(n);
  const carol = await sippPhone(n, 'carol', 'uas-ring.xml');
  const bob = await sippPhone(n, 'bob', 'transfer-referred-by.xml', { target: `sip:carol@127.0.0.1:${n.node.sipPort}` });
  const caller = await sippCaller(n, '+15554001', 7000);
  await dialTimesOut(n, clock, 'carol', 2);
  const row = await newRefer(n, count);
  assert.equal(row.status, 'failed');
  assert.equal(row.notify_status, 480);
  assert.match(row.failure_reason ?? '', /^480 Temporarily Unavailable; transferee reconnected to the transferor$/);
  await waitFor('alice and bob bridged again', () => (n.node.media.stats().rooms === 1 ? true : undefined), 5000);
  const live = n.node.calls.registry.list().map((l) => l.call);
  assert.deepEqual(live.map((c) => c.sid).sort(), [row.call_sid, row.transferor_call_sid].sort(), 'only alice and bob are up');
  assert.ok(live.every((c) => c.status === 'in-progress'));
  const [a, b, c] = [await caller.result(), await bob.result(), await carol.result()];
  assert.equal(a.failed, 0, a.errors || a.output);
  assert.equal(b.failed, 0, b.errors || b.output);
  assert.equal(c.failed, 0, c.errors || c.output);
  assert.deepEqual(sipfrags(b.messages), ['SIP/2.0 100 Trying', 'SIP/2.0 180 Ringing', 'SIP/2.0 480 Temporarily Unavailable']);
  assert.match(b.messages, /^BYE sip:bob@/m, 'bob is hung up when alice leaves the re-bridged call');
  await n.waitIdle(10_000);
});

test('bob hung up right after the 202: the refer app\'s own Dial action decides (dials dave), nobody is reconnected', async () => {
  const count = await resetPhones(n);
  const carol = await sippPhone(n, 'carol', 'uas-ring.xml');
  const dave = await sippPhone(n, 'dave', null);
  const bob = await sippPhone(n, 'bob', 'transfer-bye-after-202.xml', { target: `sip:carol@127.0.0.1:${n.node.sipPort}` });
  const caller = await sippCaller(n, '+15554002', 5000);
  await dialTimesOut(n, clock, 'carol', 2);
  const row = await newRefer(n, count);
  assert.equal(row.status, 'failed');
  assert.equal(row.failure_reason, '480 Temporarily Unavailable');
  const results = [await caller.result(), await bob.result(), await carol.result(), await dave.result()];
  for (const r of results) assert.equal(r.failed, 0, r.errors || r.output);
  await n.waitIdle(10_000);
  const calls = await n.calls();
  const daveLeg = calls.find((c) => c.recipient === 'dave');
  assert.equal(daveLeg?.status, 'completed');
  assert.equal(daveLeg?.parent_call_sid, row.call_sid);
  assert.equal(app.to('/redial')[0]?.form.get('DialCallStatus'), 'no-answer');
});

test('no Refer URL on the number: 404 with a Reason naming it, the call stays as it was, a Notification and a failed entry', async () => {
  const count = await resetPhones(n);
  const bob = await sippPhone(n, 'bob', 'transfer-refused.xml', { target: `<sip:carol@127.0.0.1:${n.node.sipPort}>` });
  const caller = await sippCaller(n, '+15554003', 4000);
  const row = await newRefer(n, count);
  assert.equal(row.status, 'failed');
  assert.equal(n.node.media.stats().rooms, 1, 'alice and bob still bridged');
  assert.equal(n.node.calls.stats().calls, 2);
  const [a, b] = [await caller.result(), await bob.result()];
  assert.equal(a.failed, 0, a.errors || a.output);
  assert.equal(b.failed, 0, b.errors || b.output);
  assert.match(b.messages, /SIP\/2.0 404 Not Found - No Refer URL for this call/);
  assert.match(b.messages, /^Reason: SIP;cause=404;text="SIP Refer failed\. Set Refer URL or Refer application for incoming phone number"/m);
  assert.ok((await n.notificationCodes()).includes(11310));
  await n.waitIdle(10_000);
});

test('a malformed Refer-To gets 400 naming the fault, nothing is logged and the call goes on', async () => {
  const count = await resetPhones(n);
  const bob = await sippPhone(n, 'bob', 'transfer-refused.xml', { target: '<http://example.com/carol>' });
  const caller = await sippCaller(n, '+15554001', 3000);
  const [a, b] = [await caller.result(), await bob.result()];
  assert.equal(a.failed, 0, a.errors || a.output);
  assert.equal(b.failed, 0, b.errors || b.output);
  assert.match(b.messages, /SIP\/2.0 400 Bad Request - Malformed Refer-To/);
  assert.equal((await refers(n)).length, count);
  await n.waitIdle(10_000);
});

test('a REFER for an unknown dialog gets 481', async () => {
  await resetPhones(n);
  const socket = createSocket('udp4');
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
  const port = socket.address().port;
  const answer = new Promise<string>((resolve) => socket.once('message', (m) => resolve(m.toString('utf8'))));
  const refer = [
    `REFER sip:dialtone@127.0.0.1:${n.node.sipPort} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bK-unknown-dialog;rport`,
    'From: <sip:bob@127.0.0.1>;tag=bob1',
    'To: <sip:alice@127.0.0.1>;tag=nosuchdialog',
    'Call-ID: no-such-call@127.0.0.1',
    'CSeq: 2 REFER',
    `Contact: <sip:bob@127.0.0.1:${port}>`,
    'Refer-To: <sip:carol@127.0.0.1>',
    'Max-Forwards: 70',
    'Content-Length: 0',
    '', '',
  ].join('\r\n');
  socket.send(refer, n.node.sipPort, '127.0.0.1');
  const timeout = new Promise<string>((r) => setTimeout(r, 5000, 'no answer').unref());
  const text = await Promise.race([answer, timeout]);
  socket.close();
  assert.match(text, /^SIP\/2.0 481 /);
});
