import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readWav, rms, toneDuration, toneSamples } from '../support/audio.js';
import { answeredPair, startEngine } from './engine.js';
import { RtpPeer } from './rtp-peer.js';

const ALICE_TONE = 600;
const BOB_TONE = 1400;

test('a member muted in its room is not heard nor recorded, its digits are still detected; unmuting restores it', async () => {
  const eng = await startEngine();
  const { alice, bob, ea, eb } = await answeredPair(eng, '0 101', '0 101');
  try {
    const room = await eng.server.createRoom({ record: { name: 'muted' } });
    await room.join(ea);
    await room.join(eb);

    await alice.stream('PCMU', 0, toneSamples([ALICE_TONE], 400));
    await bob.waitFor(() => bob.received.length >= 15);
    assert.ok(toneDuration(bob.audio('PCMU', 0), ALICE_TONE) >= 200, 'before mute Bob hears Alice');

    await room.update(ea, { muted: true });
    const digits: string[] = [];
    const off = ea.onDigit((d) => digits.push(d));
    const heardBefore = bob.received.length;
    await Promise.all([alice.stream('PCMU', 0, toneSamples([ALICE_TONE], 600)), bob.stream('PCMU', 0, toneSamples([BOB_TONE], 600))]);
    await alice.sendEvent(101, 7);
    await alice.waitFor(() => digits.length === 1 && alice.received.length >= 20);
    off();
    assert.deepEqual(digits, ['7'], 'the muted party\'s digit is still detected');
    const muted = bob.received.slice(heardBefore);
    assert.ok(muted.length >= 25, `while muted Bob still gets a stream (${muted.length} packets)`);
    assert.ok(muted.every((p) => p.pt === 0), 'the muted party\'s events are not relayed');
    assert.equal(rms(bob.audio('PCMU', 0).subarray(heardBefore * 160)), 0, 'while muted Bob hears silence');
    const heardMuted = bob.received.length;
    assert.ok(toneDuration(alice.audio('PCMU', 0), BOB_TONE) >= 400, 'Alice still hears Bob while muted');

    await room.update(ea, { muted: false });
    await alice.stream('PCMU', 0, toneSamples([ALICE_TONE], 400));
    await bob.waitFor(() => bob.received.length >= heardMuted + 15);
    const after = bob.audio('PCMU', 0).subarray(heardMuted * 160);
    assert.ok(toneDuration(after, ALICE_TONE) >= 200, 'after unmute Bob hears Alice again');

    const recording = await room.close();
    assert.ok(recording !== null && recording.durationMs > 0);
    const mixed = readWav(recording.location).samples;
    // Alice sent 1.4 s of tone of which 0.6 s muted: the recording holds only the unmuted 0.8 s.
    const aliceMs = toneDuration(mixed, ALICE_TONE);
    assert.ok(aliceMs >= 600 && aliceMs <= 900, `the recording holds ${aliceMs} ms of Alice (unmuted parts only)`);
    assert.ok(toneDuration(mixed, BOB_TONE) >= 400, 'Bob, never muted, is recorded');
  } finally {
    alice.close();
    bob.close();
    await eng.close();
  }
});

test('a member that joins muted is silent from its first packet', async () => {
  const eng = await startEngine();
  const alice = await RtpPeer.open();
  const bob = await RtpPeer.open();
  try {
    const [ea, eb] = await Promise.all([eng.allocate(), eng.allocate()]);
    await ea.answer(alice.offer('0 101'));
    await eb.answer(bob.offer('0 101'));
    alice.target = ea.localPort;
    const room = await eng.server.createRoom();
    await room.join(ea, { muted: true });
    await room.join(eb);
    await alice.stream('PCMU', 0, toneSamples([ALICE_TONE], 400));
    await alice.sendEvent(101, 3);
    await bob.waitFor(() => bob.received.length >= 18);
    assert.ok(bob.received.every((p) => p.pt === 0), 'no event of the muted member is relayed');
    assert.equal(rms(bob.audio('PCMU', 0)), 0, 'Bob hears only silence');
  } finally {
    alice.close();
    bob.close();
    await eng.close();
  }
});
