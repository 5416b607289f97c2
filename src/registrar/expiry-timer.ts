import type { Clock, TimerHandle } from '../clock.js';

/** Node timers overflow above 2^31-1 ms; a later deadline is reached in several hops. */
const MAX_DELAY_MS = 2_147_483_647;

/**
 * One timer armed for the earliest binding expiry. `sweep` removes what is due and returns the next
 * deadline (wall-clock ms) or null; the timer re-arms itself from that.
 */
export class ExpiryTimer {
  private handle: TimerHandle | null = null;
  private due: number | null = null;
  private closed = false;

  constructor(
    private readonly clock: Clock,
    private readonly wallNow: () => number,
    private readonly sweep: () => Promise<number | null>,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** Makes sure the timer fires no later than `at`. */
  arm(at: number): void {
    if (this.closed || (this.due !== null && this.due <= at)) return;
    if (this.handle !== null) this.clock.clearTimeout(this.handle);
    this.due = at;
    this.handle = this.clock.setTimeout(() => this.fire(), Math.min(MAX_DELAY_MS, Math.max(0, at - this.wallNow())));
  }

  private fire(): void {
    this.handle = null;
    this.due = null;
    this.sweep().then(
      (next) => {
        if (next !== null) this.arm(next);
      },
      (err: unknown) => this.onError(err),
    );
  }

  close(): void {
    this.closed = true;
    if (this.handle !== null) this.clock.clearTimeout(this.handle);
    this.handle = null;
  }
}
