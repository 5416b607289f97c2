import { delay, pause, type Clock, type Delay } from '../../clock.js';
import type { Logger } from '../../log.js';
import type { SipResponse } from '../../sip/message/index.js';
import type { Dialog, ServerTransaction } from '../../sip/stack-api.js';

export interface ReferSubscriptionOptions {
  /** The dialog the REFER came in on. */
  readonly dialog: Dialog;
  /** The REFER's server transaction, still unanswered: the subscription sends the 202 itself, before any NOTIFY. */
  readonly tx: ServerTransaction;
  /** False for `Refer-Sub: false` (RFC 4488): no NOTIFY at all. */
  readonly referSub: boolean;
  readonly log: Logger;
  /** The expiry and the pause before a retry run on it. */
  readonly clock: Clock;
  /** Subscription lifetime in seconds (RFC 3515 2.4.4 leaves it to the notifier); default 60. */
  readonly expiresSeconds?: number;
  /** Pause before re-sending a NOTIFY answered 491; default 200 ms. */
  readonly retryDelayMs?: number;
}

/** How the subscription ended from the notifier's side. */
export interface SubscriptionEnd {
  /** True when the final NOTIFY got a 2xx. */
  readonly answered: boolean;
  /** The response to the last NOTIFY (0 when none was sent or the dialog was gone). */
  readonly notifyResponse: number;
  /** The sipfrag status in the last NOTIFY that went out (null when none did). */
  readonly lastSentStatus: number | null;
}

interface Frag {
  readonly status: number;
  readonly reason: string;
  readonly final: boolean;
  readonly terminationReason: string;
}

const MAX_491_RETRIES = 3;

/** REFERs accepted per dialog, to decide whether NOTIFYs need `;id=` (RFC 3515 2.4.6). */
const refersPerDialog = new WeakMap<Dialog, number>();

/**
 * The notifier side of a REFER's implicit subscription (RFC 3515 2.4.4, RFC 6665). NOTIFYs go out one
 * at a time: a phone that receives two NOTIFYs in flight, or a NOTIFY before the 202, may answer 491
 * (linphone does) and lose the transfer state. A 481, a 408, any other failure answer, or the dialog
 * ending (phones often BYE right after the 202) stops the subscription quietly.
 */
export class ReferSubscription {
  private readonly log: Logger;
  private readonly expiresAt: number;
  private readonly eventHeader: string;
  private readonly queue: Frag[] = [];
  private sending = false;
  private ended = false;
  private finalQueued = false;
  private lastSent: Frag | null = null;
  private lastResponse = 0;
  private expiry: Delay | null = null;
  private resolveEnd!: (end: SubscriptionEnd) => void;
  /** Resolves once the final NOTIFY was answered, or the subscription ended otherwise. The transferor's BYE waits for this. */
  readonly onFinalAnswered: Promise<SubscriptionEnd>;

  private constructor(private readonly opts: ReferSubscriptionOptions) {
    this.log = opts.log.child({ module: 'refer-subscription', callId: opts.dialog.id.callId });
    this.onFinalAnswered = new Promise((resolve) => {
      this.resolveEnd = resolve;
    });
    const expires = opts.expiresSeconds ?? 60;
    this.expiresAt = opts.clock.now() + expires * 1000;
    const count = (refersPerDialog.get(opts.dialog) ?? 0) + 1;
    refersPerDialog.set(opts.dialog, count);
    this.eventHeader = count > 1 ? `refer;id=${opts.tx.request.cseq.seq}` : 'refer';
  }

  /**
   * Answers the REFER `202 Accepted` and, unless `Refer-Sub: false`, sends `SIP/2.0 100 Trying` right
   * after it. Call this before any HTTP fetch or dialing.
   */
  static accept(opts: ReferSubscriptionOptions): ReferSubscription {
    const sub = new ReferSubscription(opts);
    const headers: Array<[string, string]> = [['Event', sub.eventHeader]];
    if (!opts.referSub) headers.push(['Refer-Sub', 'false']);
    opts.tx.respond(202, 'Accepted', { headers });
    if (!opts.referSub) {
      sub.end(false);
      return sub;
    }
    opts.dialog.onTerminated(() => sub.dialogEnded());
    sub.expiry = delay(opts.clock, (opts.expiresSeconds ?? 60) * 1000);
    void sub.expiry.promise.then(() => sub.expire());
    sub.enqueue({ status: 100, reason: 'Trying', final: false, terminationReason: '' });
    return sub;
  }

