import { spawn } from 'node:child_process';
import { mkdir, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { hashKey } from './audio-cache.js';

/**
 * Restcomm's `<Say language>` codes (and common BCP-47 tags) to espeak-ng voices. British English and
 * France French are named by their base voices `en` and `fr`: espeak-ng 1.51 ignores the `+variant`
 * after `en-gb` or `fr-fr` (the woman's voice came out as the man's).
 */
const LANGUAGES: Readonly<Record<string, string>> = {
  en: 'en-us', 'en-us': 'en-us', 'en-gb': 'en', 'en-uk': 'en',
  bf: 'fr-be', 'fr-be': 'fr-be', bp: 'pt-br', 'pt-br': 'pt-br', cf: 'fr', 'fr-ca': 'fr',
  cs: 'cs', dan: 'da', da: 'da', fi: 'fi', es: 'es', 'es-es': 'es', 'es-mx': 'es-419', fr: 'fr', 'fr-fr': 'fr',
  de: 'de', 'de-de': 'de', el: 'el', it: 'it', 'it-it': 'it', nl: 'nl', no: 'nb', nb: 'nb', pl: 'pl', pt: 'pt', 'pt-pt': 'pt',
  ru: 'ru', ar: 'ar', ca: 'ca', sv: 'sv', tr: 'tr', ja: 'ja', 'zh-cn': 'cmn', zh: 'cmn', ko: 'ko',
};

/** `man`/`woman` and the Twilio/Restcomm voice names apps use map to an espeak-ng variant. */
const WOMEN = new Set(['woman', 'female', 'alice', 'polly.joanna', 'polly.amy', 'polly.salli', 'polly.kimberly']);

export interface EspeakVoice {
  readonly voice: string;
  readonly language: string;
}

export function espeakVoice(voice: string | undefined, language: string | undefined): EspeakVoice {
  const lang = LANGUAGES[(language ?? 'en').toLowerCase()] ?? 'en-us';
  const variant = WOMEN.has((voice ?? 'man').toLowerCase()) ? 'f3' : 'm3';
  return { voice: `${lang}+${variant}`, language: lang };
}

/** Speech as a WAV in `cacheDir/tts/`, keyed by hash(text, voice, language) like Restcomm's cache. */
export async function synthesize(text: string, voice: string | undefined, language: string | undefined, cacheDir: string): Promise<string> {
  const v = espeakVoice(voice, language);
  const dir = join(cacheDir, 'tts');
  await mkdir(dir, { recursive: true });
  const out = join(dir, `${hashKey(text, v.voice)}.wav`);
  try {
    await stat(out);
    return out;
  } catch {
    // Not cached yet.
  }
  const tmp = `${out}.${process.pid}.${Math.random().toString(36).slice(2)}.wav`;
  await new Promise<void>((resolve, reject) => {
    // Text goes through stdin so that a text starting with "-" is not taken for an option.
    const child = spawn('espeak-ng', ['-v', v.voice, '-w', tmp, '--stdin'], { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', (err) => { clearTimeout(timer); reject(err); });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`espeak-ng failed (${code}): ${stderr.trim()}`));
    });
    child.stdin.end(text);
  });
  await rename(tmp, out);
  return out;
}
