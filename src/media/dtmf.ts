import { FRAME_SAMPLES } from './scheduler.js';

/** RFC 4733 event codes 0-15: digits, *, #, A-D. */
export const EVENT_DIGITS = '0123456789*#ABCD';

export function digitToEvent(d: string): number | null {
  const i = EVENT_DIGITS.indexOf(d.toUpperCase());
  return i < 0 || d.length !== 1 ? null : i;
}

export interface TelephoneEvent {
  readonly event: number;
  readonly end: boolean;
  readonly volume: number;
  readonly duration: number;
}

export function parseTelephoneEvent(payload: Buffer): TelephoneEvent | null {
  if (payload.length < 4) return null;
  return { event: payload[0]!, end: (payload[1]! & 0x80) !== 0, volume: payload[1]! & 0x3f, duration: payload.readUInt16BE(2) };
}

export function telephoneEventPayload(e: TelephoneEvent): Buffer {
  const b = Buffer.alloc(4);
  b[0] = e.event;
  b[1] = (e.end ? 0x80 : 0) | (e.volume & 0x3f);
  b.writeUInt16BE(Math.min(0xffff, e.duration), 2);
  return b;
}

const ROWS = [697, 770, 852, 941] as const;
const COLS = [1209, 1336, 1477, 1633] as const;
const KEYPAD = ['123A', '456B', '789C', '*0#D'] as const;

/** The (row, column) frequencies of a key, for in-band generation. */
export function dtmfFrequencies(d: string): [number, number] | null {
  for (let r = 0; r < 4; r++) {
    const c = KEYPAD[r]!.indexOf(d.toUpperCase());
    if (c >= 0 && d.length === 1) return [ROWS[r]!, COLS[c]!];
  }
  return null;
}

/** Power of one frequency in a block (Goertzel), normalised so a full-scale-independent pure tone gives ~1. */
export function goertzel(samples: ArrayLike<number>, freq: number, rate = 8000): number {
  const w = (2 * Math.PI * freq) / rate;
  const coeff = 2 * Math.cos(w);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i]! + coeff * s1 - s2;
    s2 = s1;
    s1 = s;
  }
  return s1 * s1 + s2 * s2 - coeff * s1 * s2;
}

const MIN_RMS = 300;

/**
 * In-band DTMF: Goertzel on 20 ms blocks. A key counts when one row and one column tone carry most of
 * the block's energy in two consecutive blocks (40 ms, the ITU minimum), and must go away before the
 * same key counts again.
 */
export class InbandDtmfDetector {
  private readonly block = new Float64Array(FRAME_SAMPLES);
  private fill = 0;
  private candidate: string | null = null;
  private reported: string | null = null;

  constructor(private readonly onDigit: (d: string) => void) {}

  push(samples: Int16Array): void {
    for (let i = 0; i < samples.length; i++) {
      this.block[this.fill++] = samples[i]!;
      if (this.fill === FRAME_SAMPLES) {
        this.fill = 0;
        this.analyse();
      }
    }
  }

  private classify(): string | null {
    let energy = 0;
    for (const s of this.block) energy += s * s;
    if (Math.sqrt(energy / FRAME_SAMPLES) < MIN_RMS) return null;
    const norm = (FRAME_SAMPLES / 2) * energy;
    const rows = ROWS.map((f) => goertzel(this.block, f) / norm);
    const cols = COLS.map((f) => goertzel(this.block, f) / norm);
    const best = (v: number[]): [number, number] => {
      let i = 0;
      for (let k = 1; k < v.length; k++) if (v[k]! > v[i]!) i = k;
      const second = Math.max(...v.filter((_, k) => k !== i));
      return [i, second];
    };
    const [r, r2] = best(rows);
    const [c, c2] = best(cols);
    const rp = rows[r]!;
    const cp = cols[c]!;
    if (rp + cp < 0.6 || rp < 0.1 || cp < 0.1) return null;
    if (r2 > rp / 4 || c2 > cp / 4) return null;
    return KEYPAD[r]![c] ?? null;
  }

  private analyse(): void {
    const d = this.classify();
    if (d === null) {
      this.candidate = null;
      this.reported = null;
      return;
    }
    if (d === this.candidate && d !== this.reported) {
      this.reported = d;
      this.onDigit(d);
    }
    this.candidate = d;
  }
}

/** A sine (or two) at 8 kHz, `amplitude` per tone in linear 16-bit units. */
export function tone(freqs: readonly number[], ms: number, amplitude = 8000, rate = 8000): Int16Array {
  const n = Math.round((ms * rate) / 1000);
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) {
    let v = 0;
    for (const f of freqs) v += amplitude * Math.sin((2 * Math.PI * f * i) / rate);
    out[i] = Math.max(-32768, Math.min(32767, Math.round(v)));
  }
  return out;
}
