import type { VerbRequirement } from './spec/types.js';

/**
 * The kind of application a document runs in: what it offers its verbs, and the warning a verb that
 * needs something else gets when the parser skips it.
 */
export interface AppKind {
  /** As a warning names it: "... cannot run in a voice call". */
  readonly name: string;
  readonly offers: ReadonlySet<VerbRequirement>;
  readonly refusedCode: number;
}

export const VOICE_APP: AppKind = { name: 'a voice call', offers: new Set(['call', 'messaging', 'none']), refusedCode: 12200 };

/** A number's SMS URL (spec messaging 2): only Sms, Email and Redirect run; the rest is skipped with 14110. */
export const SMS_APP: AppKind = { name: 'an SMS reply', offers: new Set(['messaging', 'none']), refusedCode: 14110 };
