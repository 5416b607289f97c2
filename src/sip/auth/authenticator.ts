import { timingSafeEqual } from 'node:crypto';
import { parseCredentials, type DigestCredentials } from './credentials.js';
import { computeResponse, parseAlgorithm, type DigestAlgorithm } from './digest.js';
import { NonceCounts } from './nonce-counts.js';
import { NonceService } from './nonce.js';

/**
 * What the store knows about a user's password. Clients keep only the MD5 HA1 (Restcomm's format), so
 * SHA-256 is offered and verified only for users that also have an SHA-256 HA1.
 */
export interface DigestSecrets {
  readonly ha1Md5?: string;
  readonly ha1Sha256?: string;
}

/** null for an unknown user (or one that must not authenticate). */
export type CredentialLookup = (username: string, realm: string) => Promise<DigestSecrets | null>;

export type AuthOutcome =
  | { readonly kind: 'authenticated'; readonly username: string }
  /** Answer 401/407 with `challenge(realm, stale, ...)`. */
  | { readonly kind: 'challenge'; readonly stale: boolean }
  /** Answer 403; `reason` is for logs only, the response must not tell unknown user from bad password. */
  | { readonly kind: 'forbidden'; readonly username: string; readonly reason: string }
  | { readonly kind: 'bad-request'; readonly reason: string };

export interface AuthenticatorOptions {
  readonly lookup: CredentialLookup;
  readonly secret: Buffer;
  readonly now: () => number;
  readonly randomBytes: (size: number) => Buffer;
  /** Default 300 s. */
  readonly nonceLifetimeMs?: number;
  /** Nonces whose counts are tracked for replay protection; default 100,000. */
  readonly trackedNonces?: number;
}

export interface AuthRequest {
  readonly method: string;
  /** Every Authorization and Proxy-Authorization value of the request. */
  readonly authorization: readonly string[];
  readonly realm: string;
}

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a.toLowerCase());
  const y = Buffer.from(b.toLowerCase());
  return x.length === y.length && timingSafeEqual(x, y);
}

function quote(value: string): string {
  return `"${value.replace(/["\\]/g, '\\$&')}"`;
}

/** Digest authentication per RFC 2617/7616 with qop=auth, stateless nonces and nonce-count replay checks. */
export class DigestAuthenticator {
  private readonly nonces: NonceService;
  private readonly counts: NonceCounts;
  private readonly lifetimeMs: number;

  constructor(private readonly options: AuthenticatorOptions) {
    this.lifetimeMs = options.nonceLifetimeMs ?? 300_000;
    this.nonces = new NonceService({
      secret: options.secret,
      lifetimeMs: this.lifetimeMs,
      now: options.now,
      randomBytes: options.randomBytes,
    });
    this.counts = new NonceCounts(options.trackedNonces ?? 100_000);
  }

  /** Which algorithms to offer: SHA-256 (preferred, listed first) only where its HA1 exists. */
  static algorithmsFor(secrets: DigestSecrets | null): DigestAlgorithm[] {
    return secrets?.ha1Sha256 !== undefined ? ['SHA-256', 'MD5'] : ['MD5'];
  }

  /** Header values for WWW-Authenticate or Proxy-Authenticate, one per algorithm (RFC 7616 §3.7). */
  challenge(realm: string, stale: boolean, algorithms: readonly DigestAlgorithm[] = ['MD5']): string[] {
    const nonce = this.nonces.issue();
    const opaque = this.nonces.opaque();
    return algorithms.map(
      (algorithm) =>
        `Digest realm=${quote(realm)}, nonce="${nonce}", opaque="${opaque}", algorithm=${algorithm}, qop="auth"` +
        (stale ? ', stale=true' : ''),
    );
  }

  /** Drops replay-tracking entries of nonces that have expired anyway; call it now and then. */
  prune(): void {
    this.counts.prune(this.options.now() - this.lifetimeMs);
  }

  async verify(request: AuthRequest): Promise<AuthOutcome> {
    let chosen: DigestCredentials | undefined;
    for (const value of request.authorization) {
      const parsed = parseCredentials(value);
      if (parsed.kind === 'malformed') return { kind: 'bad-request', reason: parsed.reason };
      // Credentials for another realm or scheme (RFC 4475 regaut01) are not ours: challenge afresh.
      if (parsed.kind === 'digest' && parsed.credentials.realm === request.realm) chosen = parsed.credentials;
    }
    if (chosen === undefined) return { kind: 'challenge', stale: false };
    return this.verifyCredentials(request.method, chosen);
  }

  private async verifyCredentials(method: string, c: DigestCredentials): Promise<AuthOutcome> {
    const algorithm = parseAlgorithm(c.algorithm);
    if (algorithm === null) return { kind: 'challenge', stale: false };
    if (c.qop === undefined || c.qop.toLowerCase() !== 'auth') {
      return { kind: 'forbidden', username: c.username, reason: 'qop=auth is required' };
    }
    if (c.nc === undefined || !/^[0-9a-fA-F]{8}$/.test(c.nc)) return { kind: 'bad-request', reason: 'Invalid digest nc' };
    if (c.cnonce === undefined || c.cnonce === '') return { kind: 'bad-request', reason: 'Missing digest cnonce' };
    if (c.opaque !== undefined && c.opaque !== this.nonces.opaque()) return { kind: 'challenge', stale: false };
    const nonce = this.nonces.check(c.nonce);
    if (nonce.kind === 'invalid') return { kind: 'challenge', stale: false };
    const secrets = await this.options.lookup(c.username, c.realm);
    if (secrets === null) return { kind: 'forbidden', username: c.username, reason: 'unknown user' };
    const ha1 = algorithm === 'MD5' ? secrets.ha1Md5 : secrets.ha1Sha256;
    if (ha1 === undefined) return { kind: 'challenge', stale: false };
    const expected = computeResponse({ algorithm, ha1, nonce: c.nonce, method, uri: c.uri, nc: c.nc, cnonce: c.cnonce });
    if (!sameHex(expected, c.response)) return { kind: 'forbidden', username: c.username, reason: 'wrong password' };
    // Only a correct response may mark a nonce as stale or used: otherwise a wrong password would get a
    // "try again with a new nonce" instead of the 403 it deserves.
    if (nonce.kind === 'stale') return { kind: 'challenge', stale: true };
    if (this.counts.record(c.nonce, nonce.issuedAt, parseInt(c.nc, 16)) === 'replay') return { kind: 'challenge', stale: true };
    return { kind: 'authenticated', username: c.username };
  }
}
