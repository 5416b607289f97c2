import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readWav, rms, toneShare, toneSamples } from '../support/audio.js';
import { startEngine } from './engine.js';
import { RtpPeer, type SeenPacket } from './rtp-peer.js';

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

test('bridge carries audio both ways, transcodes PCMU<->PCMA and stays continuous across a re-bridge', async () => {
  const eng = await startEngine();
  const alice = await RtpPeer.open();
  const bob = await RtpPeer.open();
  const carol = await RtpPeer.open();
  try {
    const [ea, eb, ec] = await Promise.all([eng.server.allocate(), eng.server.allocate(), eng.server.allocate()]);
    ea.answer(alice.offer('0 101'));
    eb.answer(bob.offer('8 101'));
    ec.answer(carol.offer('0 96', ['a=rtpmap:96 telephone-event/8000']));
    alice.target = ea.localPort;
    bob.target = eb.localPort;
    carol.target = ec.localPort;
    const rec = join(eng.dataDir, 'bridge.wav');
    const br = eng.server.bridge(ea, eb, { recordPath: rec });
    await Promise.all([alice.stream('PCMU', 0, toneSamples([600], 500)), bob.stream('PCMA', 8, toneSamples([1400], 500))]);
    await alice.waitFor(() => alice.received.length >= 20 && bob.received.length >= 20);
    const bobHears = bob.audio('PCMA', 8);
    const aliceHears = alice.audio('PCMU', 0);
    assert.ok(toneShare(bobHears.subarray(0, 1600), 600) > 0.9, 'Bob hears Alice (transcoded to PCMA)');
    assert.ok(toneShare(aliceHears.subarray(0, 1600), 1400) > 0.9, 'Alice hears Bob (transcoded to PCMU)');
    assert.ok(bob.received.every((p) => p.pt === 8));

    // DTMF from Alice (PT 101) reaches Bob as PT 101 and, after the transfer, Carol as PT 96.
    await alice.sendEvent(101, 5);
    await bob.waitFor(() => bob.received.some((p) => p.pt === 101));
    assert.equal(bob.received.find((p) => p.pt === 101)?.payload[0], 5);
    const { recordingMs } = await br.unbridge();
    assert.ok(recordingMs !== null && recordingMs > 300, `bridge recording has audio (${recordingMs} ms)`);
    const mixed = readWav(rec);
    assert.equal(mixed.sampleRate, 8000);
    const body = mixed.samples.subarray(800, 2400);
    assert.ok(toneShare(body, 600) > 0.2 && toneShare(body, 1400) > 0.2, 'the recording holds both parties');

    // Transfer: Alice is re-bridged from Bob to Carol.
    const before = alice.received.length;
    eng.server.bridge(ea, ec);
    await carol.stream('PCMU', 0, toneSamples([900], 300));
    await alice.sendEvent(101, 9);
    await carol.waitFor(() => carol.received.some((p) => p.pt === 96) && alice.received.length >= before + 10);
    assert.equal(carol.received.find((p) => p.pt === 96)?.payload[0], 9, 'telephone-event PT mapped 101 -> 96');
    assertContinuous(alice.received.filter((p) => p.pt === 0), 'Alice across Bob and Carol');
    assert.ok(toneShare(alice.audio('PCMU', 0).subarray(-1600), 900) > 0.9, 'Alice now hears Carol');
    assert.equal(eng.server.stats().bridges, 1);
    ea.close();
    assert.equal(eng.server.stats().bridges, 0, 'closing a leg ends its bridge');
  } finally {
    for (const p of [alice, bob, carol]) p.close();
    await eng.close();
  }
});

test('a bridged leg on hold (sendonly offer) is sent nothing', async () => {
  const eng = await startEngine();
  const alice = await RtpPeer.open();
  const bob = await RtpPeer.open();
  try {
    const [ea, eb] = await Promise.all([eng.server.allocate(), eng.server.allocate()]);
    ea.answer(alice.offer('0'));
    eb.answer(bob.offer('0', [], 'sendonly'));
    alice.target = ea.localPort;
    eng.server.bridge(ea, eb);
    await alice.stream('PCMU', 0, toneSamples([600], 200));
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(bob.received.length, 0);
    assert.ok(rms(alice.audio('PCMU', 0)) === 0);
  } finally {
    alice.close();
    bob.close();
    await eng.close();
  }
});
