import { digitToEvent, dtmfFrequencies, telephoneEventPayload, tone } from './dtmf.js';
import { FRAME_SAMPLES } from './scheduler.js';

export type DigitFrame =
  | { readonly kind: 'event'; readonly first: boolean; readonly payload: Buffer; readonly audio: Int16Array }
  | { readonly kind: 'audio'; readonly audio: Int16Array }
  | { readonly kind: 'gap' };

const TONE_FRAMES = 5;
const END_REPEATS = 3;
const GAP_FRAMES = 3;
const PAUSE_FRAMES = 25;
const SILENCE = new Int16Array(FRAME_SAMPLES);

/**
 * RFC 4733 digits as 20 ms frames: 100 ms of event packets (one timestamp, growing duration), the end
 * packet three times, 60 ms gap; `w` is 500 ms of nothing. Each event frame also carries the same digit
 * as in-band tone audio for a peer that negotiated no telephone-event.
 */
export class DigitSender {
  private readonly queue: (DigitFrame | (() => void))[] = [];
  eventTs = 0;

  get active(): boolean {
    return this.queue.length > 0;
  }

  enqueue(digits: string): Promise<void> {
    for (const d of digits) {
      if (d.toLowerCase() !== 'w' && digitToEvent(d) === null) {
        return Promise.reject(new Error(`sendDigits: "${d}" is not a DTMF digit (0-9 * # A-D, w = pause)`));
      }
    }
    for (const d of digits) {
      if (d.toLowerCase() === 'w') {
        for (let i = 0; i < PAUSE_FRAMES; i++) this.queue.push({ kind: 'gap' });
        continue;
      }
      const event = digitToEvent(d) ?? 0;
      const audio = tone(dtmfFrequencies(d) ?? [], TONE_FRAMES * 20, 6000);
      const duration = TONE_FRAMES * FRAME_SAMPLES;
      for (let i = 0; i < TONE_FRAMES; i++) {
        this.queue.push({
          kind: 'event',
          first: i === 0,
          payload: telephoneEventPayload({ event, end: false, volume: 10, duration: (i + 1) * FRAME_SAMPLES }),
          audio: audio.subarray(i * FRAME_SAMPLES, (i + 1) * FRAME_SAMPLES),
        });
      }
      for (let i = 0; i < END_REPEATS; i++) {
        this.queue.push({ kind: 'event', first: false, payload: telephoneEventPayload({ event, end: true, volume: 10, duration }), audio: SILENCE });
      }
      for (let i = 0; i < GAP_FRAMES; i++) this.queue.push({ kind: 'gap' });
    }
    return new Promise((resolve) => this.queue.push(resolve));
  }

  next(): DigitFrame | null {
    for (;;) {
      const item = this.queue.shift();
      if (item === undefined) return null;
      if (typeof item === 'function') {
        item();
        continue;
      }
      return item;
    }
  }

  /** Drops pending digits (the endpoint closes) and settles every waiter. */
  clear(): void {
    const waiters = this.queue.filter((i): i is () => void => typeof i === 'function');
    this.queue.length = 0;
    for (const w of waiters) w();
  }
}
