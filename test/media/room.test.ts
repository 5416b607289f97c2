import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readWav, rms, toneShare, toneSamples } from '../support/audio.js';
import { answeredPair, startEngine } from './engine.js';
import { RtpPeer, type SeenPacket } from './rtp-peer.js';

const PCMU_SILENCE = 0xff;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function assertContinuous(packets: readonly SeenPacket[], label: string): void {
  assert.ok(packets.length > 1, `${label}: packets arrived`);
  const ssrcs = new Set(packets.map((p) => p.ssrc));
  assert.equal(ssrcs.size, 1, `${label}: one SSRC`);
  for (let i = 1; i < packets.length; i++) {
    const prev = packets[i - 1]!;
    const cur = packets[i]!;
    assert.equal(cur.seq, (prev.seq + 1) & 0xffff, `${label}: sequence continues at packet ${i}`);
    const dts = (cur.timestamp - prev.timestamp) | 0;
    assert.ok(dts > 0, `${label}: timestamp moves forward at packet ${i} (${dts})`);
  }
}

test('a room of two carries audio both ways, transcodes PCMU<->PCMA, relays RFC 4733 events and records both members', async () => {
  const eng = await startEngine();
  const { alice, bob, ea, eb } = await answeredPair(eng, '0 101', '8 101');
  try {
    const room = await eng.server.createRoom({ record: { name: 'RE-room' } });
    await room.join(ea);
    await room.join(eb);
    assert.equal(eng.server.stats().rooms, 1);
    await Promise.all([alice.stream('PCMU', 0, toneSamples([600], 500)), bob.stream('PCMA', 8, toneSamples([1400], 500))]);
    await alice.waitFor(() => alice.received.length >= 20 && bob.received.length >= 20);
    assert.ok(toneShare(bob.audio('PCMA', 8).subarray(0, 1600), 600) > 0.9, 'Bob hears Alice (transcoded to PCMA)');
    assert.ok(toneShare(alice.audio('PCMU', 0).subarray(0, 1600), 1400) > 0.9, 'Alice hears Bob (transcoded to PCMU)');
    assert.ok(bob.received.every((p) => p.pt === 8));

    await alice.sendEvent(101, 5);
    await bob.waitFor(() => bob.received.some((p) => p.pt === 101));
    assert.equal(bob.received.find((p) => p.pt === 101)?.payload[0], 5);
    const recording = await room.close();
    assert.ok(recording !== null && recording.durationMs > 300, `the room recording has audio (${recording?.durationMs} ms)`);
    assert.match(recording.location, /recordings\/RE-room\.wav$/);
    const mixed = readWav(recording.location);
    assert.equal(mixed.sampleRate, 8000);
    const body = mixed.samples.subarray(800, 2400);
    assert.ok(toneShare(body, 600) > 0.2 && toneShare(body, 1400) > 0.2, 'the recording holds both members');
    assert.equal(eng.server.stats().rooms, 0, 'a closed room is gone');
    assert.equal(await room.close(), null, 'closing again is a no-op');
    await assert.rejects(room.join(ea), /closed/);
  } finally {
    alice.close();
    bob.close();
    await eng.close();
  }
});

test('an endpoint that joins another room leaves its first one; its stream stays continuous across the move', async () => {
  const eng = await startEngine();
  const alice = await RtpPeer.open();
  const bob = await RtpPeer.open();
  const carol = await RtpPeer.open();
  try {
    const [ea, eb, ec] = await Promise.all([eng.allocate(), eng.allocate(), eng.allocate()]);
    await ea.answer(alice.offer('0 101'));
    await eb.answer(bob.offer('0 101'));
    await ec.answer(carol.offer('0 96', ['a=rtpmap:96 telephone-event/8000']));
    alice.target = ea.localPort;
    bob.target = eb.localPort;
    carol.target = ec.localPort;
    const first = await eng.server.createRoom();
    await first.join(ea);
    await first.join(eb);
    await bob.stream('PCMU', 0, toneSamples([1400], 300));
    await alice.waitFor(() => alice.received.length >= 10);

    // Transfer: Alice moves from Bob's room to Carol's.
    const second = await eng.server.createRoom();
    await second.join(ec);
    await second.join(ea);
    const before = alice.received.length;
    const bobBefore = bob.received.length;
    await Promise.all([carol.stream('PCMU', 0, toneSamples([900], 300)), alice.stream('PCMU', 0, toneSamples([600], 300))]);
    await alice.sendEvent(101, 9);
    await carol.waitFor(() => carol.received.some((p) => p.pt === 96) && alice.received.length >= before + 10);
    assert.equal(carol.received.find((p) => p.pt === 96)?.payload[0], 9, 'telephone-event PT mapped 101 -> 96');
    assertContinuous(alice.received.filter((p) => p.pt === 0), 'Alice across Bob and Carol');
    assert.ok(toneShare(alice.audio('PCMU', 0).subarray(-1600), 900) > 0.9, 'Alice now hears Carol');
    await bob.waitFor(() => bob.received.length >= bobBefore + 10);
    const bobAfter = bob.received.slice(bobBefore + 2);
    assert.ok(bobAfter.every((p) => p.pt === 0 && p.payload.every((b) => b === PCMU_SILENCE)), 'Bob, alone in his room, hears silence and nothing of Alice');

    assert.equal(eng.server.stats().rooms, 2, 'the first room stays open with Bob');
    await ea.close();
    assert.equal(eng.server.stats().rooms, 2, 'a closing endpoint leaves its room, which stays open');
    await first.close();
    await second.close();
    assert.equal(eng.server.stats().rooms, 0);
  } finally {
    for (const p of [alice, bob, carol]) p.close();
    await eng.close();
  }
});

