import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Endpoint, PlaybackEnd, PlaybackHandle } from '../media/media-server.js';
import type { GatherOutcome, GatherSpec, Notification, RecordOutcome, RecordSpec, SayOptions } from '../rcml/call-control.js';
import type { Store } from '../store/store.js';
import { API_VERSION, newSid } from '../store/sid.js';

/** Where a media verb reports a problem the app owner should see (a Notification of the call). */
export type MediaNotify = (notification: Notification) => void;

/** Media that could not be fetched or decoded: the call goes on, like Restcomm skipping a bad prompt. */
const PLAY_FAILED = 11200;

/** Settles early when `signal` fires, after stopping the playback. */
async function untilDone(handle: PlaybackHandle, signal: AbortSignal): Promise<PlaybackEnd> {
  const stop = (): void => handle.stop();
  signal.addEventListener('abort', stop, { once: true });
  try {
    return await handle.done;
  } finally {
    signal.removeEventListener('abort', stop);
  }
}

export async function playOn(endpoint: Endpoint, url: string, loop: number, signal: AbortSignal, notify: MediaNotify): Promise<void> {
  const end = await untilDone(endpoint.play({ url }, { loop }), signal);
  if (end === 'failed') {
    notify({ code: PLAY_FAILED, log: 1, message: `<Play> ${url} could not be fetched or decoded as audio; skipped`, requestUrl: url, requestMethod: 'GET' });
  }
}

export async function sayOn(endpoint: Endpoint, text: string, options: SayOptions, signal: AbortSignal, notify: MediaNotify): Promise<void> {
  const end = await untilDone(endpoint.say(text, { voice: options.voice, language: options.language, loop: options.loop }), signal);
  if (end === 'failed') notify({ code: PLAY_FAILED, log: 1, message: '<Say> speech synthesis failed (espeak-ng); skipped' });
}

export function pauseFor(seconds: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, seconds * 1000);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * Gather: prompts in order, the first digit cutting the current prompt short (barge-in, as Restcomm
 * does), then digits until the key, count or timeout. Digits pressed during the prompts count.
 */
export async function gatherOn(endpoint: Endpoint, spec: GatherSpec, signal: AbortSignal, notify: MediaNotify): Promise<GatherOutcome> {
  let heard = '';
  const prompts = new AbortController();
  const stopPrompts = (): void => prompts.abort();
  signal.addEventListener('abort', stopPrompts, { once: true });
  const unsubscribe = endpoint.onDigit((d) => {
    heard += d;
    prompts.abort();
  });
  try {
    for (const p of spec.prompts) {
      if (prompts.signal.aborted) break;
      if (p.verb === 'Play') await playOn(endpoint, p.url, p.loop, prompts.signal, notify);
      else if (p.verb === 'Say') await sayOn(endpoint, p.text, { voice: p.voice, language: p.language, loop: p.loop }, prompts.signal, notify);
      else await pauseFor(p.length, prompts.signal);
    }
  } finally {
    unsubscribe();
    signal.removeEventListener('abort', stopPrompts);
  }
  if (signal.aborted) return { digits: '', speechResult: null };
  const key = [...heard].findIndex((d) => spec.finishOnKey.includes(d));
  if (key >= 0) return { digits: cap(heard.slice(0, key), spec.numDigits), speechResult: null };
  if (spec.numDigits !== null && heard.length >= spec.numDigits) return { digits: heard.slice(0, spec.numDigits), speechResult: null };
  const result = await endpoint.collect({
    signal,
    timeoutMs: spec.timeout * 1000,
    finishOnKey: spec.finishOnKey,
    ...(spec.numDigits === null ? {} : { numDigits: spec.numDigits - heard.length }),
  });
  if (result.reason === 'aborted') return { digits: '', speechResult: null };
  return { digits: heard + result.digits, speechResult: null };
}

function cap(digits: string, numDigits: number | null): string {
  return numDigits === null ? digits : digits.slice(0, numDigits);
}

export interface RecordingPlace {
  readonly store: Store;
  readonly dataDir: string;
  readonly publicUrl: string;
  readonly accountSid: string;
  readonly callSid: string;
}

/** Record: `dataDir/recordings/RE<sid>.wav`, a `recordings` row, and the Restcomm recording URL. */
export async function recordOn(endpoint: Endpoint, spec: RecordSpec, place: RecordingPlace, signal: AbortSignal): Promise<RecordOutcome> {
  const sid = newSid('RE');
  const dir = join(place.dataDir, 'recordings');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${sid}.wav`);
  const handle = endpoint.record({
    path,
    maxLengthMs: spec.maxLength * 1000,
    silenceTimeoutMs: spec.timeout * 1000,
    finishOnKey: spec.finishOnKey,
    beep: spec.playBeep,
  });
  const stop = (): void => handle.stop();
  signal.addEventListener('abort', stop, { once: true });
  const result = await handle.done.finally(() => signal.removeEventListener('abort', stop));
  const duration = Math.round(result.durationMs / 1000);
  const digits = result.reason === 'finishOnKey' ? result.digits : result.reason === 'closed' || signal.aborted ? 'hangup' : '';
  if (result.durationMs <= 0) return { recordingUrl: null, publicRecordingUrl: null, duration: 0, digits };
  const now = new Date().toISOString();
  await place.store.db.insertInto('recordings').values({
    sid, account_sid: place.accountSid, call_sid: place.callSid, duration, api_version: API_VERSION, file_path: path, date_created: now, date_updated: now,
  }).execute();
  const url = `${place.publicUrl}/restcomm/${API_VERSION}/Accounts/${place.accountSid}/Recordings/${sid}.wav`;
  return { recordingUrl: url, publicRecordingUrl: url, duration, digits };
}
