import { createHash } from 'node:crypto';

/** Digest algorithms this node can verify (RFC 7616 names). `-sess` variants are not offered. */
export type DigestAlgorithm = 'MD5' | 'SHA-256';

export const DIGEST_ALGORITHMS: readonly DigestAlgorithm[] = ['SHA-256', 'MD5'];

export function parseAlgorithm(text: string | undefined): DigestAlgorithm | null {
  if (text === undefined) return 'MD5';
  const upper = text.toUpperCase();
  return upper === 'MD5' || upper === 'SHA-256' ? upper : null;
}

export function digestHash(algorithm: DigestAlgorithm, text: string): string {
  return createHash(algorithm === 'MD5' ? 'md5' : 'sha256').update(text, 'utf8').digest('hex');
}

/** HA1 = H(username:realm:password), what the store keeps instead of the password. */
export function computeHa1(algorithm: DigestAlgorithm, username: string, realm: string, password: string): string {
  return digestHash(algorithm, `${username}:${realm}:${password}`);
}

export interface ResponseInput {
  readonly algorithm: DigestAlgorithm;
  readonly ha1: string;
  readonly nonce: string;
  readonly method: string;
  readonly uri: string;
  readonly nc: string;
  readonly cnonce: string;
}

/**
 * The `response` value of RFC 2617 §3.2.2.1 / RFC 7616 §3.4.1 for qop=auth, with A2 = METHOD:digest-uri.
 * The RFC 2069 form without qop is not accepted: without nc there is no replay protection.
 */
export function computeResponse(input: ResponseInput): string {
  const ha2 = digestHash(input.algorithm, `${input.method}:${input.uri}`);
  return digestHash(input.algorithm, `${input.ha1.toLowerCase()}:${input.nonce}:${input.nc}:${input.cnonce}:auth:${ha2}`);
}
