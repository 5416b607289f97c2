import alawmulaw from 'alawmulaw';

const { alaw, mulaw } = alawmulaw;
import type { Codec } from './negotiate.js';

export function decode(codec: Codec, payload: Uint8Array): Int16Array {
  return codec === 'PCMU' ? mulaw.decode(payload) : alaw.decode(payload);
}

export function encode(codec: Codec, samples: Int16Array): Buffer {
  const bytes = codec === 'PCMU' ? mulaw.encode(samples) : alaw.encode(samples);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

const SILENCE = { PCMU: mulaw.encodeSample(0), PCMA: alaw.encodeSample(0) } as const;

/** `length` samples of silence, already encoded. */
export function silence(codec: Codec, length: number): Buffer {
  return Buffer.alloc(length, SILENCE[codec]);
}

function table(from: Codec, to: Codec): Uint8Array {
  const t = new Uint8Array(256);
  for (let i = 0; i < 256; i++) {
    const linear = from === 'PCMU' ? mulaw.decodeSample(i) : alaw.decodeSample(i);
    t[i] = to === 'PCMU' ? mulaw.encodeSample(linear) : alaw.encodeSample(linear);
  }
  return t;
}

// Bridged legs that disagree on the law are transcoded byte by byte: a lookup is far cheaper than decode+encode.
const U2A = table('PCMU', 'PCMA');
const A2U = table('PCMA', 'PCMU');

export function transcode(from: Codec, to: Codec, payload: Buffer): Buffer {
  if (from === to) return payload;
  const t = from === 'PCMU' ? U2A : A2U;
  const out = Buffer.allocUnsafe(payload.length);
  for (let i = 0; i < payload.length; i++) out[i] = t[payload[i]!]!;
  return out;
}
