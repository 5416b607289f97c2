import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import wavefile from 'wavefile';

/** Writes 8 kHz 16-bit mono PCM as a WAV file, creating the folder. */
export async function writeWav8k(path: string, chunks: readonly Int16Array[]): Promise<number> {
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const all = new Int16Array(total);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  const wav = new wavefile.WaveFile();
  wav.fromScratch(1, 8000, '16', all);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, wav.toBuffer());
  return Math.round(total / 8);
}
