import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { MediaServer, Room } from '../media/media-server.js';
import type { Store } from '../store/store.js';
import type { CallHandle } from './call-handle.js';
import type { Dialog, ServerTransaction } from '../sip/stack-api.js';
import type { SipRequest } from '../sip/message/types.js';
import { handleRefer } from './transfer/refer-handler.js';
import { BridgeTransfer } from './transfer/bridge-transfer.js';
import { newSid } from '../store/sid.js';
import { storeRecording, type RecordingPlace } from './media-verbs.js';

export interface PairDeps {
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

const sleep = (ms: number): { promise: Promise<void>; cancel: () => void } => {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
};

/**
 * Two answered calls bridged through the media engine: a Dial's caller and the leg that answered, or a
 * transferee bridged back to its transferor. While bridged, a REFER from either leg is a blind transfer
 * of the other one. The bridge ends when the callee leaves, the caller's activity is stopped, the time
 * limit passes, or `*` (hangupOnStar); then the callee is hung up — unless the pair was released
 * (transfer, the callee redirected), which leaves both calls up.
 */
export class BridgePair {
  private room: Promise<Room> | null = null;
  private releaseNow: () => void = () => undefined;
  private unbridged: Promise<void> = Promise.resolve();
  private state: 'new' | 'bridged' | 'released' | 'ended' = 'new';
  private recording: { readonly place: RecordingPlace; readonly sid: string } | null = null;
  private recordingUrlValue: string | null = null;
  /** Set once a transfer was accepted on this pair: a second REFER is refused. */
  transferring = false;
  private readonly log: Logger;

  constructor(
    private readonly deps: PairDeps,
    readonly caller: CallHandle,
    readonly callee: CallHandle,
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

  /** Bridges and waits until the bridge ends; resolves true when it was released rather than ended. */
  async hold(options: HoldOptions, signal: AbortSignal): Promise<boolean> {
    if (signal.aborted || this.caller.call.ended || this.callee.call.ended) return this.finish(false);
    if (options.record) this.recording = { place: options.record, sid: newSid('RE') };
    const room = this.deps.media.createRoom(this.recording ? { record: { name: this.recording.sid } } : {});
    this.room = room;
    this.state = 'bridged';
    for (const side of [this.caller, this.callee]) {
      side.pair = this;
      side.leg.referHandler = (dialog, req, tx) => this.onRefer(side, dialog, req, tx);
    }
    const joined = room.then(async (r) => {
      for (const side of [this.caller, this.callee]) await r.join(side.endpoint, { muted: side.muted });
    });
    const limit = sleep(options.timeLimit * 1000);
    let unsubscribeStar: () => void = () => undefined;
    const released = new Promise<boolean>((resolve) => {
      this.releaseNow = () => resolve(true);
      if (options.hangupOnStar) unsubscribeStar = this.caller.endpoint.onDigit((d) => { if (d === '*') resolve(false); });
      this.callee.leg.onEnd(() => resolve(false));
      this.caller.leg.onEnd(() => resolve(false));
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
    unsubscribeStar();
    return this.finish(wasReleased);
  }

  /**
   * Ends the bridge leaving both calls up (a transfer, or the callee handed to another app); resolves
   * once the media engine stopped relaying.
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
    for (const side of [this.caller, this.callee]) {
      if (side.pair !== this) continue;
      side.pair = null;
      side.leg.referHandler = null;
    }
    if (!released && !this.callee.call.ended) this.callee.hangup();
    return released;
  }

  /** LCM Mute of one side while bridged. */
  async mute(side: CallHandle): Promise<void> {
    await (await this.room)?.update(side.endpoint, { muted: side.muted });
  }

  private async unbridge(): Promise<void> {
    const room = this.room;
    this.room = null;
    const recording = await room?.then((r) => r.close()).catch((err: unknown) => {
      this.log.warn({ err }, 'closing the bridge room failed');
      return null;
    });
    const rec = this.recording;
    if (!rec || !recording) return;
    this.recordingUrlValue = await storeRecording(rec.place, rec.sid, recording)
      .catch((err: unknown) => {
        this.log.error({ err, path: recording.location }, 'bridge recording not stored');
        return null;
      });
  }

  private onRefer(referrer: CallHandle, dialog: Dialog, req: SipRequest, tx: ServerTransaction): void {
    const host = new BridgeTransfer(this.deps, this, referrer);
    handleRefer({ store: this.deps.store, log: this.log }, dialog, req, tx, host).catch((err: unknown) => this.log.error({ err }, 'transfer failed'));
  }
}
