import type { Clock, TimerHandle } from '../clock.js';
import type { Logger } from '../log.js';
import type { RecordOptions, RecordResult } from './media-server.js';
import { writeWav8k } from './wav-file.js';

/** Below this RMS (16-bit linear) a frame counts as silence: comfortably above G.711 idle noise. */
const SILENCE_RMS = 200;
/** Recordings are 8 kHz, like every decoded G.711 frame pushed here. */
const SAMPLE_RATE = 8000;

/** What the peer says, until max length, silence (timed on the engine's clock), a finish key, stop() or close; then one WAV file at `path`. */
export class Recorder {
  readonly done: Promise<RecordResult>;
  finished = false;
  private resolve!: (r: RecordResult) => void;
  private readonly chunks: Int16Array[] = [];
  private maxTimer: TimerHandle | null = null;
  private silenceTimer: TimerHandle | null = null;
  private started = false;
  private recordedSamples = 0;
  /** The timer alone lets a frame arriving just before it fires run past the limit (3.02 s for 3 s). */
  private readonly maxSamples: number;

  constructor(
    private readonly path: string,
    private readonly options: RecordOptions,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {
    this.done = new Promise((r) => {
      this.resolve = r;
    });
    const max = options.maxLengthMs ?? 0;
    this.maxSamples = max > 0 ? (max * SAMPLE_RATE) / 1000 : Infinity;
  }

  start(): void {
    if (this.started || this.finished) return;
    this.started = true;
    const max = this.options.maxLengthMs ?? 0;
    if (max > 0) this.maxTimer = this.clock.setTimeout(() => this.stop('maxLength'), max);
    this.armSilence();
  }

  private armSilence(): void {
    const ms = this.options.silenceTimeoutMs ?? 0;
    if (ms <= 0) return;
    if (this.silenceTimer) this.clock.clearTimeout(this.silenceTimer);
    this.silenceTimer = this.clock.setTimeout(() => this.stop('silence'), ms);
  }

  push(samples: Int16Array): void {
    if (this.finished || !this.started) return;
    const kept = samples.subarray(0, Math.max(0, this.maxSamples - this.recordedSamples));
    this.chunks.push(Int16Array.from(kept));
    this.recordedSamples += kept.length;
    if (this.recordedSamples >= this.maxSamples) {
      this.stop('maxLength');
      return;
    }
    let energy = 0;
    for (const s of samples) energy += s * s;
    if (Math.sqrt(energy / Math.max(1, samples.length)) >= SILENCE_RMS) this.armSilence();
  }

  digit(d: string): void {
    if (!this.finished && this.started && (this.options.finishOnKey ?? '').includes(d)) this.stop('finishOnKey', d);
  }

  stop(reason: RecordResult['reason'], digits = ''): void {
    if (this.finished) return;
    this.finished = true;
    if (this.maxTimer) this.clock.clearTimeout(this.maxTimer);
    if (this.silenceTimer) this.clock.clearTimeout(this.silenceTimer);
    const location = this.path;
    writeWav8k(location, this.chunks).then(
      (durationMs) => this.resolve({ durationMs, location, digits, reason }),
      (err: Error) => {
        this.log.error({ err: err.message, path: location }, 'writing the recording failed');
        this.resolve({ durationMs: 0, location, digits, reason });
      },
    );
  }
}
