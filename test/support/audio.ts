import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import wavefile from 'wavefile';

/**
 * Audio helpers for tests that listen: generate tones, measure energy, find a frequency, read and
 * write WAV files. Independent of src/media so that a bug there cannot hide itself.
 */

/** Sum of sines, `amplitude` each, as 16-bit samples. */
export function toneSamples(freqs: readonly number[], ms: number, rate = 8000, amplitude = 8000): Int16Array {
  const n = Math.round((ms * rate) / 1000);
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) {
    let v = 0;
    for (const f of freqs) v += amplitude * Math.sin((2 * Math.PI * f * i) / rate);
    out[i] = Math.max(-32768, Math.min(32767, Math.round(v)));
  }
  return out;
}

export function rms(samples: ArrayLike<number>): number {
  if (samples.length === 0) return 0;
  let e = 0;
  for (let i = 0; i < samples.length; i++) e += samples[i]! * samples[i]!;
  return Math.sqrt(e / samples.length);
}

/**
 * Share of the block's energy at `freq` (Goertzel): about 1 for a pure tone at that frequency, about 0
 * for silence or another frequency far away.
 */
export function toneShare(samples: ArrayLike<number>, freq: number, rate = 8000): number {
  const w = (2 * Math.PI * freq) / rate;
  const coeff = 2 * Math.cos(w);
  let s1 = 0;
  let s2 = 0;
  let energy = 0;
  for (let i = 0; i < samples.length; i++) {
    const x = samples[i]!;
    energy += x * x;
    const s = x + coeff * s1 - s2;
    s2 = s1;
    s1 = s;
  }
  if (energy === 0) return 0;
  return (s1 * s1 + s2 * s2 - coeff * s1 * s2) / ((samples.length / 2) * energy);
}

export interface WavData {
  readonly sampleRate: number;
  readonly channels: number;
  readonly bitsPerSample: number;
  /** First channel, as 16-bit samples. */
  readonly samples: Int16Array;
}

export function readWav(path: string): WavData {
  const wav = new wavefile.WaveFile(readFileSync(path));
  const fmt = wav.fmt as { sampleRate: number; numChannels: number; bitsPerSample: number };
  const all = wav.getSamples(true, Int16Array) as unknown as Int16Array;
  const samples = new Int16Array(Math.floor(all.length / fmt.numChannels));
  for (let i = 0; i < samples.length; i++) samples[i] = all[i * fmt.numChannels]!;
  return { sampleRate: fmt.sampleRate, channels: fmt.numChannels, bitsPerSample: fmt.bitsPerSample, samples };
}

/** Writes 16-bit PCM; with channels > 1 every channel carries the same samples. */
export function writeWav(path: string, samples: Int16Array, rate: number, channels = 1): void {
  const wav = new wavefile.WaveFile();
  const data = channels === 1 ? samples : Array.from({ length: channels }, () => samples);
  wav.fromScratch(channels, rate, '16', data as never);
  writeFileSync(path, wav.toBuffer());
}

/** Best alignment of `probe` inside `signal` (lag with the highest correlation), searching `maxLag` samples. */
export function bestLag(signal: ArrayLike<number>, probe: ArrayLike<number>, maxLag: number): number {
  let best = 0;
  let bestScore = -Infinity;
  const n = Math.min(probe.length, 1600);
  for (let lag = 0; lag <= maxLag && lag + n <= signal.length; lag++) {
    let score = 0;
    for (let i = 0; i < n; i++) score += signal[lag + i]! * probe[i]!;
    if (score > bestScore) {
      bestScore = score;
      best = lag;
    }
  }
  return best;
}

// Checks for recordings made by real clients (test/support/linphone.ts, baresip.ts): they answer
// "how long was there a tone / speech" over 20 ms windows, because a client's recording starts with
// silence and may lose packets, so whole-file measures would be diluted.

const WINDOW_MS = 20;
/** RMS above which a 20 ms window counts as sound (about -42 dBFS): well above G.711 idle noise. */
const SOUND_RMS = 250;

/** RMS of each consecutive `windowMs` window (the last partial window is dropped). */
export function windowRms(samples: ArrayLike<number>, rate = 8000, windowMs = WINDOW_MS): number[] {
  const size = Math.round((rate * windowMs) / 1000);
  const out: number[] = [];
  for (let start = 0; start + size <= samples.length; start += size) {
    out.push(rms(Array.prototype.slice.call(samples, start, start + size) as number[]));
  }
  return out;
}

/** Milliseconds of 20 ms windows that carry sound and whose energy is mostly (> `minShare`) at `freq`. */
export function toneDuration(samples: ArrayLike<number>, freq: number, rate = 8000, minShare = 0.5): number {
  const size = Math.round((rate * WINDOW_MS) / 1000);
  let windows = 0;
  for (let start = 0; start + size <= samples.length; start += size) {
    const w = Array.prototype.slice.call(samples, start, start + size) as number[];
    if (rms(w) >= SOUND_RMS && toneShare(w, freq, rate) > minShare) windows++;
  }
  return windows * WINDOW_MS;
}

/** True when at least `minMs` of the recording is a tone at `freq`. */
export function hasTone(samples: ArrayLike<number>, freq: number, rate = 8000, minMs = 200): boolean {
  return toneDuration(samples, freq, rate) >= minMs;
}

/** Energy-based voice activity: milliseconds of 20 ms windows whose RMS is above `threshold`. */
export function speechDuration(samples: ArrayLike<number>, rate = 8000, threshold = SOUND_RMS): number {
  return windowRms(samples, rate).filter((r) => r >= threshold).length * WINDOW_MS;
}

/** Writes a pure tone as an 8 kHz mono 16-bit WAV, the format every client here plays. */
export function writeToneWav(path: string, freq: number, ms: number, amplitude = 8000): void {
  writeWav(path, toneSamples([freq], ms, 8000, amplitude), 8000);
}

/** Speaks `text` with espeak-ng into an 8 kHz mono 16-bit WAV (espeak-ng writes 22.05 kHz; sox resamples). */
export function writeSpeechWav(path: string, text: string): void {
  const raw = `${path}.espeak.wav`;
  try {
    execFileSync('espeak-ng', ['-w', raw, text], { timeout: 20_000, stdio: 'pipe' });
    execFileSync('sox', [raw, '-r', '8000', '-c', '1', '-b', '16', '-e', 'signed-integer', path], { timeout: 20_000, stdio: 'pipe' });
  } finally {
    rmSync(raw, { force: true });
  }
}
