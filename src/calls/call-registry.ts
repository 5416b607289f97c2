import { delay, type Clock } from '../clock.js';
import type { HttpMethod } from '../rcml/verbs.js';
import type { Call } from './call.js';

/** An RCML application to run on a call (live call modification). */
export interface AppTarget {
  readonly url: string;
  readonly method: HttpMethod;
  readonly fallback: { readonly url: string; readonly method: HttpMethod } | null;
}

export interface LiveCall {
  readonly call: Call;
  /** Ends the call from our side (BYE, CANCEL or a final response, whatever its state needs). */
  hangup(): void;
  /**
   * Live call modification with a new `Url`: stops the current RCML without hanging up (a Dial it runs
   * unbridges and hangs up its leg; a Dial leg leaves its bridge, its caller's Dial ends) and runs `app`
   * on this call.
   */
  redirect(app: AppTarget): void;
  /** LCM `Mute`: what this call says is not heard in its room (now and in every room it joins) until unmuted. */
  mute(muted: boolean): Promise<void>;
}

export interface CallRegistryStats {
  readonly calls: number;
  readonly inbound: number;
  readonly outbound: number;
}

/** Every call of this node that has not ended yet, by sid. */
export class CallRegistry {
  private readonly live = new Map<string, LiveCall>();
  private readonly emptyWaiters: Array<() => void> = [];

  constructor(private readonly clock: Clock) {}

  add(entry: LiveCall): void {
    this.live.set(entry.call.sid, entry);
  }

  remove(sid: string): void {
    this.live.delete(sid);
    if (this.live.size === 0) for (const w of this.emptyWaiters.splice(0)) w();
  }

  get(sid: string): LiveCall | undefined {
    return this.live.get(sid);
  }

  list(): LiveCall[] {
    return [...this.live.values()];
  }

  stats(): CallRegistryStats {
    let inbound = 0;
    for (const { call } of this.live.values()) if (call.direction === 'inbound') inbound++;
    return { calls: this.live.size, inbound, outbound: this.live.size - inbound };
  }

  /** Hangs up every live call and waits (at most `timeoutMs`) until they are gone. */
  async hangupAll(timeoutMs: number): Promise<void> {
    for (const entry of this.list()) entry.hangup();
    if (this.live.size === 0) return;
    const timeout = delay(this.clock, timeoutMs);
    await Promise.race([timeout.promise, new Promise<void>((resolve) => this.emptyWaiters.push(resolve))]);
    timeout.cancel();
  }
}
