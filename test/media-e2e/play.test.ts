import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AppServer, xml } from '../rcml/app-server.js';
import { startCallNode, waitFor, type CallNode } from '../calls/harness.js';
import { readWav, toneDuration } from '../support/audio.js';
import { stopAll } from '../support/process.js';
import { baresipCalls, silenceFile, toneFile, wavFile } from './harness.js';

let n: CallNode;
let app: AppServer;
const TONE_MS = 2000;

before(async () => {
  const tone = toneFile(1000, TONE_MS);
  app = await AppServer.start({
    '/tone.wav': wavFile(tone),
    '/play': (req, res) => xml(`<Response><Play>${app.base}/tone.wav</Play><Pause length="1"/><Hangup/></Response>`)(req, res),
  });
  n = await startCallNode();
  await n.addNumber('+15551001', `${app.base}/play`);
});

after(async () => {
  await stopAll();
  await n.stop();
  await app.close();
});

test('Play: the caller hears the app\'s 1 kHz WAV for about its length, then the node hangs up', async (t) => {
  const alice = await baresipCalls(n, '+15551001', silenceFile());
  await alice.terminated(0, 15_000);
  const heard = readWav(alice.lastDump().received).samples;
  const ms = toneDuration(heard, 1000);
  t.diagnostic(`heard ${ms} ms of the ${TONE_MS} ms tone`);
  assert.ok(ms >= TONE_MS - 300 && ms <= TONE_MS + 100, `heard ${ms} ms of 1000 Hz, expected about ${TONE_MS}`);
  assert.equal(toneDuration(heard, 600), 0);
  await waitFor('the WAV fetched by the node', () => app.to('/tone.wav')[0]);
  await n.waitIdle();
  const [call] = await n.calls();
  assert.equal(call?.status, 'completed');
});
