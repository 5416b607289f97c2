import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { AppServer, xml } from '../../rcml/app-server.js';
import { readWav, toneDuration } from '../../support/audio.js';
import { stopAll } from '../../support/process.js';
import { startCallNode, waitFor, type CallNode } from '../harness.js';
import { linphonePhone, PHONE_PASSWORD as PASSWORD, rcml, refers, setReferUrl } from './harness.js';

const ALICE_TONE = 1000;
const BOB_TONE = 450;
const CAROL_TONE = 700;

let n: CallNode;
let app: AppServer;

before(async () => {
  app = await AppServer.start({
    '/dial-bob': xml('<Response><Dial timeout="15"><Client>bob</Client></Dial></Response>'),
    '/refer': rcml((f) => `<Response><Dial timeout="15"><Client>${f.get('ReferTarget') ?? ''}</Client></Dial></Response>`),
    '/refer-number': rcml((f) => `<Response><Dial timeout="15"><Number>${f.get('ReferTarget') ?? ''}</Number></Dial></Response>`),
    '/dial-carol': xml('<Response><Dial timeout="15"><Client>carol</Client></Dial></Response>'),
  });
  n = await startCallNode();
  for (const login of ['alice', 'bob', 'carol']) await n.addClient(login, PASSWORD);
  const numberA = await n.addNumber('+15552001', `${app.base}/dial-bob`);
  await setReferUrl(n, numberA, `${app.base}/refer`);
  await n.addNumber('+15552002', `${app.base}/dial-carol`);
  await setReferUrl(n, await n.addNumber('+15552003', `${app.base}/dial-bob`), `${app.base}/refer-number`);
});

after(async () => {
  await stopAll();
  await n.stop();
  await app.close();
});

test('linphonec bob transfers alice to carol with its own transfer command: bob idle, alice and carol hear each other, Refers completed, CDRs linked', async (t) => {
  const [alice, bob, carol] = await Promise.all([linphonePhone(n, 'alice', false, ALICE_TONE), linphonePhone(n, 'bob', true, BOB_TONE), linphonePhone(n, 'carol', true, CAROL_TONE)]);
  const aliceHeard = join(alice.dir, 'heard.wav');
  const carolHeard = join(carol.dir, 'heard.wav');
  await alice.record(aliceHeard);
  await carol.record(carolHeard);

  const bobMark = bob.process.mark();
  await alice.call(`sip:+15552001@127.0.0.1:${n.node.sipPort}`, 15_000);
  await bob.connected(bobMark);
  await new Promise((r) => setTimeout(r, 1000));

  const carolMark = carol.process.mark();
  const bobBefore = bob.process.mark();
  await bob.transfer(`sip:carol@127.0.0.1:${n.node.sipPort}`, 20_000);
  await bob.ended(bobBefore, 10_000);
  await carol.connected(carolMark, 15_000);
  await new Promise((r) => setTimeout(r, 3000));
  await alice.terminate();
  await carol.ended(carolMark, 10_000);

  const [row] = await waitFor('a settled Refers entry', async () => {
    const rows = await refers(n);
    return rows[0]?.status === 'completed' ? rows : undefined;
  });
  await n.waitIdle(15_000);
  const calls = await n.calls();
  const inbound = calls.find((c) => c.direction === 'inbound');
  const bobLeg = calls.find((c) => c.direction === 'outbound-dial' && c.recipient === 'bob');
  const carolLeg = calls.find((c) => c.direction === 'outbound-dial' && c.recipient === 'carol');
  assert.ok(inbound && bobLeg && carolLeg, JSON.stringify(calls.map((c) => [c.direction, c.recipient, c.status])));
  assert.equal(row?.transferor, 'bob');
  assert.equal(row?.transferee, 'alice');
  assert.equal(row?.refer_target, 'carol');
  assert.equal(row?.notify_status, 200);
  assert.equal(row?.call_sid, inbound.sid);
  assert.equal(row?.transferor_call_sid, bobLeg.sid);
  assert.equal(bobLeg.parent_call_sid, inbound.sid);
  assert.equal(carolLeg.parent_call_sid, inbound.sid);
  for (const c of [inbound, bobLeg, carolLeg]) assert.equal(c.status, 'completed', `${c.recipient}: ${c.status}`);
  const referRequest = app.to('/refer')[0];
  assert.equal(referRequest?.form.get('Transferor'), 'bob');
  assert.equal(referRequest?.form.get('Transferee'), 'alice');
  assert.equal(referRequest?.form.get('CallSid'), inbound.sid);

  const byAlice = readWav(aliceHeard).samples;
  const byCarol = readWav(carolHeard).samples;
  const figures = {
    aliceHearsCarol: toneDuration(byAlice, CAROL_TONE), aliceHearsBob: toneDuration(byAlice, BOB_TONE),
    carolHearsAlice: toneDuration(byCarol, ALICE_TONE), carolHearsBob: toneDuration(byCarol, BOB_TONE),
  };
  t.diagnostic(JSON.stringify(figures));
  assert.ok(figures.aliceHearsCarol >= 1500, `alice heard ${figures.aliceHearsCarol} ms of carol`);
  assert.ok(figures.carolHearsAlice >= 1500, `carol heard ${figures.carolHearsAlice} ms of alice`);
  assert.ok(figures.aliceHearsBob >= 300, 'alice heard bob before the transfer');
  assert.equal(figures.carolHearsBob, 0, 'carol never hears bob');
  await Promise.all([alice.stop(), bob.stop(), carol.stop()]);
});

