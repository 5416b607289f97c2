/** The typed RCML verbs and nouns produced by `parse.ts`; every attribute is validated and defaulted. */

export type HttpMethod = 'GET' | 'POST';

export type DialEvent = 'initiated' | 'ringing' | 'answered' | 'completed';

/** Attributes shared by the Number, Client and Sip nouns of `<Dial>`. */
export interface NounCallbacks {
  /** Call-screening RCML run on the answered leg before bridging (as written; relative to the document). */
  readonly url: string | null;
  readonly method: HttpMethod;
  readonly statusCallback: string | null;
  readonly statusCallbackMethod: HttpMethod;
  /** Empty when no statusCallback is set. */
  readonly statusCallbackEvent: readonly DialEvent[];
}

export interface NumberNoun extends NounCallbacks {
  readonly kind: 'number';
  readonly number: string;
  /** `?H1=v1&H2=v2` after the number: extra SIP headers for the INVITE. */
  readonly headers: Readonly<Record<string, string>>;
  /** DTMF to send once the leg answers (`w` = half-second wait). */
  readonly sendDigits: string | null;
}

export interface ClientNoun extends NounCallbacks {
  readonly kind: 'client';
  readonly login: string;
  readonly headers: Readonly<Record<string, string>>;
}

export interface SipNoun extends NounCallbacks {
  readonly kind: 'sip';
  /** The SIP URI without its `?headers` part. */
  readonly uri: string;
  /** URI headers, each name prefixed with `X-` when it was not already. */
  readonly headers: Readonly<Record<string, string>>;
  readonly username: string | null;
  readonly password: string | null;
}

export interface ConferenceNoun {
  readonly kind: 'conference';
  readonly name: string;
  readonly muted: boolean;
  readonly beep: boolean;
  readonly startConferenceOnEnter: boolean;
  readonly endConferenceOnExit: boolean;
  readonly waitUrl: string | null;
  readonly waitMethod: HttpMethod;
  readonly maxParticipants: number;
}

export type DialNoun = NumberNoun | ClientNoun | SipNoun | ConferenceNoun;

export interface DialVerb {
  readonly verb: 'Dial';
  readonly line: number;
  readonly action: string | null;
  readonly method: HttpMethod;
  readonly timeout: number;
  readonly timeLimit: number;
  readonly callerId: string | null;
  readonly record: boolean;
  readonly hangupOnStar: boolean;
  readonly nouns: readonly DialNoun[];
}

export interface HangupVerb {
  readonly verb: 'Hangup';
  readonly line: number;
}

export interface RejectVerb {
  readonly verb: 'Reject';
  readonly line: number;
  readonly reason: 'busy' | 'rejected';
}

export interface RedirectVerb {
  readonly verb: 'Redirect';
  readonly line: number;
  readonly url: string;
  readonly method: HttpMethod;
}

export interface PauseVerb {
  readonly verb: 'Pause';
  readonly line: number;
  readonly length: number;
}

export interface PlayVerb {
  readonly verb: 'Play';
  readonly line: number;
  /** Empty when the verb only sends `digits`. */
  readonly url: string;
  /** 0 = until the call ends. */
  readonly loop: number;
  /** DTMF to send (`0-9*#`, `w` = half-second wait), played before the URL if both are given. */
  readonly digits: string | null;
}

export interface SayVerb {
  readonly verb: 'Say';
  readonly line: number;
  readonly text: string;
  readonly voice: 'man' | 'woman';
  readonly language: string;
  readonly loop: number;
}

export type GatherPrompt = PlayVerb | SayVerb | PauseVerb;

export interface GatherVerb {
  readonly verb: 'Gather';
  readonly line: number;
  readonly action: string | null;
  readonly method: HttpMethod;
  readonly timeout: number;
  /** Any of these keys ends input; empty = no key does. */
  readonly finishOnKey: string;
  readonly numDigits: number | null;
  readonly input: readonly ('dtmf' | 'speech')[];
  readonly language: string | null;
  readonly hints: readonly string[];
  readonly prompts: readonly GatherPrompt[];
}

export interface RecordVerb {
  readonly verb: 'Record';
  readonly line: number;
  readonly action: string | null;
  readonly method: HttpMethod;
  readonly timeout: number;
  /** Any of these keys stops recording; empty = no key does. */
  readonly finishOnKey: string;
  readonly maxLength: number;
  readonly playBeep: boolean;
}

export interface ReferVerb {
  readonly verb: 'Refer';
  readonly line: number;
  readonly action: string | null;
  readonly method: HttpMethod;
  readonly target: SipNoun;
}

export type Verb =
  | DialVerb
  | HangupVerb
  | RejectVerb
  | RedirectVerb
  | PauseVerb
  | PlayVerb
  | SayVerb
  | GatherVerb
  | RecordVerb
  | ReferVerb;

export type VerbName = Verb['verb'];

/** A value Restcomm would only warn about: the default was kept. */
export interface RcmlWarning {
  readonly code: number;
  readonly message: string;
  readonly line: number;
}
