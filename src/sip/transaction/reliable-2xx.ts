import type { SipResponse } from '../message/types.js';
import { TimerSet } from './timed.js';
import type { TransactionEnv } from './types.js';

/**
 * Retransmits a 2xx to an INVITE until its ACK arrives (RFC 3261 13.3.1.4): first after T1, doubling up
 * to T2, giving up after 64·T1. Over TCP it sends once and only waits. The UAS dialog owns one per
 * answered INVITE and calls `acked()` when the ACK with the same CSeq arrives.
 */
export class Reliable2xx {
  private readonly timers: TimerSet;
  private done = false;

  constructor(
    private readonly response: SipResponse,
    private readonly env: TransactionEnv,
    /** Called when 64·T1 passed without an ACK: the UAS should end the session with a BYE. */
    private readonly onTimeout: () => void,
  ) {
    this.timers = new TimerSet(env);
  }

  /** The first transmission happened through the server transaction; this only schedules the repeats. */
  start(): void {
    const { t1 } = this.env.timers;
    if (!this.env.reliable) this.schedule(t1);
    this.timers.start('H', 64 * t1, () => {
      if (this.done) return;
      this.done = true;
      this.timers.stopAll();
      this.onTimeout();
    });
  }

  private schedule(interval: number): void {
    this.timers.start('G', interval, () => {
      if (this.done) return;
      this.env.send(this.response);
      this.schedule(Math.min(interval * 2, this.env.timers.t2));
    });
  }

  get pending(): boolean {
    return !this.done;
  }

  acked(): void {
    this.stop();
  }

  stop(): void {
    this.done = true;
    this.timers.stopAll();
  }
}
