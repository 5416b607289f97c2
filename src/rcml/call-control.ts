import type { ClientNoun, ConferenceNoun, GatherPrompt, HttpMethod, NumberNoun, SipNoun } from './verbs.js';

/**
 * What the RCML interpreter needs from a call. The call layer (`src/calls/`) implements it; the
 * interpreter never touches SIP or media directly. Every long operation takes an `AbortSignal` that
 * fires when the interpreter stops (caller hung up, live modification): the implementation must then
 * settle promptly (resolve with what it has, or reject).
 */
export interface CallControl {
  /** A fresh snapshot of the call; read before each request to the app. */
  info(): CallInfo;
  /** Answers a ringing inbound call (200 OK with media). No-op when already answered. */
  answer(): Promise<void>;
  /** Declines an unanswered call: `busy` → 486 Busy Here, `rejected` → 603 Decline. Status becomes `busy`. */
  reject(reason: 'busy' | 'rejected'): Promise<void>;
  /** Ends the call: BYE when answered; a final 480 when still ringing. */
  hangup(): Promise<void>;
  /**
   * Ends an unanswered call because its application failed (spec 1.1, 2.1): send the final response
   * `status` with a `Reason` header carrying `reason`. On an answered call, hang up instead.
   */
  fail(failure: CallFailure): Promise<void>;
  /** Runs a `<Dial>`: forks to every noun, bridges the first to answer, resolves when the dial ends. */
  dial(spec: DialSpec, signal: AbortSignal): Promise<DialOutcome>;
  /** Plays an audio URL (absolute) `loop` times; 0 = until the call ends. */
  play(url: string, loop: number, signal: AbortSignal): Promise<void>;
  /** Sends DTMF to the caller (RFC 4733); `w` waits half a second. */
  sendDigits(digits: string, signal: AbortSignal): Promise<void>;
  /** Speaks text with the TTS engine `loop` times (0 = until the call ends). */
  say(text: string, options: SayOptions, signal: AbortSignal): Promise<void>;
  /** Silence (or, before answer, just waiting) for `seconds`. */
  pause(seconds: number, signal: AbortSignal): Promise<void>;
  /** Plays the prompts (stopping at the first digit) and collects input. */
  gather(spec: GatherSpec, signal: AbortSignal): Promise<GatherOutcome>;
  /** Records the caller. */
  record(spec: RecordSpec, signal: AbortSignal): Promise<RecordOutcome>;
  /** Sends an in-dialog REFER to the caller with `Refer-To: target` and waits for the transfer result. */
  refer(target: ReferTarget, signal: AbortSignal): Promise<ReferOutcome>;
  /** Calls `listener` once when the remote party hangs up (or the call ends otherwise). Returns an unsubscribe. */
  onHangup(listener: () => void): () => void;
  /** Stores a Notification record for this call (and logs it). */
  notify(notification: Notification): void;
}

export type CallStatus = 'queued' | 'ringing' | 'in-progress' | 'completed' | 'busy' | 'failed' | 'no-answer' | 'canceled';

export type CallDirection = 'inbound' | 'outbound-api' | 'outbound-dial';

export interface CallInfo {
  readonly sid: string;
  readonly accountSid: string;
  readonly apiVersion: string;
  /** User part of From (of To) as sent to the app. */
  readonly from: string;
  readonly to: string;
  readonly direction: CallDirection;
  readonly status: CallStatus;
  /** From display name, null when absent (sent as the literal `null`). */
  readonly callerName: string | null;
  /** User part of the Diversion header, null when absent. */
  readonly forwardedFrom: string | null;
  readonly createdAt: Date;
  readonly answeredAt: Date | null;
  /** The `X-*` and `Diversion*` headers of the INVITE, by name as received. */
  readonly sipHeaders: Readonly<Record<string, string>>;
  readonly parentCallSid: string | null;
}

export interface CallFailure {
  /** 404 when the app URL answered 404; 500 for any other application failure. */
  readonly status: 404 | 500;
  readonly reason: string;
}

/** A noun with its URLs made absolute against the document that contained it. */
export type DialTarget = NumberNoun | ClientNoun | SipNoun | ConferenceNoun;

export interface DialSpec {
  readonly targets: readonly DialTarget[];
  /** Ring timeout for all branches, seconds. */
  readonly timeout: number;
  /** Maximum bridged duration, seconds. */
  readonly timeLimit: number;
  /** The caller's From user when the document gave none. */
  readonly callerId: string;
  readonly record: boolean;
  /** When true, `*` from the caller ends the bridge (the caller stays, RCML continues). */
  readonly hangupOnStar: boolean;
}

export type DialStatus = 'completed' | 'busy' | 'no-answer' | 'failed' | 'canceled';

export interface DialOutcome {
  readonly status: DialStatus;
  /** Sid of the answered (or last) leg; null when no leg could be created. */
  readonly dialCallSid: string | null;
  /** Talk time in whole seconds; 0 when never bridged. */
  readonly callDuration: number;
  /** Seconds from leg creation to answer or end; null when no leg existed. */
  readonly ringDuration: number | null;
  readonly recordingUrl: string | null;
  readonly publicRecordingUrl: string | null;
  /** Present when the leg was a Sip noun: its Call-ID, final response code and X- headers. */
  readonly sip: { readonly callId: string; readonly responseCode: number; readonly headers: Readonly<Record<string, string>> } | null;
}

export interface SayOptions {
  readonly voice: 'man' | 'woman';
  readonly language: string;
  readonly loop: number;
}

export interface GatherSpec {
  /** Prompt URLs are absolute. */
  readonly prompts: readonly GatherPrompt[];
  readonly timeout: number;
  readonly finishOnKey: string;
  readonly numDigits: number | null;
  readonly input: readonly ('dtmf' | 'speech')[];
  readonly language: string | null;
  readonly hints: readonly string[];
}

export interface GatherOutcome {
  /** Collected digits without the finishing key. */
  readonly digits: string;
  readonly speechResult: string | null;
}

export interface RecordSpec {
  readonly timeout: number;
  readonly finishOnKey: string;
  readonly maxLength: number;
  readonly playBeep: boolean;
}

export interface RecordOutcome {
  /** Null when nothing was recorded. */
  readonly recordingUrl: string | null;
  readonly publicRecordingUrl: string | null;
  readonly duration: number;
  /** The key that stopped the recording, `hangup`, or empty (silence/maxLength). */
  readonly digits: string;
}

export interface ReferTarget {
  readonly uri: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly username: string | null;
  readonly password: string | null;
}

export interface ReferOutcome {
  /** `completed` when the final NOTIFY sipfrag was 2xx. */
  readonly status: 'completed' | 'failed' | 'busy' | 'no-answer' | 'canceled';
  /** The REFER's final response when >= 300, else the sipfrag status; 0 when nothing came back. */
  readonly sipResponseCode: number;
}

/** A Notification record (Restcomm: `log` 0 = error, 1 = warning). */
export interface Notification {
  readonly code: number;
  readonly log: 0 | 1;
  readonly message: string;
  readonly requestUrl?: string;
  readonly requestMethod?: HttpMethod;
  readonly responseStatus?: number;
  readonly responseBody?: string;
}
