import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AuthFailureLimiter, isScanner } from '../../src/registrar/guard.js';

test('scanner user agents are recognised, real phones are not', () => {
  assert.equal(isScanner('friendly-scanner'), true);
  assert.equal(isScanner('sipvicious 0.3.4'), true);
  assert.equal(isScanner('VaxSIPUserAgent/3.1'), true);
  assert.equal(isScanner('Linphone Desktop/5.1.65'), false);
  assert.equal(isScanner('baresip v1.0.0 (x86_64/linux)'), false);
  assert.equal(isScanner('sipsak 0.9.8'), false);
  assert.equal(isScanner(undefined), false);
});

test('a source that fails more than N times in the window is blocked for the cooldown', () => {
  let now = 0;
  const limiter = new AuthFailureLimiter({ maxFailures: 3, windowMs: 10_000, cooldownMs: 60_000, now: () => now });
  for (let i = 0; i < 3; i++) limiter.recordFailure('10.0.0.1');
  assert.equal(limiter.isBlocked('10.0.0.1'), false);
  limiter.recordFailure('10.0.0.1');
  assert.equal(limiter.isBlocked('10.0.0.1'), true);
  assert.equal(limiter.isBlocked('10.0.0.2'), false);
  now += 59_999;
  assert.equal(limiter.isBlocked('10.0.0.1'), true);
  limiter.recordSuccess('10.0.0.1');
  assert.equal(limiter.isBlocked('10.0.0.1'), true);
  now += 1;
  assert.equal(limiter.isBlocked('10.0.0.1'), false);
});

test('failures spread over more than the window do not block', () => {
  let now = 0;
  const limiter = new AuthFailureLimiter({ maxFailures: 2, windowMs: 1_000, cooldownMs: 60_000, now: () => now });
  for (let i = 0; i < 10; i++) {
    limiter.recordFailure('10.0.0.1');
    now += 600;
  }
  assert.equal(limiter.isBlocked('10.0.0.1'), false);
});

test('a success clears the failure count', () => {
  const limiter = new AuthFailureLimiter({ maxFailures: 2, now: () => 0 });
  limiter.recordFailure('a');
  limiter.recordFailure('a');
  limiter.recordSuccess('a');
  limiter.recordFailure('a');
  limiter.recordFailure('a');
  assert.equal(limiter.isBlocked('a'), false);
});

test('memory stays bounded', () => {
  const limiter = new AuthFailureLimiter({ capacity: 100, now: () => 0 });
  for (let i = 0; i < 10_000; i++) limiter.recordFailure(`10.0.${i >> 8}.${i & 255}`);
  assert.equal(limiter.tracked, 100);
});

test('loopback sources are never blocked by default (a local proxy carries everyone\'s traffic)', () => {
  const limiter = new AuthFailureLimiter({ maxFailures: 1, now: () => 0 });
  for (let i = 0; i < 5; i++) {
    limiter.recordFailure('127.0.0.1');
    limiter.recordFailure('::1');
    limiter.recordFailure('192.0.2.7');
  }
  assert.equal(limiter.isBlocked('127.0.0.1'), false);
  assert.equal(limiter.isBlocked('::1'), false);
  assert.equal(limiter.isBlocked('192.0.2.7'), true);
});
