import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isStrongPassword, passwordScore } from '../../src/api/password-strength.js';

test('Restcomm reference scores (spec §1.7)', () => {
  const reference: [string, number][] = [
    ['1234', 4],
    ['12345678', 4],
    ['password', 8],
    ['RestComm', 36],
    ['mynewpassword12', 51],
    ['Restcomm2', 54],
    ['RestComm12', 70],
    ['1234asdf!@#', 75],
    ['RestComm1234', 88],
    ['RestCom1233@', 97],
    ['RestComm1234!', 100],
  ];
  for (const [password, score] of reference) assert.equal(passwordScore(password), score, password);
});

test('characters that break the original script make a password weak', () => {
  assert.equal(passwordScore('abc(12'), null);
  for (const c of ['(', ')', '[', '?', '*', '+', '\\']) assert.equal(isStrongPassword(`RestComm1234!${c}`), false, c);
  assert.equal(isStrongPassword('RestComm1234!'), true);
  assert.equal(isStrongPassword('mynewpassword12'), true);
  assert.equal(isStrongPassword('RestComm'), false);
  assert.equal(passwordScore(''), 0);
});
