import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DigestAuthenticator, type DigestSecrets } from '../../../src/sip/auth/authenticator.js';
import { parseCredentials } from '../../../src/sip/auth/credentials.js';
import { computeHa1, computeResponse, type DigestAlgorithm } from '../../../src/sip/auth/digest.js';
import { NonceCounts } from '../../../src/sip/auth/nonce-counts.js';

const REALM = '127.0.0.1';

function setup(secrets: Record<string, DigestSecrets> = { alice: { ha1Md5: computeHa1('MD5', 'alice', REALM, '1234') } }) {
  let now = 1_700_000_000_000;
  let counter = 0;
  const auth = new DigestAuthenticator({
    lookup: async (username) => secrets[username] ?? null,
    secret: Buffer.from('node-secret'),
    now: () => now,
    randomBytes: (n) => Buffer.alloc(n, ++counter),
    nonceLifetimeMs: 300_000,
  });
  return { auth, advance: (ms: number) => { now += ms; } };
}

function challengeParams(value: string): Map<string, string> {
  const parsed = parseCredentials(value.replace(/^Digest /, 'Digest username="x", uri="u", response="r", '));
  assert.equal(parsed.kind, 'digest');
  if (parsed.kind !== 'digest') throw new Error('unreachable');
  return new Map([['realm', parsed.credentials.realm], ['nonce', parsed.credentials.nonce], ['opaque', parsed.credentials.opaque ?? '']]);
}

function answer(challenge: string, user: string, password: string, nc = 1, algorithm: DigestAlgorithm = 'MD5', method = 'REGISTER'): string {
  const p = challengeParams(challenge);
  const nonce = p.get('nonce') ?? '';
  const uri = 'sip:127.0.0.1:5080';
  const ncText = nc.toString(16).padStart(8, '0');
  const response = computeResponse({ algorithm, ha1: computeHa1(algorithm, user, REALM, password), nonce, method, uri, nc: ncText, cnonce: 'abc' });
  return `Digest username="${user}", realm="${REALM}", nonce="${nonce}", uri="${uri}", response="${response}", algorithm=${algorithm}, cnonce="abc", qop=auth, nc=${ncText}, opaque="${p.get('opaque')}"`;
}

test('challenge carries realm, nonce, opaque, MD5 and qop=auth', () => {
  const { auth } = setup();
  const [value, ...rest] = auth.challenge(REALM, false);
  assert.equal(rest.length, 0);
  assert.match(value ?? '', /^Digest realm="127\.0\.0\.1", nonce="[0-9a-f]+\.[0-9a-f]{16}\.[0-9a-f]{32}", opaque="[0-9a-f]{16}", algorithm=MD5, qop="auth"$/);
  assert.match(auth.challenge(REALM, true)[0] ?? '', /, stale=true$/);
});

test('right password authenticates; wrong password and unknown user are forbidden', async () => {
  const { auth } = setup();
  const ch = auth.challenge(REALM, false)[0] ?? '';
  assert.deepEqual(await auth.verify({ method: 'REGISTER', realm: REALM, authorization: [answer(ch, 'alice', '1234')] }), { kind: 'authenticated', username: 'alice' });
  assert.deepEqual(await auth.verify({ method: 'REGISTER', realm: REALM, authorization: [answer(ch, 'alice', 'nope', 2)] }), { kind: 'forbidden', username: 'alice', reason: 'wrong password' });
  assert.deepEqual(await auth.verify({ method: 'REGISTER', realm: REALM, authorization: [answer(ch, 'bob', '1234')] }), { kind: 'forbidden', username: 'bob', reason: 'unknown user' });
});

test('the response covers the method', async () => {
  const { auth } = setup();
  const ch = auth.challenge(REALM, false)[0] ?? '';
  const outcome = await auth.verify({ method: 'INVITE', realm: REALM, authorization: [answer(ch, 'alice', '1234', 1, 'MD5', 'REGISTER')] });
  assert.equal(outcome.kind, 'forbidden');
});

test('an expired nonce with the right password gets a stale challenge', async () => {
  const { auth, advance } = setup();
  const ch = auth.challenge(REALM, false)[0] ?? '';
  advance(300_001);
  assert.deepEqual(await auth.verify({ method: 'REGISTER', realm: REALM, authorization: [answer(ch, 'alice', '1234')] }), { kind: 'challenge', stale: true });
  assert.equal((await auth.verify({ method: 'REGISTER', realm: REALM, authorization: [answer(ch, 'alice', 'bad')] })).kind, 'forbidden');
});

