import type { TimerHandle } from '../../clock.js';
import type { TransactionEnv } from './types.js';

/** Named timers of one transaction, so each state machine can start, restart and stop them by letter. */
export class TimerSet {
  private readonly handles = new Map<string, TimerHandle>();

  constructor(private readonly env: TransactionEnv) {}

  start(name: string, ms: number, fn: () => void): void {
    this.stop(name);
    this.handles.set(
      name,
      this.env.clock.setTimeout(() => {
        this.handles.delete(name);
        fn();
      }, ms),
    );
  }

  stop(name: string): void {
    const h = this.handles.get(name);
    if (h !== undefined) {
      this.env.clock.clearTimeout(h);
      this.handles.delete(name);
    }
  }

  stopAll(): void {
    for (const h of this.handles.values()) this.env.clock.clearTimeout(h);
    this.handles.clear();
  }
}
