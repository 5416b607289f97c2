import type { Logger } from '../log.js';
import type { EmbeddedEndpoint, RoomLink } from './endpoint.js';
import type { Endpoint, MemberState, Recording, Room } from './media-server.js';
import type { RtpPacket } from './rtp-packet.js';
import { FRAME_SAMPLES, type Ticker } from './scheduler.js';
import { writeWav8k } from './wav-file.js';

/** The embedded engine relays between two members; more need a mixer. */
const MAX_MEMBERS = 2;
/** At most this many frames of one member wait for the others in the mixer; beyond that the oldest is dropped. */
const MAX_QUEUE = 10;

/**
 * Mixes what every member says into one recording. Each member's received audio is queued and one
 * frame of each is summed per scheduler tick, so the streams stay aligned in time.
 */
class RoomMixer implements Ticker {
  private readonly queues = new Map<EmbeddedEndpoint, { frames: Int16Array[]; pending: number[] }>();
  private readonly chunks: Int16Array[] = [];

  add(ep: EmbeddedEndpoint): void {
    this.queues.set(ep, { frames: [], pending: [] });
  }

  remove(ep: EmbeddedEndpoint): void {
    this.queues.delete(ep);
  }

  push(ep: EmbeddedEndpoint, samples: Int16Array): void {
    const q = this.queues.get(ep);
    if (!q) return;
    for (const s of samples) q.pending.push(s);
    while (q.pending.length >= FRAME_SAMPLES) {
      q.frames.push(Int16Array.from(q.pending.splice(0, FRAME_SAMPLES)));
      if (q.frames.length > MAX_QUEUE) q.frames.shift();
    }
  }

  tick(): void {
    const frames = [...this.queues.values()].map((q) => q.frames.shift()).filter((f) => f !== undefined);
    if (frames.length === 0) return;
    const out = new Int16Array(FRAME_SAMPLES);
    for (let i = 0; i < FRAME_SAMPLES; i++) {
      let sum = 0;
      for (const f of frames) sum += f[i] ?? 0;
      out[i] = Math.max(-32768, Math.min(32767, sum));
    }
    this.chunks.push(out);
  }

  write(path: string): Promise<number> {
    return writeWav8k(path, this.chunks);
  }
}

interface Member {
  muted: boolean;
  hold: boolean;
  /** Feeds the mixer while the member is heard. */
  readonly tap: ((samples: Int16Array) => void) | null;
}

export interface RoomContext {
  readonly id: string;
  /** The endpoint of this engine behind `e`; throws for a foreign or closed one. */
  own(e: Endpoint): EmbeddedEndpoint;
  /** Where the room's recording goes, when it records. */
  readonly recordPath: string | null;
  addTicker(t: Ticker): () => void;
  onClose(room: EmbeddedRoom): void;
  readonly log: Logger;
}

/**
 * Endpoints relaying to each other (see EmbeddedEndpoint.relay for the re-stamping): a packet one
 * member receives goes to the others at once, as silence while the sender is muted, and not at all to
 * or from a member on hold. Holds two members, a Dial bridge; a conference needs a mixer.
 */
export class EmbeddedRoom implements Room, RoomLink {
  readonly id: string;
  private closed = false;
  private readonly members = new Map<EmbeddedEndpoint, Member>();
  private readonly mixer: RoomMixer | null;
  private readonly removeMixer: () => void;

  constructor(private readonly ctx: RoomContext) {
    this.id = ctx.id;
    this.mixer = ctx.recordPath === null ? null : new RoomMixer();
    this.removeMixer = this.mixer === null ? () => undefined : ctx.addTicker(this.mixer);
  }

  async join(endpoint: Endpoint, state: MemberState = {}): Promise<void> {
    if (this.closed) throw new Error(`room ${this.id} is closed`);
    const ep = this.ctx.own(endpoint);
    if (this.members.has(ep)) return this.update(ep, state);
    if (this.members.size >= MAX_MEMBERS) {
      throw new Error(`room ${this.id} already has ${MAX_MEMBERS} members: the embedded engine relays between two; a third needs the conference mixer (issue 11)`);
    }
    ep.room?.remove(ep);
    const mixer = this.mixer;
    const member: Member = { muted: state.muted ?? false, hold: state.hold ?? false, tap: mixer && ((s) => { if (!member.muted && !member.hold) mixer.push(ep, s); }) };
    this.members.set(ep, member);
    if (member.tap && mixer) {
      mixer.add(ep);
      ep.audioTaps.add(member.tap);
    }
    ep.room = this;
  }

  async update(endpoint: Endpoint, state: MemberState): Promise<void> {
    const member = this.memberOf(endpoint)?.[1];
    if (!member) return;
    if (state.muted !== undefined) member.muted = state.muted;
    if (state.hold !== undefined) member.hold = state.hold;
  }

  async leave(endpoint: Endpoint): Promise<void> {
    const found = this.memberOf(endpoint);
    if (found) this.remove(found[0]);
  }

  /** By identity: an endpoint that closed has left already and is no longer the engine's. */
  private memberOf(endpoint: Endpoint): [EmbeddedEndpoint, Member] | undefined {
    for (const entry of this.members) if (entry[0] === endpoint) return entry;
    return undefined;
  }

  remove(ep: EmbeddedEndpoint): void {
    const member = this.members.get(ep);
    if (!member) return;
    this.members.delete(ep);
    if (member.tap) ep.audioTaps.delete(member.tap);
    this.mixer?.remove(ep);
    if (ep.room === this) ep.room = null;
  }

  relay(from: EmbeddedEndpoint, packet: RtpPacket): void {
    const sender = this.members.get(from);
    if (!sender || sender.hold) return;
    // Muted audio goes on as silence in the same packets: a phone that receives no RTP for a while
    // hangs up (linphone's nortp_timeout), and the stream stays continuous for unmute. Events are dropped.
    const p = sender.muted ? from.silenced(packet) : packet;
    if (p === null) return;
    for (const [ep, member] of this.members) if (ep !== from && !member.hold) ep.relay(from, p);
  }

  feeds(ep: EmbeddedEndpoint): boolean {
    const member = this.members.get(ep);
    if (!member || member.hold) return false;
    for (const [other, m] of this.members) if (other !== ep && !m.hold) return true;
    return false;
  }

  async close(): Promise<Recording | null> {
    if (this.closed) return null;
    this.closed = true;
    for (const ep of [...this.members.keys()]) this.remove(ep);
    this.removeMixer();
    this.ctx.onClose(this);
    const path = this.ctx.recordPath;
    if (!this.mixer || path === null) return null;
    try {
      return { durationMs: await this.mixer.write(path), location: path };
    } catch (err) {
      this.ctx.log.error({ err: (err as Error).message, path }, 'writing the room recording failed');
      return { durationMs: 0, location: path };
    }
  }
}
