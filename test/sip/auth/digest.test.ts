import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeHa1, computeResponse, parseAlgorithm } from '../../../src/sip/auth/digest.js';
import { parseCredentials } from '../../../src/sip/auth/credentials.js';

test('HA1 of the spec example: MD5("alice:127.0.0.1:1234")', () => {
  assert.equal(computeHa1('MD5', 'alice', '127.0.0.1', '1234'), '83ec0021c4ef853788e0e5d1032e8381');
});

test('RFC 2617 section 3.5 example response', () => {
  const ha1 = computeHa1('MD5', 'Mufasa', 'testrealm@host.com', 'Circle Of Life');
  const response = computeResponse({
    algorithm: 'MD5', ha1, nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093', method: 'GET', uri: '/dir/index.html',
    nc: '00000001', cnonce: '0a4f113b',
  });
  assert.equal(response, '6629fae49393a05397450978507c4ef1');
});

test('RFC 7616 section 3.9.1 examples, SHA-256 and MD5', () => {
  const common = {
    nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v', method: 'GET', uri: '/dir/index.html', nc: '00000001', cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
  };
  const sha = computeHa1('SHA-256', 'Mufasa', 'http-auth@example.org', 'Circle of Life');
  assert.equal(computeResponse({ ...common, algorithm: 'SHA-256', ha1: sha }), '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1');
  const md5 = computeHa1('MD5', 'Mufasa', 'http-auth@example.org', 'Circle of Life');
  assert.equal(computeResponse({ ...common, algorithm: 'MD5', ha1: md5 }), '8ca523f5e9506fed4657c9700eebdbec');
});

test('algorithm names', () => {
  assert.equal(parseAlgorithm(undefined), 'MD5');
  assert.equal(parseAlgorithm('md5'), 'MD5');
  assert.equal(parseAlgorithm('SHA-256'), 'SHA-256');
  assert.equal(parseAlgorithm('MD5-sess'), null);
});

test('parses digest credentials with quoted strings, escapes and tokens', () => {
  const p = parseCredentials('Digest username="al\\"ice", realm="127.0.0.1",nonce="n1", uri="sip:127.0.0.1:5080", response="abc", algorithm=MD5, cnonce="c", qop=auth, nc=00000001, opaque="o"');
  assert.equal(p.kind, 'digest');
  if (p.kind !== 'digest') return;
  assert.equal(p.credentials.username, 'al"ice');
  assert.equal(p.credentials.uri, 'sip:127.0.0.1:5080');
  assert.equal(p.credentials.qop, 'auth');
  assert.equal(p.credentials.nc, '00000001');
  assert.equal(p.credentials.opaque, 'o');
});

test('other schemes and malformed digest headers', () => {
  assert.deepEqual(parseCredentials('NoOneKnowsThisScheme opaque-data=here'), { kind: 'other-scheme', scheme: 'NoOneKnowsThisScheme' });
  assert.deepEqual(parseCredentials('Digest username="a", realm="r"'), { kind: 'malformed', reason: 'digest parameter nonce is missing' });
  assert.deepEqual(parseCredentials('Digest username="a'), { kind: 'malformed', reason: 'unterminated quoted value of digest parameter username' });
  assert.deepEqual(parseCredentials('Digest username="a" realm="r"'), { kind: 'malformed', reason: 'expected "," after digest parameter username' });
  assert.deepEqual(parseCredentials('Digest username="a", username="b"'), { kind: 'malformed', reason: 'digest parameter username appears twice' });
  assert.deepEqual(parseCredentials(''), { kind: 'malformed', reason: 'Authorization header has no scheme' });
});