test('a nonce-count that does not increase is a replay', async () => {
  const { auth } = setup();
  const ch = auth.challenge(REALM, false)[0] ?? '';
  const first = answer(ch, 'alice', '1234', 1);
  assert.equal((await auth.verify({ method: 'REGISTER', realm: REALM, authorization: [first] })).kind, 'authenticated');
  assert.deepEqual(await auth.verify({ method: 'REGISTER', realm: REALM, authorization: [first] }), { kind: 'challenge', stale: true });
  assert.equal((await auth.verify({ method: 'REGISTER', realm: REALM, authorization: [answer(ch, 'alice', '1234', 2)] })).kind, 'authenticated');
  assert.equal((await auth.verify({ method: 'REGISTER', realm: REALM, authorization: [answer(ch, 'alice', '1234', 2)] })).kind, 'challenge');
});

test('a forged or tampered nonce gets a fresh challenge', async () => {
  const { auth } = setup();
  const ch = auth.challenge(REALM, false)[0] ?? '';
  const tampered = ch.replace(/nonce="([0-9a-f]+)\./, (_m, ts: string) => `nonce="${(parseInt(ts, 16) + 1).toString(16)}.`);
  assert.deepEqual(await auth.verify({ method: 'REGISTER', realm: REALM, authorization: [answer(tampered, 'alice', '1234')] }), { kind: 'challenge', stale: false });
});

test('unknown scheme, other realm or no credentials: fresh challenge; malformed: bad request', async () => {
  const { auth } = setup();
  assert.deepEqual(await auth.verify({ method: 'REGISTER', realm: REALM, authorization: ['NoOneKnowsThisScheme opaque-data=here'] }), { kind: 'challenge', stale: false });
  assert.deepEqual(await auth.verify({ method: 'REGISTER', realm: REALM, authorization: [] }), { kind: 'challenge', stale: false });
  const ch = auth.challenge(REALM, false)[0] ?? '';
  const other = answer(ch, 'alice', '1234').replace('realm="127.0.0.1"', 'realm="elsewhere"');
  assert.deepEqual(await auth.verify({ method: 'REGISTER', realm: REALM, authorization: [other] }), { kind: 'challenge', stale: false });
  assert.deepEqual(await auth.verify({ method: 'REGISTER', realm: REALM, authorization: ['Digest username="a'] }), { kind: 'bad-request', reason: 'unterminated quoted value of digest parameter username' });
  const noQop = answer(ch, 'alice', '1234').replace(', qop=auth', '');
  assert.deepEqual(await auth.verify({ method: 'REGISTER', realm: REALM, authorization: [noQop] }), { kind: 'forbidden', username: 'alice', reason: 'qop=auth is required' });
});

test('SHA-256 is offered and verified only where an SHA-256 HA1 exists', async () => {
  const carol: DigestSecrets = { ha1Md5: computeHa1('MD5', 'carol', REALM, 'pw'), ha1Sha256: computeHa1('SHA-256', 'carol', REALM, 'pw') };
  const alice: DigestSecrets = { ha1Md5: computeHa1('MD5', 'alice', REALM, 'pw') };
  const { auth } = setup({ carol, alice });
  assert.deepEqual(DigestAuthenticator.algorithmsFor(carol), ['SHA-256', 'MD5']);
  assert.deepEqual(DigestAuthenticator.algorithmsFor(alice), ['MD5']);
  assert.deepEqual(DigestAuthenticator.algorithmsFor(null), ['MD5']);
  const [sha, md5] = auth.challenge(REALM, false, ['SHA-256', 'MD5']);
  assert.match(sha ?? '', /algorithm=SHA-256/);
  assert.match(md5 ?? '', /algorithm=MD5/);
  assert.equal((await auth.verify({ method: 'REGISTER', realm: REALM, authorization: [answer(sha ?? '', 'carol', 'pw', 1, 'SHA-256')] })).kind, 'authenticated');
  assert.deepEqual(await auth.verify({ method: 'REGISTER', realm: REALM, authorization: [answer(sha ?? '', 'alice', 'pw', 1, 'SHA-256')] }), { kind: 'challenge', stale: false });
});

test('nonce-count LRU stays bounded and never reopens a replay after eviction', () => {
  const counts = new NonceCounts(2);
  assert.equal(counts.record('a', 1, 1), 'fresh');
  assert.equal(counts.record('b', 2, 1), 'fresh');
  assert.equal(counts.record('c', 3, 1), 'fresh');
  assert.equal(counts.size, 2);
  assert.equal(counts.record('a', 1, 2), 'replay');
  assert.equal(counts.record('c', 3, 2), 'fresh');
  assert.equal(counts.record('d', 4, 1), 'fresh');
  assert.equal(counts.size, 2);
  counts.prune(5);
  assert.equal(counts.size, 0);
});
