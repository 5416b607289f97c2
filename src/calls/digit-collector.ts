import type { Clock, TimerHandle } from '../clock.js';
import type { Endpoint } from '../media/media-server.js';

/** What a collection listens to: a media session's DTMF events and its end. */
export type DigitSource = Pick<Endpoint, 'onDigit' | 'onClose'>;

export interface CollectOptions {
  /** Ends the collection once this many digits were entered; null: no count. */
  readonly numDigits: number | null;
  /** Any of these keys ends the collection; it is not part of the digits. Empty: none. */
  readonly finishOnKey: string;
  /** Counted from `startTimeout()`, then from each digit (Restcomm's Gather). */
  readonly timeoutMs: number;
  /** Ends the collection at once with what was entered so far (the call's app was stopped). */
  readonly signal: AbortSignal;
}

export interface Collected {
  /** Digits entered, without the finish key. */
  readonly digits: string;
  readonly reason: 'numDigits' | 'finishOnKey' | 'timeout' | 'closed' | 'aborted';
}

/**
 * Gather's digit collection, on the call layer's clock: digits count from the start, the first one
 * interrupts the prompts (`prompts` aborts: barge-in, as Restcomm does), and the collection ends on
 * the count, a finish key, the timeout once started, the endpoint closing, or the signal.
 */
export class DigitCollector {
  readonly result: Promise<Collected>;
  private readonly promptsStop = new AbortController();
  private readonly unsubscribe: Array<() => void> = [];
  private digits = '';
  private timer: TimerHandle | null = null;
  private timing = false;
  private done = false;
  private resolve!: (c: Collected) => void;

  constructor(source: DigitSource, private readonly clock: Clock, private readonly options: CollectOptions) {
    this.result = new Promise((resolve) => {
      this.resolve = resolve;
    });
    const { numDigits, finishOnKey, signal } = options;
    if (signal.aborted) {
      this.end('aborted');
      return;
    }
    const aborted = (): void => this.end('aborted');
    signal.addEventListener('abort', aborted, { once: true });
    this.unsubscribe.push(() => signal.removeEventListener('abort', aborted));
    this.unsubscribe.push(source.onDigit((d) => {
      this.promptsStop.abort();
      if (finishOnKey.includes(d)) return this.end('finishOnKey');
      this.digits += d;
      if (numDigits !== null && this.digits.length >= numDigits) return this.end('numDigits');
      if (this.timing) this.arm();
    }));
    this.unsubscribe.push(source.onClose(() => this.end('closed')));
  }

  /** Aborts at the first digit and when the collection ends: the prompts played meanwhile stop. */
  get prompts(): AbortSignal {
    return this.promptsStop.signal;
  }

  /** The prompts are over: from now on the timeout counts (restarted by every digit). */
  startTimeout(): void {
    if (this.done) return;
    this.timing = true;
    this.arm();
  }

  private arm(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = this.clock.setTimeout(() => this.end('timeout'), this.options.timeoutMs);
  }

  private end(reason: Collected['reason']): void {
    if (this.done) return;
    this.done = true;
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    for (const off of this.unsubscribe.splice(0)) off();
    this.promptsStop.abort();
    this.resolve({ digits: this.digits, reason });
  }
}
