import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DigitCollector, type Collected, type CollectOptions } from '../../src/calls/digit-collector.js';
import type { EmbeddedEndpoint } from '../../src/media/endpoint.js';
import { ManualClock } from '../support/clock.js';
import { startEngine, type TestEngine } from '../media/engine.js';

let eng: TestEngine;

before(async () => {
  eng = await startEngine();
});

after(async () => {
  await eng.close();
});

const options = (o: Partial<CollectOptions> = {}): CollectOptions => ({ numDigits: null, finishOnKey: '#', timeoutMs: 5000, signal: new AbortController().signal, ...o });

/** The collection's result if it has ended by the time pending callbacks ran; 'pending' otherwise. */
async function settled(c: DigitCollector): Promise<Collected | 'pending'> {
  return Promise.race([c.result, new Promise<'pending'>((r) => setImmediate(() => r('pending')))]);
}

function keys(ep: EmbeddedEndpoint, digits: string): void {
  for (const d of digits) ep.injectDigit(d);
}

test('numDigits ends the collection at the count, and the first digit interrupts the prompts', async () => {
  const ep = await eng.allocate();
  const clock = new ManualClock();
  const c = new DigitCollector(ep, clock, options({ numDigits: 3 }));
  assert.equal(c.prompts.aborted, false);
  keys(ep, '4');
  assert.equal(c.prompts.aborted, true, 'barge-in at the first digit');
  keys(ep, '21');
  assert.deepEqual(await c.result, { digits: '421', reason: 'numDigits' });
  keys(ep, '9');
  assert.deepEqual(await c.result, { digits: '421', reason: 'numDigits' }, 'later digits change nothing');
  assert.equal(clock.pending, 0);
  await ep.close();
});

test('a finish key ends the collection without being part of it; an empty finishOnKey has none', async () => {
  const ep = await eng.allocate();
  const c = new DigitCollector(ep, new ManualClock(), options({ finishOnKey: '#*' }));
  keys(ep, '8*');
  assert.deepEqual(await c.result, { digits: '8', reason: 'finishOnKey' });
  const clock = new ManualClock();
  const none = new DigitCollector(ep, clock, options({ finishOnKey: '', timeoutMs: 1000 }));
  keys(ep, '#1');
  none.startTimeout();
  clock.advance(1000);
  assert.deepEqual(await none.result, { digits: '#1', reason: 'timeout' });
  await ep.close();
});

test('the timeout counts only once started, and again from every digit', async () => {
  const ep = await eng.allocate();
  const clock = new ManualClock();
  const c = new DigitCollector(ep, clock, options({ timeoutMs: 5000 }));
  clock.advance(60_000);
  assert.equal(await settled(c), 'pending', 'no timeout while the prompts play');
  keys(ep, '1');
  c.startTimeout();
  clock.advance(4000);
  keys(ep, '2');
  clock.advance(4999);
  assert.equal(await settled(c), 'pending', 'the digit restarted the timeout');
  clock.advance(1);
  assert.deepEqual(await c.result, { digits: '12', reason: 'timeout' });
  assert.equal(clock.pending, 0, 'no timer left behind');
  await ep.close();
});

test('an abort ends the collection with what was entered; an aborted signal ends it at once', async () => {
  const ep = await eng.allocate();
  const clock = new ManualClock();
  const stop = new AbortController();
  const c = new DigitCollector(ep, clock, options({ signal: stop.signal }));
  c.startTimeout();
  keys(ep, '7');
  stop.abort();
  assert.deepEqual(await c.result, { digits: '7', reason: 'aborted' });
  assert.equal(c.prompts.aborted, true);
  assert.equal(clock.pending, 0);
  const late = new DigitCollector(ep, clock, options({ signal: stop.signal }));
  assert.deepEqual(await late.result, { digits: '', reason: 'aborted' });
  late.startTimeout();
  assert.equal(clock.pending, 0, 'starting the timeout of an ended collection arms nothing');
  await ep.close();
});

test('the endpoint closing ends the collection, also when it closed before', async () => {
  const ep = await eng.allocate();
  const clock = new ManualClock();
  const c = new DigitCollector(ep, clock, options());
  keys(ep, '5');
  await ep.close();
  assert.deepEqual(await c.result, { digits: '5', reason: 'closed' });
  assert.equal(c.prompts.aborted, true, 'the prompts stop too');
  const onClosed = new DigitCollector(ep, clock, options());
  assert.deepEqual(await onClosed.result, { digits: '', reason: 'closed' });
});