test('a room of two refuses a third member, naming the conference mixer, and leaves it where it was', async () => {
  const eng = await startEngine();
  const elsewhere = await startEngine();
  try {
    const [ea, eb, ec, ed] = await Promise.all([eng.allocate(), eng.allocate(), eng.allocate(), eng.allocate()]);
    const full = await eng.server.createRoom();
    await full.join(ea);
    await full.join(eb);
    const other = await eng.server.createRoom();
    await other.join(ec);
    await other.join(ed);
    await assert.rejects(full.join(ec), /already has 2 members.*conference mixer \(issue 11\)/);
    assert.equal(ec.room, other, 'the refused endpoint is still in its own room');
    await full.join(ea, { muted: true });
    assert.equal(ea.room, full, 'joining again only changes the member state');
    await full.leave(eb);
    await full.leave(eb);
    assert.equal(eb.room, null);
    await full.join(ec);
    assert.equal(ec.room, full, 'with a place free the endpoint moves');
    await assert.rejects(full.join(await elsewhere.allocate()), /does not belong to this media server/);
  } finally {
    await eng.close();
    await elsewhere.close();
  }
});

test('a member on SIP hold (its sendonly offer) is sent nothing', async () => {
  const eng = await startEngine();
  const alice = await RtpPeer.open();
  const bob = await RtpPeer.open();
  try {
    const [ea, eb] = await Promise.all([eng.allocate(), eng.allocate()]);
    await ea.answer(alice.offer('0'));
    await eb.answer(bob.offer('0', [], 'sendonly'));
    alice.target = ea.localPort;
    const room = await eng.server.createRoom();
    await room.join(ea);
    await room.join(eb);
    await alice.stream('PCMU', 0, toneSamples([600], 200));
    await sleep(100);
    assert.equal(bob.received.length, 0);
    assert.ok(rms(alice.audio('PCMU', 0)) === 0);
  } finally {
    alice.close();
    bob.close();
    await eng.close();
  }
});

test('a member on room hold neither hears nor is heard and gets its own silence; taken off hold it talks again', async () => {
  const eng = await startEngine();
  const { alice, bob, ea, eb } = await answeredPair(eng, '0', '0');
  try {
    const room = await eng.server.createRoom();
    await room.join(ea, { hold: true });
    await room.join(eb);
    await sleep(60);
    const [a0, b0] = [alice.received.length, bob.received.length];
    await Promise.all([alice.stream('PCMU', 0, toneSamples([600], 400)), bob.stream('PCMU', 0, toneSamples([1400], 400))]);
    await alice.waitFor(() => alice.received.length >= a0 + 15 && bob.received.length >= b0 + 15);
    assert.equal(rms(alice.audio('PCMU', 0).subarray(a0 * 160)), 0, 'held Alice hears silence, not Bob');
    assert.equal(rms(bob.audio('PCMU', 0).subarray(b0 * 160)), 0, 'Bob hears silence, not held Alice');

    await room.update(ea, { hold: false });
    await sleep(60);
    const [a1, b1] = [alice.received.length, bob.received.length];
    await Promise.all([alice.stream('PCMU', 0, toneSamples([600], 400)), bob.stream('PCMU', 0, toneSamples([1400], 400))]);
    await alice.waitFor(() => alice.received.length >= a1 + 15 && bob.received.length >= b1 + 15);
    assert.ok(toneShare(alice.audio('PCMU', 0).subarray(a1 * 160), 1400) > 0.8, 'Alice hears Bob again');
    assert.ok(toneShare(bob.audio('PCMU', 0).subarray(b1 * 160), 600) > 0.8, 'Bob hears Alice again');
  } finally {
    alice.close();
    bob.close();
    await eng.close();
  }
});
