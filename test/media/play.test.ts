import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { bestLag, rms, toneShare, toneSamples, writeWav } from '../support/audio.js';
import { startEngine } from './engine.js';
import { RtpPeer } from './rtp-peer.js';

test('a played 8 kHz WAV arrives sample for sample (within G.711 error); a 16 kHz stereo one at the right pitch', async () => {
  const eng = await startEngine();
  const peer = await RtpPeer.open();
  try {
    const ep = await eng.allocate();
    await ep.answer(peer.offer('8'));
    const source = toneSamples([440, 1020], 600, 8000, 5000);
    const f8 = join(eng.dataDir, 'prompt8k.wav');
    writeWav(f8, source, 8000, 1);
    assert.equal(await ep.play({ file: f8 }).done, 'finished');
    await peer.waitFor(() => peer.received.length >= 30);
    const got = peer.audio('PCMA', 8);
    assert.equal(got.length, 30 * 160, 'exactly the file, padded to whole frames');
    const lag = bestLag(got, source, 10);
    assert.equal(lag, 0);
    let err = 0;
    for (let i = 0; i < source.length; i++) err += (got[i]! - source[i]!) ** 2;
    const relErr = Math.sqrt(err / source.length) / rms(source);
    assert.ok(relErr < 0.05, `relative error after A-law round trip ${relErr.toFixed(4)}`);

    peer.received.length = 0;
    const f16 = join(eng.dataDir, 'prompt16k.wav');
    writeWav(f16, toneSamples([700], 1000, 16000, 8000), 16000, 2);
    assert.equal(await ep.play({ file: f16 }, { loop: 2 }).done, 'finished');
    await peer.waitFor(() => peer.received.length >= 100);
    const looped = peer.audio('PCMA', 8);
    assert.ok(Math.abs(looped.length - 16000) <= 160, `two loops of 1 s (${looped.length} samples)`);
    assert.ok(toneShare(looped.subarray(4000, 5600), 700) > 0.9, '700 Hz after resampling');
  } finally {
    peer.close();
    await eng.close();
  }
});

test('loop 0 plays until stopped; a new play replaces the current one', async () => {
  const eng = await startEngine();
  const peer = await RtpPeer.open();
  try {
    const ep = await eng.allocate();
    await ep.answer(peer.offer('0'));
    const f = join(eng.dataDir, 'short.wav');
    writeWav(f, toneSamples([300], 100), 8000);
    const endless = ep.play({ file: f }, { loop: 0 });
    await peer.waitFor(() => peer.received.length >= 25, 5000);
    endless.stop();
    assert.equal(await endless.done, 'stopped');
    const a = ep.play({ file: f }, { loop: 0 });
    const b = ep.play({ file: f });
    assert.equal(await a.done, 'stopped');
    assert.equal(await b.done, 'finished');
  } finally {
    peer.close();
    await eng.close();
  }
});

test('URLs are fetched once and revalidated with ETag (304 keeps the cached copy)', async () => {
  const eng = await startEngine();
  const peer = await RtpPeer.open();
  const wavPath = join(eng.dataDir, 'served.wav');
  writeWav(wavPath, toneSamples([1000], 200), 8000);
  const body = readFileSync(wavPath);
  const seen: (string | undefined)[] = [];
  const http = createServer((req, res) => {
    seen.push(req.headers['if-none-match']);
    if (req.headers['if-none-match'] === '"v1"') {
      res.writeHead(304, { etag: '"v1"' }).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'audio/wav', etag: '"v1"' }).end(body);
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const addr = http.address();
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/prompt.wav`;
  try {
    const ep = await eng.allocate();
    await ep.answer(peer.offer('0'));
    assert.equal(await ep.play({ url }).done, 'finished');
    assert.equal(await ep.play({ url }).done, 'finished');
    assert.deepEqual(seen, [undefined, '"v1"']);
    await peer.waitFor(() => peer.received.length >= 20);
    assert.ok(toneShare(peer.audio('PCMU', 0).subarray(0, 1600), 1000) > 0.9);
    assert.equal(await ep.play({ url: url.replace('prompt', 'missing').replace(/:\d+\//, ':1/') }).done, 'failed');
  } finally {
    http.close();
    peer.close();
    await eng.close();
  }
});

test('say produces speech of plausible length and energy, cached by text/voice/language', async () => {
  const eng = await startEngine();
  const peer = await RtpPeer.open();
  try {
    const ep = await eng.allocate();
    await ep.answer(peer.offer('0'));
    assert.equal(await ep.say('Hello, this is a test of the media engine.', { voice: 'woman', language: 'en-gb' }).done, 'finished');
    await peer.waitFor(() => peer.received.length >= 50);
    const speech = peer.audio('PCMU', 0);
    const seconds = speech.length / 8000;
    assert.ok(seconds > 1.5 && seconds < 6, `speech lasts ${seconds.toFixed(2)} s`);
    assert.ok(rms(speech) > 500, `speech has energy (rms ${rms(speech).toFixed(0)})`);
    assert.equal(readdirSync(join(eng.dataDir, 'cache', 'tts')).length, 1);
    assert.equal(await ep.say('Hello, this is a test of the media engine.', { voice: 'woman', language: 'en-gb' }).done, 'finished');
    assert.equal(readdirSync(join(eng.dataDir, 'cache', 'tts')).length, 1, 'second Say came from the cache');
  } finally {
    peer.close();
    await eng.close();
  }
});
