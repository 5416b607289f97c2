import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { AppServer, xml } from '../../rcml/app-server.js';
import { toneFile } from '../../media-e2e/harness.js';
import { readWav, toneDuration } from '../../support/audio.js';
import { Baresip } from '../../support/baresip.js';
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
  });
  n = await startCallNode();
  for (const login of ['alice', 'bob', 'carol']) await n.addClient(login, PASSWORD);
  await setReferUrl(n, await n.addNumber('+15555001', `${app.base}/dial-bob`), `${app.base}/refer`);
});

after(async () => {
  await stopAll();
  await n.stop();
  await app.close();
});

test('baresip bob puts alice on hold (re-INVITE sendonly), then transfers her to linphonec carol with /transfer: alice and carol hear each other', async (t) => {
  const registrar = { host: '127.0.0.1', port: n.node.sipPort };
  const bob = await Baresip.start({ user: 'bob', autoAnswer: true, playWav: toneFile(BOB_TONE, 30_000), registrar: { ...registrar, password: PASSWORD, regint: 600 } });
  await bob.register();
  const [alice, carol] = await Promise.all([linphonePhone(n, 'alice', false, ALICE_TONE), linphonePhone(n, 'carol', true, CAROL_TONE)]);
  const aliceHeard = join(alice.dir, 'heard.wav');
  const carolHeard = join(carol.dir, 'heard.wav');
  await alice.record(aliceHeard);
  await carol.record(carolHeard);

  const bobMark = bob.process.mark();
  await alice.call(`sip:+15555001@127.0.0.1:${n.node.sipPort}`, 15_000);
  await bob.established(bobMark);
  await new Promise((r) => setTimeout(r, 1000));
  const holdMark = bob.process.mark();
  await bob.command('/hold');
  // baresip prints this once it sent the re-INVITE with a=sendonly.
  await bob.process.waitFor(/call: hold sip:/, 5000, holdMark);
  await new Promise((r) => setTimeout(r, 500));

  const carolMark = carol.process.mark();
  await bob.transfer(`sip:carol@127.0.0.1:${n.node.sipPort}`, 20_000);
  await carol.connected(carolMark, 15_000);
  await new Promise((r) => setTimeout(r, 3000));
  await alice.terminate();
  await carol.ended(carolMark, 10_000);

  const row = await waitFor('a settled Refers entry', async () => {
    const rows = await refers(n);
    return rows[0]?.status === 'completed' ? rows[0] : undefined;
  });
  await n.waitIdle(15_000);
  assert.equal(row.transferor, 'bob');
  assert.equal(row.transferee, 'alice');
  assert.equal(row.refer_target, 'carol');
  assert.equal(row.notify_status, 200);
  const calls = await n.calls();
  assert.deepEqual(calls.map((c) => [c.direction, c.recipient, c.status]).sort(), [
    ['inbound', '+15555001', 'completed'], ['outbound-dial', 'bob', 'completed'], ['outbound-dial', 'carol', 'completed'],
  ].sort());

  const byAlice = readWav(aliceHeard).samples;
  const byCarol = readWav(carolHeard).samples;
  const figures = { aliceHearsCarol: toneDuration(byAlice, CAROL_TONE), carolHearsAlice: toneDuration(byCarol, ALICE_TONE), carolHearsBob: toneDuration(byCarol, BOB_TONE) };
  t.diagnostic(JSON.stringify(figures));
  assert.ok(figures.aliceHearsCarol >= 1500, `alice heard ${figures.aliceHearsCarol} ms of carol`);
  assert.ok(figures.carolHearsAlice >= 1500, `carol heard ${figures.carolHearsAlice} ms of alice`);
  assert.equal(figures.carolHearsBob, 0);
  await Promise.all([alice.stop(), bob.stop(), carol.stop()]);
});