test('linphonec alice (the caller) transfers bob to carol: bob\'s Dial leg gets the refer app (outbound-dial), bob and carol hear each other', async (t) => {
  await n.waitIdle(10_000);
  const [alice, bob, carol] = await Promise.all([linphonePhone(n, 'alice', false, ALICE_TONE), linphonePhone(n, 'bob', true, BOB_TONE), linphonePhone(n, 'carol', true, CAROL_TONE)]);
  const bobHeard = join(bob.dir, 'heard.wav');
  const carolHeard = join(carol.dir, 'heard.wav');
  await bob.record(bobHeard);
  await carol.record(carolHeard);
  const bobMark = bob.process.mark();
  await alice.call(`sip:+15552001@127.0.0.1:${n.node.sipPort}`, 15_000);
  await bob.connected(bobMark);
  await new Promise((r) => setTimeout(r, 1000));
  const carolMark = carol.process.mark();
  const aliceBefore = alice.process.mark();
  const referCount = app.to('/refer').length;
  await alice.transfer(`sip:carol@127.0.0.1:${n.node.sipPort}`, 20_000);
  await alice.ended(aliceBefore, 10_000);
  await carol.connected(carolMark, 15_000);
  await new Promise((r) => setTimeout(r, 3000));
  await bob.terminate();
  await carol.ended(carolMark, 10_000);

  const row = await waitFor('a settled Refers entry', async () => {
    const rows = await refers(n);
    return rows[0]?.transferor === 'alice' && rows[0].status !== 'in-progress' ? rows[0] : undefined;
  });
  await n.waitIdle(15_000);
  const calls = await n.calls();
  const inbound = calls.filter((c) => c.direction === 'inbound').at(-1);
  const bobLeg = calls.filter((c) => c.recipient === 'bob').at(-1);
  const carolLeg = calls.filter((c) => c.recipient === 'carol').at(-1);
  assert.equal(row.status, 'completed', row.failure_reason);
  assert.equal(row.transferee, 'bob');
  assert.equal(row.call_sid, bobLeg?.sid);
  assert.equal(row.transferor_call_sid, inbound?.sid);
  assert.equal(carolLeg?.parent_call_sid, bobLeg?.sid, 'the new leg hangs off the transferee\'s call');
  const referRequest = app.to('/refer')[referCount];
  assert.equal(referRequest?.form.get('Direction'), 'outbound-dial');
  assert.equal(referRequest?.form.get('Transferor'), 'alice');
  assert.equal(referRequest?.form.get('Transferee'), 'bob');

  const figures = { bobHearsCarol: toneDuration(readWav(bobHeard).samples, CAROL_TONE), carolHearsBob: toneDuration(readWav(carolHeard).samples, BOB_TONE) };
  t.diagnostic(JSON.stringify(figures));
  assert.ok(figures.bobHearsCarol >= 1500, `bob heard ${figures.bobHearsCarol} ms of carol`);
  assert.ok(figures.carolHearsBob >= 1500, `carol heard ${figures.carolHearsBob} ms of bob`);
  await Promise.all([alice.stop(), bob.stop(), carol.stop()]);
});