  /** True once no further NOTIFY will be sent. */
  get isEnded(): boolean {
    return this.ended || this.finalQueued;
  }

  /** The sipfrag status of the last NOTIFY sent: the Refers log's `notify_status`. */
  get lastSentStatus(): number | null {
    return this.lastSent?.status ?? null;
  }

  /** A provisional response from the target (`180 Ringing`, `183 Session Progress`). */
  progress(status: number, reason: string): void {
    if (status < 101 || status > 199) throw new RangeError(`progress() takes a 1xx status, not ${status}`);
    this.enqueue({ status, reason, final: false, terminationReason: '' });
  }

  /** The outcome: `200 OK` once the transferee talks to the target, or the failure line; ends the subscription. */
  finish(status: number, reason: string): Promise<SubscriptionEnd> {
    if (status < 200 || status > 699) throw new RangeError(`finish() takes a final status, not ${status}`);
    this.enqueue({ status, reason, final: true, terminationReason: 'noresource' });
    return this.onFinalAnswered;
  }

  /** A NOTIFY in flight still gets its answer recorded (a 481 ends the dialog before its transaction completes). */
  private dialogEnded(): void {
    this.finalQueued = true;
    if (!this.sending) this.end(false);
  }

  private expire(): void {
    this.expiry = null;
    // RFC 6665 4.2.2: on expiry the notifier sends a last NOTIFY with the current state and reason=timeout.
    const { status, reason } = this.lastSent ?? { status: 100, reason: 'Trying' };
    this.enqueue({ status, reason, final: true, terminationReason: 'timeout' });
  }

  private enqueue(frag: Frag): void {
    if (this.isEnded) return;
    if (frag.final) {
      this.finalQueued = true;
      // Provisionals still waiting are stale once the outcome is known.
      this.queue.length = 0;
    }
    this.queue.push(frag);
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    try {
      for (let frag = this.queue.shift(); frag !== undefined && !this.ended; frag = this.queue.shift()) {
        const res = await this.sendWithRetry(frag);
        if (res === null) return this.end(false);
        this.lastResponse = res.status;
        if (res.status >= 300) {
          this.log.info({ status: res.status }, 'NOTIFY refused; subscription ends');
          return this.end(false);
        }
        if (frag.final) return this.end(true);
      }
      if (this.opts.dialog.state === 'terminated') this.end(false);
    } finally {
      this.sending = false;
    }
  }

  private async sendWithRetry(frag: Frag): Promise<SipResponse | null> {
    for (let attempt = 0; ; attempt++) {
      if (this.ended || this.opts.dialog.state === 'terminated') return null;
      this.lastSent = frag;
      const tx = this.opts.dialog.sendRequest('NOTIFY', {
        headers: [
          ['Event', this.eventHeader],
          ['Subscription-State', this.stateValue(frag)],
          ['Content-Type', 'message/sipfrag;version=2.0'],
        ],
        body: `SIP/2.0 ${frag.status} ${frag.reason}\r\n`,
      });
      const res = await tx.final;
      if (res.status !== 491 || attempt >= MAX_491_RETRIES) return res;
      await pause(this.opts.clock, this.opts.retryDelayMs ?? 200);
    }
  }

  private stateValue(frag: Frag): string {
    if (frag.final) return `terminated;reason=${frag.terminationReason}`;
    const left = Math.max(0, Math.ceil((this.expiresAt - this.opts.clock.now()) / 1000));
    return `active;expires=${left}`;
  }

  private end(answered: boolean): void {
    if (this.ended) return;
    this.ended = true;
    this.finalQueued = true;
    this.queue.length = 0;
    this.expiry?.cancel();
    this.expiry = null;
    this.resolveEnd({ answered, notifyResponse: this.lastResponse, lastSentStatus: this.lastSentStatus });
  }
}
