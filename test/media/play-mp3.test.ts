import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { toneDuration } from '../support/audio.js';
import { startEngine } from './engine.js';
import { RtpPeer } from './rtp-peer.js';

const TONE = 1000;

test('an MP3 prompt (by URL, served as audio/mpeg, and as a file) is decoded and heard at its pitch and length', async () => {
  const eng = await startEngine();
  const peer = await RtpPeer.open();
  const mp3 = join(eng.dataDir, 'tone.mp3');
  execFileSync('ffmpeg', ['-nostdin', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `sine=frequency=${TONE}:duration=1`, mp3], { timeout: 30_000 });
  const body = readFileSync(mp3);
  const http = createServer((_req, res) => res.writeHead(200, { 'content-type': 'audio/mpeg' }).end(body));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  try {
    const ep = await eng.allocate();
    await ep.answer(peer.offer('0'));
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/prompts/tone.mp3`;
    assert.equal(await ep.play({ url }).done, 'finished');
    await peer.waitFor(() => peer.received.length >= 45);
    const heard = peer.audio('PCMU', 0);
    const ms = toneDuration(heard, TONE);
    assert.ok(ms >= 900 && ms <= 1100, `heard ${ms} ms of the ${TONE} Hz MP3 tone`);

    peer.received.length = 0;
    assert.equal(await ep.play({ file: mp3 }).done, 'finished');
    await peer.waitFor(() => peer.received.length >= 45);
    const fromFile = toneDuration(peer.audio('PCMU', 0), TONE);
    assert.ok(fromFile >= 900 && fromFile <= 1100, `heard ${fromFile} ms of the MP3 file`);
  } finally {
    http.close();
    peer.close();
    await eng.close();
  }
});

test('a URL that is not audio ends the playback as failed', async () => {
  const eng = await startEngine();
  const peer = await RtpPeer.open();
  const http = createServer((_req, res) => res.writeHead(200, { 'content-type': 'audio/mpeg' }).end('<html>not an mp3</html>'));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  try {
    const ep = await eng.allocate();
    await ep.answer(peer.offer('0'));
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/broken.mp3`;
    assert.equal(await ep.play({ url }).done, 'failed');
  } finally {
    http.close();
    peer.close();
    await eng.close();
  }
});
