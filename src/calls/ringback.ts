import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import wavefile from 'wavefile';

const RATE = 8000;

/**
 * The North American ringback tone (440 + 480 Hz, 2 s on, 4 s off) as an 8 kHz WAV under
 * `dataDir/tones/`, written once; played in a loop to a caller while Dial branches ring.
 */
export function ringbackFile(dataDir: string): string {
  const dir = join(dataDir, 'tones');
  const path = join(dir, 'ringback.wav');
  if (existsSync(path)) return path;
  mkdirSync(dir, { recursive: true });
  const samples = new Int16Array(RATE * 6);
  for (let i = 0; i < RATE * 2; i++) {
    const t = i / RATE;
    samples[i] = Math.round(4000 * (Math.sin(2 * Math.PI * 440 * t) + Math.sin(2 * Math.PI * 480 * t)));
  }
  const wav = new wavefile.WaveFile();
  wav.fromScratch(1, RATE, '16', samples);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, wav.toBuffer());
  renameSync(tmp, path);
  return path;
}
