import type { Logger } from '../log.js';
import type { EmbeddedEndpoint, RelayTarget } from './endpoint.js';
import type { RtpPacket } from './rtp-packet.js';
import { FRAME_SAMPLES, type Ticker } from './scheduler.js';
import { writeWav8k } from './wav-file.js';

/** At most this many frames wait for the other side in the mixer; beyond that the oldest is dropped. */
const MAX_QUEUE = 10;

/**
 * Mixes both parties of a bridge into one recording. Each side's received audio is queued and one
 * frame of each is summed per scheduler tick, so the two streams stay aligned in time.
 */
class BridgeMixer implements Ticker {
  private readonly queues: [Int16Array[], Int16Array[]] = [[], []];
  private readonly chunks: Int16Array[] = [];
  private readonly pending: [number[], number[]] = [[], []];

  push(side: 0 | 1, samples: Int16Array): void {
    const q = this.pending[side];
    for (const s of samples) q.push(s);
    while (q.length >= FRAME_SAMPLES) {
      this.queues[side].push(Int16Array.from(q.splice(0, FRAME_SAMPLES)));
      if (this.queues[side].length > MAX_QUEUE) this.queues[side].shift();
    }
  }

  tick(): void {
    const a = this.queues[0].shift();
    const b = this.queues[1].shift();
    if (!a && !b) return;
    const out = new Int16Array(FRAME_SAMPLES);
    for (let i = 0; i < FRAME_SAMPLES; i++) out[i] = Math.max(-32768, Math.min(32767, (a?.[i] ?? 0) + (b?.[i] ?? 0)));
    this.chunks.push(out);
  }

  write(path: string): Promise<number> {
    return writeWav8k(path, this.chunks);
  }
}

/** Two endpoints relaying to each other; see EmbeddedEndpoint.relay for the re-stamping. */
export class Bridge implements RelayTarget {
  private active = true;
  private readonly mixer: BridgeMixer | null;
  private readonly detach: (() => void)[] = [];

  constructor(
    readonly a: EmbeddedEndpoint,
    readonly b: EmbeddedEndpoint,
    private readonly recordPath: string | null,
    addTicker: (t: Ticker) => () => void,
    private readonly log: Logger,
  ) {
    a.relayTarget = this;
    b.relayTarget = this;
    this.mixer = recordPath ? new BridgeMixer() : null;
    if (this.mixer) {
      const m = this.mixer;
      // A muted party is not heard by the other one, so it is not recorded either.
      const tapA = (s: Int16Array): void => { if (!a.muted) m.push(0, s); };
      const tapB = (s: Int16Array): void => { if (!b.muted) m.push(1, s); };
      a.audioTaps.add(tapA);
      b.audioTaps.add(tapB);
      this.detach.push(() => a.audioTaps.delete(tapA), () => b.audioTaps.delete(tapB), addTicker(m));
    }
  }

  relay(from: EmbeddedEndpoint, packet: RtpPacket): void {
    if (!this.active) return;
    (from === this.a ? this.b : this.a).relay(from, packet);
  }

  async stop(): Promise<{ recordingMs: number | null }> {
    if (!this.active) return { recordingMs: null };
    this.active = false;
    if (this.a.relayTarget === this) this.a.relayTarget = null;
    if (this.b.relayTarget === this) this.b.relayTarget = null;
    for (const d of this.detach) d();
    if (!this.mixer || !this.recordPath) return { recordingMs: null };
    try {
      return { recordingMs: await this.mixer.write(this.recordPath) };
    } catch (err) {
      this.log.error({ err: (err as Error).message, path: this.recordPath }, 'writing the bridge recording failed');
      return { recordingMs: 0 };
    }
  }
}
