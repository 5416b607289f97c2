import type { SipRequest, SipResponse } from '../message/types.js';
import { TimerSet } from './timed.js';
import type { ServerState, ServerTransactionEvents, TransactionEnv } from './types.js';

/** RFC 3261 17.2.2 non-INVITE server transaction (Timer J); retransmitted requests get the last response again. */
export class NonInviteServerTransaction {
  state: ServerState = 'trying';
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
    if (this.state !== 'trying' && this.state !== 'proceeding') {
      throw new Error(`${this.request.method} transaction already answered (${this.state})`);
    }
    this.last = res;
    this.env.send(res);
    if (res.status < 200) {
      this.state = 'proceeding';
      return;
    }
    this.state = 'completed';
    if (this.env.reliable) this.terminate();
    else this.timers.start('J', 64 * this.env.timers.t1, () => this.terminate());
  }

  receive(_retransmission: SipRequest): void {
    if ((this.state === 'proceeding' || this.state === 'completed') && this.last) this.env.send(this.last);
  }

  terminate(): void {
    if (this.state === 'terminated') return;
    this.state = 'terminated';
    this.timers.stopAll();
    this.events.onTerminated();
  }
}
