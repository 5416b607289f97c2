import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { pino } from 'pino';
import { Call } from '../../src/calls/call.js';
import { CallRoom, type RoomMember } from '../../src/calls/rooms/call-room.js';
import type { EmbeddedEndpoint } from '../../src/media/endpoint.js';
import { rms, toneShare, toneSamples } from '../support/audio.js';
import { startEngine, type TestEngine } from '../media/engine.js';
import { RtpPeer } from '../media/rtp-peer.js';

let eng: TestEngine;
const log = pino({ level: 'silent' });

before(async () => {
  eng = await startEngine();
});

after(async () => {
  await eng.close();
});

let calls = 0;

/** A call as a room sees it, on an endpoint of the test engine; its mute is the test's to change. */
type TestMember = RoomMember & { muted: boolean; readonly endpoint: EmbeddedEndpoint };

async function member(muted = false): Promise<TestMember> {
  calls++;
  const call = new Call({
    sid: `CA${calls}`, accountSid: 'AC1', direction: 'inbound', from: 'a', to: 'b', callerName: null, forwardedFrom: null,
    sipHeaders: {}, parentCallSid: null, phoneNumberSid: null, initialStatus: 'in-progress',
  });
  return { call, endpoint: await eng.allocate(), muted, room: null };
}

test('joining sets the membership at once and the engine follows; joining another room leaves the first, which hears of it', async () => {
  const deps = { media: eng.server, log };
  const first = new CallRoom(deps);
  const second = new CallRoom(deps);
  const [alice, bob, carol] = await Promise.all([member(), member(), member()]);
  const joined = Promise.all([first.join(alice), first.join(bob)]);
  assert.equal(alice.room, first, 'a member at once, before the engine answered');
  await joined;
  assert.notEqual(alice.endpoint.room, null, 'the engine has it in a room');
  const left: RoomMember[] = [];
  first.onLeave((m) => left.push(m));
  await second.join(carol);
  await second.join(alice);
  assert.equal(alice.room, second);
  assert.deepEqual(left, [alice], 'the first room heard that Alice left');
  assert.deepEqual(first.members, [bob]);
  assert.equal(alice.endpoint.room, carol.endpoint.room, 'the engine moved her too');
  assert.notEqual(alice.endpoint.room, bob.endpoint.room);
  await first.close();
  await second.close();
  assert.equal(alice.room, null, 'closing a room ends its memberships');
  assert.equal(eng.server.stats().rooms, 0);
  await assert.rejects(first.join(bob), /closed/);
});

test('a member the engine refuses (a third) is not a member; a muted call joins muted and an update unmutes it', async () => {
  const room = new CallRoom({ media: eng.server, log });
  const [alice, bob, carol] = await Promise.all([member(true), member(), member()]);
  const [alicePhone, bobPhone] = await Promise.all([RtpPeer.open(), RtpPeer.open()]);
  try {
    await alice.endpoint.answer(alicePhone.offer('0'));
    await bob.endpoint.answer(bobPhone.offer('0'));
    alicePhone.target = alice.endpoint.localPort;
    await room.join(alice);
    await room.join(bob);
    await assert.rejects(room.join(carol), /conference mixer \(issue 11\)/);
    assert.equal(carol.room, null, 'the refused call has no room');
    assert.deepEqual(room.members, [alice, bob]);

    await alicePhone.stream('PCMU', 0, toneSamples([700], 300));
    await bobPhone.waitFor(() => bobPhone.received.length >= 12);
    assert.equal(rms(bobPhone.audio('PCMU', 0)), 0, 'Alice joined muted: Bob hears silence');
    const heard = bobPhone.received.length;
    alice.muted = false;
    await room.update(alice);
    await alicePhone.stream('PCMU', 0, toneSamples([700], 300));
    await bobPhone.waitFor(() => bobPhone.received.length >= heard + 12);
    assert.ok(toneShare(bobPhone.audio('PCMU', 0).subarray(heard * 160), 700) > 0.8, 'unmuted, Bob hears Alice');

    await room.leave(carol);
    await room.leave(bob);
    await room.leave(bob);
    assert.deepEqual(room.members, [alice]);
    assert.equal(await room.close(), null, 'no recording was asked for');
  } finally {
    alicePhone.close();
    bobPhone.close();
  }
});
