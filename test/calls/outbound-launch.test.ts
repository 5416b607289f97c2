import assert from 'node:assert/strict';
import { test } from 'node:test';
import { failureStatus } from '../../src/calls/outbound-launch.js';

/** Spec voice.md 3.4: the only final failures that are not `failed`. */
const BUSY = [486, 600, 603];
const NO_ANSWER = [408, 480];

test('every final non-2xx of an INVITE maps to the call status of spec voice.md 3.4 (the CDR, and the DialCallStatus it gives)', () => {
  for (const code of BUSY) assert.equal(failureStatus(code), 'busy', `${code}`);
  for (const code of NO_ANSWER) assert.equal(failureStatus(code), 'no-answer', `${code}`);
  for (let code = 300; code <= 699; code++) {
    if (BUSY.includes(code) || NO_ANSWER.includes(code)) continue;
    assert.equal(failureStatus(code), 'failed', `${code}`);
  }
});