test('peer to peer (client alice calls client bob, no app, no Refer URL anywhere): bob\'s transfer dials carol directly', async () => {
  await n.waitIdle(10_000);
  const [alice, bob, carol] = await Promise.all([linphonePhone(n, 'alice', false, ALICE_TONE), linphonePhone(n, 'bob', true, BOB_TONE), linphonePhone(n, 'carol', true, CAROL_TONE)]);
  const bobMark = bob.process.mark();
  const referCount = app.to('/refer').length;
  await alice.call(`sip:bob@127.0.0.1:${n.node.sipPort}`, 15_000);
  await bob.connected(bobMark);
  const carolMark = carol.process.mark();
  const bobBefore = bob.process.mark();
  await bob.transfer(`sip:carol@127.0.0.1:${n.node.sipPort}`, 20_000);
  await bob.ended(bobBefore, 10_000);
  await carol.connected(carolMark, 15_000);
  await alice.terminate();
  await carol.ended(carolMark, 10_000);
  const row = await waitFor('a settled Refers entry', async () => {
    const rows = await refers(n);
    return rows[0]?.transferor === 'bob' && rows[0].status !== 'in-progress' && rows[0].refer_url === undefined ? rows[0] : undefined;
  });
  assert.equal(row.status, 'completed', row.failure_reason);
  assert.equal(row.transferee, 'alice');
  assert.equal(app.to('/refer').length, referCount, 'no HTTP refer app');
  await n.waitIdle(15_000);
  await Promise.all([alice.stop(), bob.stop(), carol.stop()]);
});

test('product page: number A dials bob, bob transfers to number B (whose app dials carol); alice and carol hear each other', async (t) => {
  await n.waitIdle(10_000);
  const [alice, bob, carol] = await Promise.all([linphonePhone(n, 'alice', false, ALICE_TONE), linphonePhone(n, 'bob', true, BOB_TONE), linphonePhone(n, 'carol', true, CAROL_TONE)]);
  const aliceHeard = join(alice.dir, 'heard.wav');
  const carolHeard = join(carol.dir, 'heard.wav');
  await alice.record(aliceHeard);
  await carol.record(carolHeard);
  const bobMark = bob.process.mark();
  await alice.call(`sip:+15552003@127.0.0.1:${n.node.sipPort}`, 15_000);
  await bob.connected(bobMark);
  const carolMark = carol.process.mark();
  const bobBefore = bob.process.mark();
  await bob.transfer(`sip:+15552002@127.0.0.1:${n.node.sipPort}`, 20_000);
  await bob.ended(bobBefore, 10_000);
  await carol.connected(carolMark, 15_000);
  await new Promise((r) => setTimeout(r, 3000));
  await alice.terminate();
  await carol.ended(carolMark, 10_000);
  const row = await waitFor('a settled Refers entry', async () => {
    const rows = await refers(n);
    return rows[0]?.refer_target === '+15552002' && rows[0].status !== 'in-progress' ? rows[0] : undefined;
  });
  assert.equal(row.status, 'completed', row.failure_reason);
  assert.equal(row.transferor, 'bob');
  await n.waitIdle(15_000);
  const figures = { aliceHearsCarol: toneDuration(readWav(aliceHeard).samples, CAROL_TONE), carolHearsAlice: toneDuration(readWav(carolHeard).samples, ALICE_TONE) };
  t.diagnostic(JSON.stringify(figures));
  assert.ok(figures.aliceHearsCarol >= 1500, `alice heard ${figures.aliceHearsCarol} ms of carol`);
  assert.ok(figures.carolHearsAlice >= 1500, `carol heard ${figures.carolHearsAlice} ms of alice`);
  await Promise.all([alice.stop(), bob.stop(), carol.stop()]);
});
