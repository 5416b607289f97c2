import type { Logger } from '../log.js';
import type { PlaybackEnd } from './media-server.js';
import { FRAME_SAMPLES } from './scheduler.js';

/** One prompt being played: samples are loaded (converted, fetched...) asynchronously, then paced by ticks. */
export class Playback {
  readonly done: Promise<PlaybackEnd>;
  private resolve!: (e: PlaybackEnd) => void;
  private samples: Int16Array | null = null;
  private pos = 0;
  private round = 0;
  private ended = false;

  constructor(load: () => Promise<Int16Array>, private readonly loop: number, log: Logger) {
    this.done = new Promise((r) => {
      this.resolve = r;
    });
    load().then(
      (s) => {
        if (this.ended) return;
        if (s.length === 0) return this.stop('finished');
        this.samples = s;
      },
      (err: Error) => {
        log.warn({ err: err.message }, 'playback failed');
        this.stop('failed');
      },
    );
  }

  /** Still to be played (including while loading): the endpoint does not relay bridged audio meanwhile. */
  get active(): boolean {
    return !this.ended;
  }

  next(): Int16Array | null {
    const s = this.samples;
    if (this.ended || !s) return null;
    const frame = new Int16Array(FRAME_SAMPLES);
    let filled = 0;
    while (filled < FRAME_SAMPLES) {
      const take = Math.min(FRAME_SAMPLES - filled, s.length - this.pos);
      frame.set(s.subarray(this.pos, this.pos + take), filled);
      filled += take;
      this.pos += take;
      if (this.pos >= s.length) {
        this.round++;
        this.pos = 0;
        if (this.loop > 0 && this.round >= this.loop) {
          this.stop('finished');
          break;
        }
      }
    }
    return frame;
  }

  stop(end: PlaybackEnd): void {
    if (this.ended) return;
    this.ended = true;
    this.resolve(end);
  }
}
