import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { hasTone, readWav, speechDuration, toneDuration, toneSamples, writeSpeechWav, writeToneWav } from '../support/audio.js';
import { makeRunDir } from '../support/process.js';

test('a generated tone WAV is 8 kHz mono 16-bit and is found at its frequency only', () => {
  const path = join(makeRunDir('audio'), 'tone.wav');
  writeToneWav(path, 1000, 1000);
  const wav = readWav(path);
  assert.deepEqual([wav.sampleRate, wav.channels, wav.bitsPerSample, wav.samples.length], [8000, 1, 16, 8000]);
  assert.equal(toneDuration(wav.samples, 1000), 1000);
  assert.ok(hasTone(wav.samples, 1000));
  assert.ok(!hasTone(wav.samples, 600));
  assert.equal(speechDuration(wav.samples), 1000);
});

test('silence holds no tone and no speech; a tone after silence is timed by its length', () => {
  const silence = new Int16Array(8000);
  assert.equal(speechDuration(silence), 0);
  assert.ok(!hasTone(silence, 1000));
  const mixed = new Int16Array(16000);
  mixed.set(toneSamples([440], 300), 8000);
  assert.equal(toneDuration(mixed, 440), 300);
  assert.equal(speechDuration(mixed), 300);
  assert.ok(!hasTone(mixed, 440, 8000, 400));
});

test('espeak-ng speech becomes an 8 kHz WAV with about a second of voice and no steady tone', () => {
  const path = join(makeRunDir('audio'), 'speech.wav');
  writeSpeechWav(path, 'Hello from Dialtone, this is a test.');
  const wav = readWav(path);
  assert.equal(wav.sampleRate, 8000);
  assert.equal(wav.channels, 1);
  const voiced = speechDuration(wav.samples);
  assert.ok(voiced > 1000 && voiced <= (wav.samples.length / 8), `voiced ${voiced} ms of ${wav.samples.length / 8} ms`);
  assert.ok(!hasTone(wav.samples, 1000));
});
