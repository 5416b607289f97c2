import type { SipRequest, SipResponse } from '../message/types.js';
import { TimerSet } from './timed.js';
import type { ClientState, ClientTransactionEvents, TransactionEnv } from './types.js';

/** RFC 3261 17.1.2 non-INVITE client transaction (Timers E, F, K). */
export class NonInviteClientTransaction {
  state: ClientState = 'trying';
  private readonly timers: TimerSet;

  constructor(
    readonly request: SipRequest,
    private readonly env: TransactionEnv,
    private readonly events: ClientTransactionEvents,
  ) {
    this.timers = new TimerSet(env);
  }

  start(): void {
    const { t1 } = this.env.timers;
    this.env.send(this.request);
    if (!this.env.reliable) this.scheduleE(t1);
    this.timers.start('F', 64 * t1, () => {
      if (this.state !== 'trying' && this.state !== 'proceeding') return;
      this.events.onTimeout();
      this.terminate();
    });
  }

  private scheduleE(interval: number): void {
    this.timers.start('E', interval, () => {
      if (this.state !== 'trying' && this.state !== 'proceeding') return;
      this.env.send(this.request);
      const { t2 } = this.env.timers;
      this.scheduleE(this.state === 'proceeding' ? t2 : Math.min(interval * 2, t2));
    });
  }

  receive(res: SipResponse): void {
    if (this.state !== 'trying' && this.state !== 'proceeding') return;
    if (res.status < 200) {
      this.state = 'proceeding';
      this.events.onResponse(res);
      return;
    }
    this.state = 'completed';
    this.timers.stopAll();
    this.events.onResponse(res);
    if (this.env.reliable) this.terminate();
    else this.timers.start('K', this.env.timers.t4, () => this.terminate());
  }

  terminate(): void {
    if (this.state === 'terminated') return;
    this.state = 'terminated';
    this.timers.stopAll();
    this.events.onTerminated();
  }
}
