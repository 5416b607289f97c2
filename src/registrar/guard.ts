/**
 * User-Agent substrings of well-known SIP scanners and war-dialers (matched case-insensitively). Requests
 * from them are dropped without an answer: a response only confirms that a SIP server lives here.
 * `sipsak` is deliberately absent: it is a legitimate diagnostic tool.
 */
export const SCANNER_USER_AGENTS: readonly string[] = [
  'friendly-scanner',
  'sipvicious',
  'sipcli',
  'sip-scan',
  'vaxsipuseragent',
  'iwar',
  'sundayddr',
  'sivus',
  'gulp',
  'smap',
  'pplsip',
  'sipscan',
];

export function isScanner(userAgent: string | undefined): boolean {
  if (userAgent === undefined) return false;
  const ua = userAgent.toLowerCase();
  return SCANNER_USER_AGENTS.some((s) => ua.includes(s));
}

export interface FailureLimiterOptions {
  /** More than this many failures inside `windowMs` blocks the source. Default 10. */
  readonly maxFailures?: number;
  /** Default 60 s. */
  readonly windowMs?: number;
  /** How long a source stays blocked. Default 300 s. */
  readonly cooldownMs?: number;
  /** Sources tracked at once; the least recently seen is forgotten first. Default 10,000. */
  readonly capacity?: number;
  /**
   * Sources never blocked. Default: loopback addresses, as fail2ban's default `ignoreip` does: a proxy or
   * SBC on the same host (Kamailio in front of the node) sends everyone's traffic from there, and blocking
   * it would block every phone behind it.
   */
  readonly exempt?: (source: string) => boolean;
  readonly now: () => number;
}

export function isLoopback(host: string): boolean {
  return host.startsWith('127.') || host === '::1' || host.startsWith('::ffff:127.');
}

interface SourceState {
  windowStart: number;
  failures: number;
  blockedUntil: number;
}

/**
 * Counts authentication failures per source address and blocks a source that fails too often. Memory is
 * bounded by `capacity`; all timing comes from the injected `now`.
 */
export class AuthFailureLimiter {
  private readonly sources = new Map<string, SourceState>();
  private readonly maxFailures: number;
  private readonly windowMs: number;
  private readonly cooldownMs: number;
  private readonly capacity: number;
  private readonly exempt: (source: string) => boolean;

  constructor(private readonly options: FailureLimiterOptions) {
    this.exempt = options.exempt ?? isLoopback;
    this.maxFailures = options.maxFailures ?? 10;
    this.windowMs = options.windowMs ?? 60_000;
    this.cooldownMs = options.cooldownMs ?? 300_000;
    this.capacity = options.capacity ?? 10_000;
  }

  get tracked(): number {
    return this.sources.size;
  }

  isBlocked(source: string): boolean {
    const state = this.sources.get(source);
    return state !== undefined && state.blockedUntil > this.options.now();
  }

  recordFailure(source: string): void {
    if (this.exempt(source)) return;
    const now = this.options.now();
    let state = this.sources.get(source);
    if (state === undefined || now - state.windowStart >= this.windowMs) {
      state = { windowStart: now, failures: 0, blockedUntil: state?.blockedUntil ?? 0 };
    }
    state.failures++;
    if (state.failures > this.maxFailures) state.blockedUntil = now + this.cooldownMs;
    // Re-inserting keeps the Map in least-recently-failed order, which is what eviction walks.
    this.sources.delete(source);
    this.sources.set(source, state);
    while (this.sources.size > this.capacity) {
      const oldest = this.sources.keys().next().value;
      if (oldest === undefined) break;
      this.sources.delete(oldest);
    }
  }

  /** A successful authentication clears the failures of that source. */
  recordSuccess(source: string): void {
    const state = this.sources.get(source);
    if (state !== undefined && state.blockedUntil <= this.options.now()) this.sources.delete(source);
  }
}
