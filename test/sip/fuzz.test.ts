import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runFuzz } from '../../bench/sip-fuzz.js';

test('20,000 seeded mutations: only SipParseError escapes, no input hangs', () => {
  const result = runFuzz(20240601, 20000);
  assert.deepEqual(result.failures, []);
  assert.equal(result.parsed + result.rejected, result.inputs);
  assert.ok(result.parsed > 1000, `only ${result.parsed} mutated inputs parsed: the mutations are too destructive to test views`);
  assert.ok(result.rejected > 1000, `only ${result.rejected} inputs rejected: the mutations do not reach the error paths`);
});

test('the fuzzer is deterministic for a seed', () => {
  const a = runFuzz(7, 500);
  const b = runFuzz(7, 500);
  assert.equal(a.parsed, b.parsed);
  assert.equal(a.rejected, b.rejected);
});
