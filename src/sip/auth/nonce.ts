import { createHmac, timingSafeEqual } from 'node:crypto';

export type NonceCheck =
  | { readonly kind: 'valid'; readonly issuedAt: number }
  | { readonly kind: 'stale' }
  | { readonly kind: 'invalid' };

export interface NonceOptions {
  /** Per-node (or per-cluster, to share nonces) secret; anyone who knows it can mint nonces. */
  readonly secret: Buffer;
  readonly lifetimeMs: number;
  readonly now: () => number;
  readonly randomBytes: (size: number) => Buffer;
}

/**
 * Self-validating nonces: `<issue time ms, hex>.<random hex>.<HMAC-SHA256 of both, truncated>`.
 * Any node holding the secret can check one without shared state, so a REGISTER retried on another
 * node after a challenge still verifies.
 */
export class NonceService {
  constructor(private readonly options: NonceOptions) {}

  private mac(body: string): string {
    return createHmac('sha256', this.options.secret).update(body).digest('hex').slice(0, 32);
  }

  issue(): string {
    const body = `${Math.floor(this.options.now()).toString(16)}.${this.options.randomBytes(8).toString('hex')}`;
    return `${body}.${this.mac(body)}`;
  }

  check(nonce: string): NonceCheck {
    const m = /^([0-9a-f]{1,13})\.([0-9a-f]{16})\.([0-9a-f]{32})$/.exec(nonce);
    if (!m) return { kind: 'invalid' };
    const expected = Buffer.from(this.mac(`${m[1]}.${m[2]}`));
    if (!timingSafeEqual(expected, Buffer.from(m[3] ?? ''))) return { kind: 'invalid' };
    const issuedAt = parseInt(m[1] ?? '', 16);
    const age = this.options.now() - issuedAt;
    // A nonce from the future means clocks of nodes disagree a lot: treat it like an expired one.
    if (age > this.options.lifetimeMs || age < -this.options.lifetimeMs) return { kind: 'stale' };
    return { kind: 'valid', issuedAt };
  }

  /** Opaque value sent with every challenge; it only proves the client echoes what it was given. */
  opaque(): string {
    return this.mac('opaque').slice(0, 16);
  }
}
