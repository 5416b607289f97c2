import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readWav, toneShare, toneSamples, rms } from '../support/audio.js';
import { ManualClock } from '../support/clock.js';
import { startEngine } from './engine.js';
import { RtpPeer } from './rtp-peer.js';

const KEYS: Record<string, [number, number]> = { '1': [697, 1209], '5': [770, 1336], '9': [852, 1477], '#': [941, 1477], '0': [941, 1336] };

function inband(digits: string): Int16Array {
  const parts = [...digits].flatMap((d) => [toneSamples(KEYS[d] ?? [], 100, 8000, 5000), new Int16Array(800)]);
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

test('RFC 4733 events are reported once each (redundant end packets deduplicated); SIP INFO digits join the stream', async () => {
  const eng = await startEngine();
  const peer = await RtpPeer.open();
  try {
    const ep = await eng.allocate();
    await ep.answer(peer.offer('0 101'));
    peer.target = ep.localPort;
    const digits: string[] = [];
    ep.onDigit((d) => digits.push(d));
    await peer.sendEvent(101, 1);
    await peer.sendEvent(101, 11);
    await peer.sendEvent(101, 1);
    ep.injectDigit('7');
    ep.injectDigit('x');
    await peer.waitFor(() => digits.length >= 4);
    assert.deepEqual(digits, ['1', '#', '1', '7']);
  } finally {
    peer.close();
    await eng.close();
  }
});

test('in-band DTMF tones are detected when the peer sends no telephone-event', async () => {
  const eng = await startEngine();
  const peer = await RtpPeer.open();
  try {
    const ep = await eng.allocate();
    await ep.answer(peer.offer('0'));
    peer.target = ep.localPort;
    const digits: string[] = [];
    ep.onDigit((d) => digits.push(d));
    await peer.stream('PCMU', 0, inband('1590#'));
    await peer.waitFor(() => digits.length >= 5);
    assert.deepEqual(digits.join(''), '1590#');
    // Speech-like audio (a single tone, then two non-DTMF tones) gives no digit.
    await peer.stream('PCMU', 0, toneSamples([1000], 300));
    await peer.stream('PCMU', 0, toneSamples([500, 2000], 300));
    assert.equal(digits.length, 5);
  } finally {
    peer.close();
    await eng.close();
  }
});

test('sendDigits emits RFC 4733 events with one timestamp per digit, or in-band tones without telephone-event', async () => {
  const eng = await startEngine();
  const withEvents = await RtpPeer.open();
  const plain = await RtpPeer.open();
  try {
    const a = await eng.allocate();
    await a.answer(withEvents.offer('0 101'));
    await a.sendDigits('1w#');
    const events = withEvents.received.filter((p) => p.pt === 101);
    assert.deepEqual([...new Set(events.map((p) => p.payload[0]))], [1, 11]);
    assert.equal(new Set(events.map((p) => p.timestamp)).size, 2);
    assert.equal(events.filter((p) => (p.payload[1]! & 0x80) !== 0).length, 6, 'three end packets per digit');
    await assert.rejects(a.sendDigits('1x'), /"x" is not a DTMF digit/);

    const b = await eng.allocate();
    await b.answer(plain.offer('0'));
    await b.sendDigits('9');
    await plain.waitFor(() => plain.received.length >= 5);
    const audio = plain.audio('PCMU', 0);
    assert.ok(toneShare(audio.subarray(0, 640), 852) > 0.3 && toneShare(audio.subarray(0, 640), 1477) > 0.3);
  } finally {
    withEvents.close();
    plain.close();
    await eng.close();
  }
});

test('record writes what the peer said as 8 kHz 16-bit mono WAV and ends on the finish key', async () => {
  const eng = await startEngine();
  const peer = await RtpPeer.open();
  try {
    const ep = await eng.allocate();
    await ep.answer(peer.offer('8 101'));
    peer.target = ep.localPort;
    const rec = ep.record({ name: 'RE1', finishOnKey: '#', maxLengthMs: 10_000, beep: true });
    await peer.waitFor(() => peer.received.length >= 12, 3000);
    assert.ok(toneShare(peer.audio('PCMA', 8).subarray(0, 1600), 1000) > 0.9, 'the beep is a 1 kHz tone');
    const said = toneSamples([750], 800, 8000, 6000);
    await peer.stream('PCMA', 8, said);
    await peer.sendEvent(101, 11);
    const result = await rec.done;
    assert.equal(result.reason, 'finishOnKey');
    assert.equal(result.digits, '#');
    assert.ok(result.durationMs >= 780 && result.durationMs <= 900, `duration ${result.durationMs}`);
    assert.equal(result.location, join(eng.dataDir, 'recordings', 'RE1.wav'), 'the engine puts a named recording in its recordings folder');
    const wav = readWav(result.location);
    assert.deepEqual([wav.sampleRate, wav.channels, wav.bitsPerSample], [8000, 1, 16]);
    assert.ok(toneShare(wav.samples.subarray(0, 6400), 750) > 0.95);
    assert.ok(Math.abs(rms(wav.samples.subarray(0, 6400)) - rms(said)) / rms(said) < 0.05);
  } finally {
    peer.close();
    await eng.close();
  }
});

test('record ends on silence and on max length', async () => {
  const eng = await startEngine();
  const peer = await RtpPeer.open();
  try {
    const ep = await eng.allocate();
    await ep.answer(peer.offer('0'));
    peer.target = ep.localPort;
    const quiet = ep.record({ silenceTimeoutMs: 300, maxLengthMs: 5000 });
    await peer.stream('PCMU', 0, new Int16Array(8000));
    assert.equal((await quiet.done).reason, 'silence');
    const capped = ep.record({ maxLengthMs: 200 });
    await peer.stream('PCMU', 0, toneSamples([400], 600));
    const result = await capped.done;
    assert.equal(result.reason, 'maxLength');
    assert.ok(result.durationMs <= 200, `recorded ${result.durationMs} ms with maxLength 200`);
    assert.ok(readWav(result.location).samples.length <= 1600);
    assert.notEqual(result.location, (await quiet.done).location, 'unnamed recordings get names of their own');
  } finally {
    peer.close();
    await eng.close();
  }
});

test('the recording limits run on the engine clock: a manual clock ends them without waiting', async () => {
  const clock = new ManualClock();
  const eng = await startEngine({ clock });
  try {
    const ep = await eng.allocate();
    const quiet = ep.record({ silenceTimeoutMs: 5000, maxLengthMs: 60_000 });
    clock.advance(4999);
    const early = await Promise.race([quiet.done, new Promise((r) => setImmediate(() => r('pending')))]);
    assert.equal(early, 'pending', 'not before the silence timeout');
    clock.advance(1);
    assert.equal((await quiet.done).reason, 'silence');
    const long = ep.record({ maxLengthMs: 60_000 });
    clock.advance(60_000);
    assert.equal((await long.done).reason, 'maxLength');
    assert.equal(clock.pending, 0, 'no timer left behind');
  } finally {
    await eng.close();
  }
});

test('a recording name that is not a plain file name is refused', async () => {
  const eng = await startEngine();
  try {
    const ep = await eng.allocate();
    assert.throws(() => ep.record({ name: '../escape' }), /not a plain file name/);
  } finally {
    await eng.close();
  }
});
