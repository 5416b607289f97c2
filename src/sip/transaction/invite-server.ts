import type { SipRequest, SipResponse } from '../message/types.js';
import { TimerSet } from './timed.js';
import type { ServerState, ServerTransactionEvents, TransactionEnv } from './types.js';

/**
 * RFC 3261 17.2.1 INVITE server transaction with the RFC 6026 Accepted state. A 2xx is sent once here;
 * retransmitting it until the ACK arrives is the TU's job (see `Reliable2xx`), because the ACK for a
 * 2xx is its own transaction.
 */
export class InviteServerTransaction {
  state: ServerState = 'proceeding';
  private readonly timers: TimerSet;
  private last: SipResponse | null = null;

  constructor(
    readonly request: SipRequest,
    private readonly env: TransactionEnv,
    private readonly events: ServerTransactionEvents,
  ) {
    this.timers = new TimerSet(env);
  }

  get lastResponse(): SipResponse | null {
    return this.last;
  }

  respond(res: SipResponse): void {
    if (this.state !== 'proceeding') throw new Error(`INVITE transaction already answered (${this.state})`);
    this.last = res;
    this.env.send(res);
    const { t1 } = this.env.timers;
    if (res.status < 200) return;
    if (res.status < 300) {
      this.state = 'accepted';
      this.timers.start('L', 64 * t1, () => this.terminate());
      return;
    }
    this.state = 'completed';
    if (!this.env.reliable) this.scheduleG(t1);
    this.timers.start('H', 64 * t1, () => {
      if (this.state !== 'completed') return;
      this.events.onTimeout();
      this.terminate();
    });
  }

  private scheduleG(interval: number): void {
    this.timers.start('G', interval, () => {
      if (this.state !== 'completed' || !this.last) return;
      this.env.send(this.last);
      this.scheduleG(Math.min(interval * 2, this.env.timers.t2));
    });
  }

  /** A request that matched this transaction: an INVITE retransmission or the ACK for a non-2xx. */
  receive(req: SipRequest): void {
    if (req.method === 'ACK') {
      if (this.state !== 'completed') return;
      this.state = 'confirmed';
      this.timers.stopAll();
      if (this.env.reliable) this.terminate();
      else this.timers.start('I', this.env.timers.t4, () => this.terminate());
      return;
    }
    if ((this.state === 'proceeding' || this.state === 'completed') && this.last) this.env.send(this.last);
  }

  terminate(): void {
    if (this.state === 'terminated') return;
    this.state = 'terminated';
    this.timers.stopAll();
    this.events.onTerminated();
  }
}
