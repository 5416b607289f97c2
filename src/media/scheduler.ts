import type { SchedulerStats } from './media-server.js';

export const FRAME_MS = 20;
export const FRAME_SAMPLES = 160;

/** Something that wants to act once per 20 ms frame (send a packet, mix a recording...). */
export interface Ticker {
  tick(): void;
}

export interface MediaScheduler {
  add(t: Ticker): () => void;
  stats(): SchedulerStats;
  /** Forgets lateness measured so far (benchmarks measure one window at a time). */
  resetStats(): void;
  stop(): void;
}

const WINDOW = 3000;

/**
 * One timer for all streams: every 20 ms on an absolute grid (so lateness does not accumulate), each
 * ticker emits its next frame. A timer per stream would cost a timer wake-up per stream per frame.
 * It runs on real time (not the node's injectable Clock): peers play the frames as they arrive, so
 * only wall-clock pacing is right, and a test clock that stood still would stop every stream.
 */
export function createScheduler(): MediaScheduler {
  const clock = { now: () => performance.now() };
  const tickers = new Set<Ticker>();
  const lateness: number[] = [];
  let ticks = 0;
  let timer: NodeJS.Timeout | null = null;
  let next = 0;

  const run = (): void => {
    const now = clock.now();
    // After a long stall (debugger, suspended VM) skip the missed frames instead of bursting them.
    if (now - next > 10 * FRAME_MS) next = now;
    lateness.push(Math.max(0, now - next));
    if (lateness.length > WINDOW) lateness.splice(0, lateness.length - WINDOW);
    ticks++;
    for (const t of tickers) t.tick();
    next += FRAME_MS;
    timer = tickers.size > 0 ? setTimeout(run, Math.max(0, next - clock.now())) : null;
  };

  return {
    add(t) {
      tickers.add(t);
      if (!timer) {
        next = clock.now() + FRAME_MS;
        timer = setTimeout(run, FRAME_MS);
      }
      return () => {
        tickers.delete(t);
      };
    },
    stats() {
      const sorted = [...lateness].sort((a, b) => a - b);
      const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
      return { ticks, streams: tickers.size, lateness: { p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] ?? 0 } };
    },
    resetStats() {
      lateness.length = 0;
    },
    stop() {
      tickers.clear();
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
