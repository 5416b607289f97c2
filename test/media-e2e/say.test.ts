import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { AppServer, xml } from '../rcml/app-server.js';
import { startCallNode, type CallNode } from '../calls/harness.js';
import { hasTone, readWav, speechDuration, writeSpeechWav } from '../support/audio.js';
import { makeRunDir, stopAll } from '../support/process.js';
import { baresipCalls, silenceFile } from './harness.js';

const SENTENCE = 'Welcome to Dialtone. Your call is important to us, please stay on the line.';

let n: CallNode;
let app: AppServer;
/** Voiced milliseconds of the same sentence spoken by espeak-ng directly, the yardstick. */
let reference: number;

before(async () => {
  const path = join(makeRunDir('say-reference'), 'say.wav');
  writeSpeechWav(path, SENTENCE);
  reference = speechDuration(readWav(path).samples);
  app = await AppServer.start({
    '/say': xml(`<Response><Say>${SENTENCE}</Say><Pause length="1"/><Hangup/></Response>`),
    '/say-gb': xml(`<Response><Say voice="woman" language="en-gb">${SENTENCE}</Say><Pause length="1"/><Hangup/></Response>`),
  });
  n = await startCallNode();
  await n.addNumber('+15551101', `${app.base}/say`);
  await n.addNumber('+15551102', `${app.base}/say-gb`);
});

after(async () => {
  await stopAll();
  await n.stop();
  await app.close();
});

/**
 * Median voice pitch in Hz over 40 ms voiced windows: the first autocorrelation peak (70–400 Hz) within
 * 85 % of the highest, so that a multiple of the period does not win. Tells a man's voice from a woman's.
 */
function medianPitch(samples: Int16Array, rate = 8000): number {
  const size = (rate * 40) / 1000;
  const minLag = Math.floor(rate / 400);
  const pitches: number[] = [];
  for (let start = 0; start + size <= samples.length; start += size) {
    const w = samples.subarray(start, start + size);
    let energy = 0;
    for (const x of w) energy += x * x;
    if (Math.sqrt(energy / size) < 500) continue;
    const corr: number[] = [];
    for (let lag = minLag; lag <= Math.ceil(rate / 70); lag++) {
      let c = 0;
      for (let i = 0; i + lag < size; i++) c += w[i]! * w[i + lag]!;
      corr.push(c);
    }
    const max = Math.max(...corr);
    if (max < 0.3 * energy) continue;
    let i = corr.findIndex((c) => c > 0.85 * max);
    while (i + 1 < corr.length && corr[i + 1]! > corr[i]!) i++;
    pitches.push(rate / (minLag + i));
  }
  pitches.sort((a, b) => a - b);
  return pitches[Math.floor(pitches.length / 2)] ?? 0;
}

let defaultPitch = 0;

async function heardSpeech(number: string): Promise<Int16Array> {
  const alice = await baresipCalls(n, number, silenceFile());
  await alice.terminated(0, 20_000);
  return readWav(alice.lastDump().received).samples;
}

test('Say: the caller hears speech about as long as espeak-ng\'s own rendering of the sentence', async (t) => {
  const heard = await heardSpeech('+15551101');
  const voiced = speechDuration(heard);
  t.diagnostic(`voiced ${voiced} ms, reference ${reference} ms`);
  assert.ok(voiced >= reference * 0.7 && voiced <= reference * 1.3, `voiced ${voiced} ms, reference ${reference} ms`);
  assert.ok(!hasTone(heard, 1000), 'speech, not a tone');
  defaultPitch = medianPitch(heard);
  assert.deepEqual(await n.notificationCodes(), []);
});

test('Say voice="woman" language="en-gb": speech of plausible length, no notification', async (t) => {
  const heard = await heardSpeech('+15551102');
  const voiced = speechDuration(heard);
  t.diagnostic(`voiced ${voiced} ms, reference ${reference} ms`);
  assert.ok(voiced >= reference * 0.6 && voiced <= reference * 1.5, `voiced ${voiced} ms, reference ${reference} ms`);
  const pitch = medianPitch(heard);
  t.diagnostic(`median pitch ${pitch.toFixed(0)} Hz, default voice ${defaultPitch.toFixed(0)} Hz`);
  assert.ok(defaultPitch > 0 && pitch > defaultPitch * 1.3, `woman's pitch ${pitch} Hz vs default ${defaultPitch} Hz`);
  assert.deepEqual(await n.notificationCodes(), []);
  await n.waitIdle();
  const calls = await n.calls();
  assert.deepEqual(calls.map((c) => c.status), ['completed', 'completed']);
});
