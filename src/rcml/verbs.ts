/**
 * The typed RCML verbs and nouns produced by `parse.ts`; every attribute is validated and defaulted.
 * Each verb's type lives in its module (`verbs/<verb>.ts`) next to its specification; this file holds
 * the shared types and names them for the rest of the code.
 */

export type HttpMethod = 'GET' | 'POST';

export type DialEvent = 'initiated' | 'ringing' | 'answered' | 'completed';

/** A value Restcomm would only warn about: the default was kept. */
export interface RcmlWarning {
  readonly code: number;
  readonly message: string;
  readonly line: number;
}

export type { Verb, VerbName } from './verbs/index.js';
export type { ClientNoun, ConferenceNoun, DialNoun, NounCallbacks, NumberNoun, SipNoun } from './verbs/nouns.js';
export type { DialVerb } from './verbs/dial.js';
export type { GatherPrompt, GatherVerb } from './verbs/gather.js';
export type { HangupVerb } from './verbs/hangup.js';
export type { PauseVerb } from './verbs/pause.js';
export type { PlayVerb } from './verbs/play.js';
export type { RecordVerb } from './verbs/record.js';
export type { RedirectVerb } from './verbs/redirect.js';
export type { ReferVerb } from './verbs/refer.js';
export type { RejectVerb } from './verbs/reject.js';
export type { SayVerb } from './verbs/say.js';
