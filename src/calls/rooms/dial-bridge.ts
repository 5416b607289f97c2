import { delay, type Clock } from '../../clock.js';
import type { Logger } from '../../log.js';
import type { MediaServer } from '../../media/media-server.js';
import type { Store } from '../../store/store.js';
import type { CallParty } from '../call-party.js';
import type { RecordingPlace } from '../media-verbs.js';
import { CallRoom } from './call-room.js';

export interface BridgeDeps {
  readonly media: MediaServer;
  readonly store: Store;
  readonly ringbackFile: string;
  readonly log: Logger;
  readonly clock: Clock;
}

export interface HoldOptions {
  /** Seconds. */
  readonly timeLimit: number;
  /** `*` from the caller ends the bridge. */
  readonly hangupOnStar: boolean;
  /** Dial `record="true"`: both parties mixed into a recording of this bridge, stored here. */
  readonly record?: RecordingPlace;
}

/**
 * A room of two answered calls: a Dial's caller and the leg that answered, or a transferee bridged
 * back to its transferor. It ends when the callee leaves, the caller's activity is stopped (or it is
 * handed another one), the time limit passes, or `*` (hangupOnStar); then the callee is hung up —
 * unless the bridge was released (a transfer, or the callee handed another app, which takes it out of
 * the room), which leaves both calls up. Whoever sets a bridge up decides whether its calls may be
 * transferred (`acceptTransfers`).
 */
export class DialBridge {
  private room: CallRoom | null = null;
  private releaseNow: () => void = () => undefined;
  private unbridged: Promise<void> = Promise.resolve();
  private state: 'new' | 'bridged' | 'released' | 'ended' = 'new';
  private recordingUrlValue: string | null = null;
  /** Set once a transfer was accepted on this bridge: a second REFER is refused. */
  transferring = false;
  private readonly log: Logger;

  constructor(
    private readonly deps: BridgeDeps,
    readonly caller: CallParty,
    readonly callee: CallParty,
  ) {
    this.log = deps.log.child({ module: 'bridge', callSid: caller.call.sid, calleeSid: callee.call.sid });
  }

  get bridged(): boolean {
    return this.state === 'bridged';
  }

  /** The stored recording of this bridge once it ended (record was asked and something was heard). */
  get recordingUrl(): string | null {
    return this.recordingUrlValue;
  }

  /**
   * Puts both calls in one room (at once, as far as the call model goes) and waits until the bridge
   * ends; resolves true when it was released rather than ended.
   */
  async hold(options: HoldOptions, signal: AbortSignal): Promise<boolean> {
    const { caller, callee } = this;
    if (signal.aborted || caller.call.ended || callee.call.ended) return this.finish(false);
    const room = new CallRoom(this.deps, options.record ? { record: options.record } : {});
    this.room = room;
    this.state = 'bridged';
    const joined = Promise.all([room.join(caller), room.join(callee)]);
    const limit = delay(this.deps.clock, options.timeLimit * 1000);
    const unsubscribe: Array<() => void> = [];
    const released = new Promise<boolean>((resolve) => {
      this.releaseNow = () => resolve(true);
      if (options.hangupOnStar) unsubscribe.push(caller.endpoint.onDigit((d) => { if (d === '*') resolve(false); }));
      callee.leg.onEnd(() => resolve(false));
      caller.leg.onEnd(() => resolve(false));
      // A call handed another activity leaves the room: the callee releases the bridge, the caller ends it.
      unsubscribe.push(room.onLeave((member) => {
        if (member === callee) void this.release();
        else resolve(false);
      }));
      if (signal.aborted) resolve(false);
      else signal.addEventListener('abort', () => resolve(false), { once: true });
      void limit.promise.then(() => resolve(false));
      joined.catch((err: unknown) => {
        this.log.error({ err }, 'the bridge could not be set up');
        resolve(false);
      });
    });
    const wasReleased = await released;
    limit.cancel();
    for (const off of unsubscribe) off();
    return this.finish(wasReleased);
  }

  /**
   * Ends the bridge leaving both calls up (a transfer, or the callee handed to another app); both are
   * out of the room at once; resolves once the engine closed it.
   */
  release(): Promise<void> {
    if (this.state !== 'bridged') return this.unbridged;
    this.state = 'released';
    this.unbridged = this.unbridge();
    this.releaseNow();
    return this.unbridged;
  }

  private async finish(released: boolean): Promise<boolean> {
    if (this.state === 'bridged') {
      this.state = 'ended';
      this.unbridged = this.unbridge();
    } else if (!released) this.state = 'ended';
    await this.unbridged;
    if (!released && !this.callee.call.ended) this.callee.hangup();
    return released;
  }

  private async unbridge(): Promise<void> {
    const room = this.room;
    this.room = null;
    this.recordingUrlValue = (await room?.close()) ?? null;
  }
}
