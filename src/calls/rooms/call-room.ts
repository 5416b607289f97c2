import type { Logger } from '../../log.js';
import type { Endpoint, MediaServer, Room } from '../../media/media-server.js';
import type { Call } from '../call.js';
import { newSid } from '../../store/sid.js';
import { storeRecording, type RecordingPlace } from '../media-verbs.js';

/** A call as a room sees it. */
export interface RoomMember {
  readonly call: Call;
  readonly endpoint: Endpoint;
  /** LCM Mute: applied in whichever room the call is in, now and later. */
  readonly muted: boolean;
  /** The room the call is in; only rooms set it. */
  room: CallRoom | null;
}

export interface RoomDeps {
  readonly media: MediaServer;
  readonly log: Logger;
}

export interface CallRoomOptions {
  /** Dial `record="true"`: every member mixed into one recording, stored here when the room closes. */
  readonly record?: RecordingPlace;
}

/**
 * Calls whose media meet in one room of the media engine: the call model's membership. A call is in
 * at most one room; joining another takes it out of the first. The membership changes at once, the
 * engine follows in the order of the calls. A Dial bridge is a room of two (`DialBridge`); a conference
 * will be a room of more, with rules of its own.
 */
export class CallRoom {
  private readonly media: Promise<Room>;
  private readonly present = new Set<RoomMember>();
  private readonly leaveListeners = new Set<(member: RoomMember) => void>();
  /** Engine commands, one after the other. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly recording: { readonly place: RecordingPlace; readonly sid: string } | null;
  private closed = false;
  private readonly log: Logger;

  constructor(deps: RoomDeps, options: CallRoomOptions = {}) {
    this.recording = options.record ? { place: options.record, sid: newSid('RE') } : null;
    this.media = deps.media.createRoom(this.recording ? { record: { name: this.recording.sid } } : {});
    // Its failure reaches whoever uses the room next.
    this.media.catch(() => undefined);
    this.log = deps.log.child({ module: 'room' });
  }

  get members(): readonly RoomMember[] {
    return [...this.present];
  }

  /** Adds `member` (taking it out of its room), with its mute state; rejects when the engine refuses it. */
  join(member: RoomMember): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the room is closed'));
    if (member.room === this) return this.update(member);
    const left = member.room?.leave(member);
    member.room = this;
    this.present.add(member);
    return this.command(async (room) => {
      await left;
      await room.join(member.endpoint, { muted: member.muted });
    }).catch((err: unknown) => {
      if (member.room === this) member.room = null;
      this.present.delete(member);
      throw err;
    });
  }

  /** Applies the member's current state (LCM Mute). */
  update(member: RoomMember): Promise<void> {
    if (member.room !== this) return Promise.resolve();
    return this.command((room) => room.update(member.endpoint, { muted: member.muted }))
      .catch((err: unknown) => this.log.warn({ err, callSid: member.call.sid }, 'member state not applied'));
  }

  /** Takes `member` out; listeners hear of it at once. A no-op for a call that is not a member. */
  leave(member: RoomMember): Promise<void> {
    if (member.room !== this) return Promise.resolve();
    member.room = null;
    this.present.delete(member);
    for (const cb of [...this.leaveListeners]) cb(member);
    return this.command((room) => room.leave(member.endpoint))
      .catch((err: unknown) => this.log.warn({ err, callSid: member.call.sid }, 'leaving the room failed'));
  }

  /** A member left (not when the room closes). Returns an unsubscribe function. */
  onLeave(cb: (member: RoomMember) => void): () => void {
    this.leaveListeners.add(cb);
    return () => {
      this.leaveListeners.delete(cb);
    };
  }

  /** Every member leaves; resolves with the URL of the stored recording, when one was made. */
  async close(): Promise<string | null> {
    if (this.closed) return null;
    this.closed = true;
    for (const member of this.present) member.room = null;
    this.present.clear();
    this.leaveListeners.clear();
    const recording = await this.command((room) => room.close()).catch((err: unknown) => {
      this.log.warn({ err }, 'closing the room failed');
      return null;
    });
    const rec = this.recording;
    if (rec === null || recording === null) return null;
    return storeRecording(rec.place, rec.sid, recording).catch((err: unknown) => {
      this.log.error({ err, path: recording.location }, 'room recording not stored');
      return null;
    });
  }

  private command<T>(op: (room: Room) => Promise<T>): Promise<T> {
    const result = this.queue.then(async () => op(await this.media));
    this.queue = result.catch(() => undefined);
    return result;
  }
}
