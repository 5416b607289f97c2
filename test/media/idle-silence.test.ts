import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answeredPair, startEngine } from './engine.js';

test('an answered endpoint with nothing to play sends G.711 silence every frame; in a room of two, it only relays', async () => {
  const eng = await startEngine();
  const { alice, bob, ea, eb } = await answeredPair(eng, '0 101', '8 101');
  try {
    await alice.waitFor(() => alice.received.length >= 10 && bob.received.length >= 10);
    assert.ok(alice.received.every((p) => p.pt === 0 && p.payload.length === 160 && p.payload.every((b) => b === 0xff)), 'PCMU silence');
    assert.ok(bob.received.every((p) => p.pt === 8 && p.payload.length === 160 && p.payload.every((b) => b === 0xd5)), 'PCMA silence');
    for (let i = 1; i < alice.received.length; i++) {
      assert.equal(alice.received[i]!.seq, (alice.received[i - 1]!.seq + 1) & 0xffff);
      assert.equal((alice.received[i]!.timestamp - alice.received[i - 1]!.timestamp) | 0, 160);
    }

    const room = await eng.server.createRoom();
    await room.join(ea);
    await room.join(eb);
    // Let packets already on the wire arrive, then listen: neither peer sends, so nothing may come.
    await new Promise((r) => setTimeout(r, 100));
    const [a0, b0] = [alice.received.length, bob.received.length];
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual([alice.received.length - a0, bob.received.length - b0], [0, 0]);
  } finally {
    alice.close();
    bob.close();
    await eng.close();
  }
});
