import type { SipRequest, SipResponse } from '../message/types.js';
import { TimerSet } from './timed.js';
import type { AckBuilder, ClientState, ClientTransactionEvents, TransactionEnv } from './types.js';

/**
 * RFC 3261 17.1.1 INVITE client transaction, with the RFC 6026 Accepted state: after a 2xx the
 * transaction lives on for Timer M (64·T1) so 2xx retransmissions reach the TU, which acknowledges them.
 */
export class InviteClientTransaction {
  state: ClientState = 'calling';
  private readonly timers: TimerSet;
  private ack: SipRequest | null = null;

  constructor(
    readonly request: SipRequest,
    private readonly env: TransactionEnv,
    private readonly buildAck: AckBuilder,
    private readonly events: ClientTransactionEvents,
  ) {
    this.timers = new TimerSet(env);
  }

  start(): void {
    const { t1 } = this.env.timers;
    this.env.send(this.request);
    if (!this.env.reliable) this.scheduleA(t1);
    this.timers.start('B', 64 * t1, () => {
      if (this.state !== 'calling') return;
      this.events.onTimeout();
      this.terminate();
    });
  }

  private scheduleA(interval: number): void {
    this.timers.start('A', interval, () => {
      if (this.state !== 'calling') return;
      this.env.send(this.request);
      this.scheduleA(interval * 2);
    });
  }

  receive(res: SipResponse): void {
    switch (this.state) {
      case 'calling':
      case 'proceeding':
        if (res.status < 200) {
          this.state = 'proceeding';
          this.timers.stop('A');
          this.timers.stop('B');
          this.events.onResponse(res);
        } else if (res.status < 300) {
          this.state = 'accepted';
          this.timers.stopAll();
          this.timers.start('M', 64 * this.env.timers.t1, () => this.terminate());
          this.events.onResponse(res);
        } else {
          this.state = 'completed';
          this.timers.stopAll();
          this.ack = this.buildAck(this.request, res);
          this.env.send(this.ack);
          this.events.onResponse(res);
          if (this.env.reliable) this.terminate();
          else this.timers.start('D', Math.max(32_000, 64 * this.env.timers.t1), () => this.terminate());
        }
        return;
      case 'accepted':
        if (res.status >= 200 && res.status < 300) this.events.onResponse(res);
        return;
      case 'completed':
        if (res.status >= 300 && this.ack) this.env.send(this.ack);
        return;
      default:
        return;
    }
  }

  /** Ends the transaction at once (stack shutdown, transport failure). */
  terminate(): void {
    if (this.state === 'terminated') return;
    this.state = 'terminated';
    this.timers.stopAll();
    this.events.onTerminated();
  }
}
