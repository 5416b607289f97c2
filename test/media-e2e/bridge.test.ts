import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { AppServer, xml } from '../rcml/app-server.js';
import { startCallNode, waitFor, type CallNode } from '../calls/harness.js';
import { readWav, toneDuration } from '../support/audio.js';
import { Baresip } from '../support/baresip.js';
import { Linphone } from '../support/linphone.js';
import { stopAll } from '../support/process.js';
import { toneFile } from './harness.js';

const ALICE_TONE = 1000;
const BOB_TONE = 600;
const PASSWORD = 'Phone-Passw0rd!';

let n: CallNode;
let app: AppServer;

before(async () => {
  app = await AppServer.start({
    '/dial-bob': xml('<Response><Dial action="/after" timeout="10"><Client>bob</Client></Dial></Response>'),
    '/after': xml('<Response><Hangup/></Response>'),
  });
  n = await startCallNode();
  await n.addClient('alice', PASSWORD);
  await n.addClient('bob', PASSWORD);
  await n.addNumber('+15551501', `${app.base}/dial-bob`);
});

after(async () => {
  await stopAll();
  await n.stop();
  await app.close();
});

test('linphonec alice (registered) calls a number whose app dials baresip bob (registered): each hears only the other', async (t) => {
  const registrar = { host: '127.0.0.1', port: n.node.sipPort };
  const bob = await Baresip.start({ user: 'bob', autoAnswer: true, playWav: toneFile(BOB_TONE, 30_000), registrar: { ...registrar, password: PASSWORD, regint: 600 } });
  await bob.register();
  const alice = await Linphone.start({ user: 'alice', registrar: { ...registrar, user: 'alice', password: PASSWORD, expires: 600 } });
  await alice.register();
  await waitFor('both registrations', async () => ((await n.node.registrar.lookup('bob')).length && (await n.node.registrar.lookup('alice')).length ? true : undefined));

  const aliceHeard = join(alice.dir, 'heard.wav');
  await alice.play(toneFile(ALICE_TONE, 4000));
  await alice.record(aliceHeard);
  const mark = bob.process.mark();
  await alice.call(`sip:+15551501@127.0.0.1:${n.node.sipPort}`, 15_000);
  await bob.established(mark);
  // baresip's status line shows received bit/s once media flows both ways.
  await bob.process.waitFor(/audio=[1-9]\d*\/[1-9]\d*/, 10_000, mark);
  await alice.terminate();
  await bob.terminated(mark);

  const bobHeard = readWav(bob.lastDump().received).samples;
  const heardByAlice = readWav(aliceHeard).samples;
  const figures = {
    bobHearsAlice: toneDuration(bobHeard, ALICE_TONE), bobHearsBob: toneDuration(bobHeard, BOB_TONE),
    aliceHearsBob: toneDuration(heardByAlice, BOB_TONE), aliceHearsAlice: toneDuration(heardByAlice, ALICE_TONE),
  };
  t.diagnostic(JSON.stringify(figures));
  assert.ok(figures.bobHearsAlice >= 1000, `bob heard ${figures.bobHearsAlice} ms of alice's tone`);
  assert.ok(figures.aliceHearsBob >= 1000, `alice heard ${figures.aliceHearsBob} ms of bob's tone`);
  assert.equal(figures.bobHearsBob, 0, 'bob must not hear himself');
  assert.equal(figures.aliceHearsAlice, 0, 'alice must not hear herself');

  await n.waitIdle();
  const calls = await n.calls();
  const inbound = calls.find((c) => c.direction === 'inbound');
  const leg = calls.find((c) => c.direction === 'outbound-dial');
  assert.equal(inbound?.status, 'completed');
  assert.equal(leg?.status, 'completed');
  assert.equal(leg.parent_call_sid, inbound.sid);
  assert.equal(leg.recipient, 'bob');
  await alice.stop();
  await bob.stop();
});
