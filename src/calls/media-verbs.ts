import { pause, type Clock } from '../clock.js';
import type { Endpoint, PlaybackEnd, PlaybackHandle, Recording } from '../media/media-server.js';
import type { GatherOutcome, GatherSpec, Notification, RecordOutcome, RecordSpec, SayOptions } from '../rcml/call-control.js';
import type { Store } from '../store/store.js';
import { API_VERSION, newSid } from '../store/sid.js';
import { DigitCollector } from './digit-collector.js';

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

/**
 * Gather: prompts in order, the first digit cutting the current prompt short (barge-in, as Restcomm
 * does), then digits until the key, count or timeout. Digits pressed during the prompts count.
 */
export async function gatherOn(endpoint: Endpoint, clock: Clock, spec: GatherSpec, signal: AbortSignal, notify: MediaNotify): Promise<GatherOutcome> {
  const collector = new DigitCollector(endpoint, clock, { numDigits: spec.numDigits, finishOnKey: spec.finishOnKey, timeoutMs: spec.timeout * 1000, signal });
  const { prompts } = collector;
  for (const p of spec.prompts) {
    if (prompts.aborted) break;
    if (p.verb === 'Play') await playOn(endpoint, p.url, p.loop, prompts, notify);
    else if (p.verb === 'Say') await sayOn(endpoint, p.text, { voice: p.voice, language: p.language, loop: p.loop }, prompts, notify);
    else await pause(clock, p.length * 1000, prompts);
  }
  collector.startTimeout();
  const result = await collector.result;
  return { digits: result.reason === 'aborted' ? '' : result.digits, speechResult: null };
}

export interface RecordingPlace {
  readonly store: Store;
  readonly publicUrl: string;
  readonly accountSid: string;
  readonly callSid: string;
}

/**
 * Stores the `recordings` row of a finished recording (`sid`, the name the engine was given; the file
 * where the engine says it put it) and returns its Restcomm URL, or null when nothing was recorded
 * (Restcomm keeps no record of an empty recording).
 */
export async function storeRecording(place: RecordingPlace, sid: string, recording: Recording): Promise<string | null> {
  if (recording.durationMs <= 0) return null;
  const now = new Date().toISOString();
  await place.store.db.insertInto('recordings').values({
    sid, account_sid: place.accountSid, call_sid: place.callSid, duration: Math.round(recording.durationMs / 1000), api_version: API_VERSION, file_path: recording.location, date_created: now, date_updated: now,
  }).execute();
  return `${place.publicUrl}/restcomm/${API_VERSION}/Accounts/${place.accountSid}/Recordings/${sid}.wav`;
}

/** Record: a recording named by its new sid, a `recordings` row, and the Restcomm recording URL. */
export async function recordOn(endpoint: Endpoint, spec: RecordSpec, place: RecordingPlace, signal: AbortSignal): Promise<RecordOutcome> {
  const sid = newSid('RE');
  const handle = endpoint.record({
    name: sid,
    maxLengthMs: spec.maxLength * 1000,
    silenceTimeoutMs: spec.timeout * 1000,
    finishOnKey: spec.finishOnKey,
    beep: spec.playBeep,
  });
  const stop = (): void => handle.stop();
  signal.addEventListener('abort', stop, { once: true });
  const result = await handle.done.finally(() => signal.removeEventListener('abort', stop));
  const digits = result.reason === 'finishOnKey' ? result.digits : result.reason === 'closed' || signal.aborted ? 'hangup' : '';
  const url = await storeRecording(place, sid, result);
  if (url === null) return { recordingUrl: null, publicRecordingUrl: null, duration: 0, digits };
  return { recordingUrl: url, publicRecordingUrl: url, duration: Math.round(result.durationMs / 1000), digits };
}
