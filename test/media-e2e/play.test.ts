import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { AppServer, xml } from '../rcml/app-server.js';
import { startCallNode, waitFor, type CallNode } from '../calls/harness.js';
import { readWav, toneDuration } from '../support/audio.js';
import { Linphone } from '../support/linphone.js';
import { makeRunDir, stopAll } from '../support/process.js';
import { baresipCalls, silenceFile, toneFile, wavFile } from './harness.js';

let n: CallNode;
let app: AppServer;
const TONE_MS = 2000;

/** A 44.1 kHz stereo WAV made by sox, so that the node has to convert it to 8 kHz mono. */
function cdQualityTone(freq: number, ms: number): string {
  const path = join(makeRunDir('tone-cd'), `tone-${freq}-44k.wav`);
  execFileSync('sox', ['-n', '-r', '44100', '-c', '2', '-b', '16', path, 'synth', String(ms / 1000), 'sine', String(freq), 'vol', '0.3'], { timeout: 10_000 });
  return path;
}

before(async () => {
  const tone = toneFile(1000, TONE_MS);
  app = await AppServer.start({
    '/tone.wav': wavFile(tone),
    '/media/cd.wav': wavFile(cdQualityTone(800, 1000)),
    '/not-audio.wav': xml('<Response/>'),
    '/play-broken': xml('<Response><Play>missing.wav</Play><Play>not-audio.wav</Play><Play>tone.wav</Play><Hangup/></Response>'),
    // A relative URL resolves against the document's URL, as in Restcomm.
    '/media/play-twice': xml('<Response><Play loop="2">cd.wav</Play><Pause length="1"/><Hangup/></Response>'),
    '/play': (req, res) => xml(`<Response><Play>${app.base}/tone.wav</Play><Pause length="1"/><Hangup/></Response>`)(req, res),
  });
  n = await startCallNode();
  await n.addNumber('+15551001', `${app.base}/play`);
  await n.addNumber('+15551002', `${app.base}/media/play-twice`);
  await n.addNumber('+15551003', `${app.base}/play-broken`);
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
  assert.ok(ms >= TONE_MS - 200 && ms <= TONE_MS + 100, `heard ${ms} ms of 1000 Hz, expected about ${TONE_MS}`);
  assert.equal(toneDuration(heard, 600), 0);
  await waitFor('the WAV fetched by the node', () => app.to('/tone.wav')[0]);
  await n.waitIdle();
  const [call] = await n.calls();
  assert.equal(call?.status, 'completed');
});

test('Play loop="2" of a relative URL to a 44.1 kHz stereo WAV: the caller hears the 800 Hz second twice', async (t) => {
  const alice = await baresipCalls(n, '+15551002', silenceFile());
  await alice.terminated(0, 15_000);
  const heard = readWav(alice.lastDump().received).samples;
  const ms = toneDuration(heard, 800);
  t.diagnostic(`heard ${ms} ms of 2 × 1000 ms`);
  assert.ok(ms >= 1700 && ms <= 2100, `heard ${ms} ms of 800 Hz, expected about 2000`);
  assert.equal(app.to('/media/cd.wav').length, 1, 'fetched once, then played from the cache');
});

test('Play to linphonec (offers opus first; PCMU chosen): its recording holds the tone for about its length', async (t) => {
  const alice = await Linphone.start({ user: 'alice' });
  const heardPath = join(alice.dir, 'heard.wav');
  await alice.play(silenceFile(10_000));
  await alice.record(heardPath);
  const mark = alice.process.mark();
  await alice.call(`sip:+15551001@127.0.0.1:${n.node.sipPort}`);
  await alice.ended(mark, 15_000);
  await alice.stop();
  const heard = readWav(heardPath).samples;
  const ms = toneDuration(heard, 1000);
  t.diagnostic(`linphonec heard ${ms} ms of the ${TONE_MS} ms tone`);
  assert.ok(ms >= TONE_MS - 200 && ms <= TONE_MS + 100, `heard ${ms} ms of 1000 Hz, expected about ${TONE_MS}`);
});

test('Play of a 404 URL and of a non-audio body: each skipped with a Notification naming the URL; the next Play is heard', async () => {
  const alice = await baresipCalls(n, '+15551003', silenceFile());
  await alice.terminated(0, 15_000);
  const ms = toneDuration(readWav(alice.lastDump().received).samples, 1000);
  assert.ok(ms >= TONE_MS - 200 && ms <= TONE_MS + 100, `heard ${ms} ms of 1000 Hz, expected about ${TONE_MS}`);
  await n.waitIdle();
  const call = (await n.calls()).find((c) => c.recipient === '+15551003');
  const notes = await n.node.store.db.selectFrom('notifications').select(['error_code', 'log', 'request_url', 'message_text']).where('call_sid', '=', call?.sid ?? '').execute();
  assert.deepEqual(notes.map((r) => [r.error_code, r.log, r.request_url]), [
    [11200, 1, `${app.base}/missing.wav`],
    [11200, 1, `${app.base}/not-audio.wav`],
  ]);
  assert.match(notes[0]?.message_text ?? '', /could not be fetched or decoded/);
});
