import assert from 'node:assert/strict';
import { setImmediate as turn } from 'node:timers/promises';
import { test } from 'node:test';
import { Call } from '../../src/calls/call.js';
import { CallRegistry, type LiveCall } from '../../src/calls/call-registry.js';
import { ManualClock } from '../support/clock.js';

function liveCall(sid: string, hangup: () => void): LiveCall {
  const call = new Call({
    sid, accountSid: 'AC1', direction: 'inbound', from: 'alice', to: 'bob', callerName: null, forwardedFrom: null,
    sipHeaders: {}, parentCallSid: null, phoneNumberSid: null, initialStatus: 'ringing',
  });
  return { call, hangup, redirect: () => undefined, mute: async () => undefined };
}

test('hangupAll gives a call that does not end the whole timeout on the clock, and not a millisecond more', async () => {
  const clock = new ManualClock();
  const registry = new CallRegistry(clock);
  let hungUp = 0;
  registry.add(liveCall('CA1', () => hungUp++));
  let done = false;
  const stopping = registry.hangupAll(5000).then(() => (done = true));
  assert.equal(hungUp, 1);
  clock.advance(4999);
  await turn();
  assert.equal(done, false, 'still waiting for the call to end');
  clock.advance(1);
  await turn();
  assert.equal(done, true, 'the wait ends at the timeout');
  await stopping;
  assert.equal(registry.stats().calls, 1, 'the call that never ended is still there');
});

test('hangupAll returns as soon as the last call is gone, and leaves no timer behind', async () => {
  const clock = new ManualClock();
  const registry = new CallRegistry(clock);
  registry.add(liveCall('CA1', () => setImmediate(() => registry.remove('CA1'))));
  registry.add(liveCall('CA2', () => setImmediate(() => registry.remove('CA2'))));
  await registry.hangupAll(5000);
  assert.equal(registry.stats().calls, 0);
  assert.equal(clock.pending, 0);
});
