import type { Logger } from '../../log.js';
import type { CallControl } from '../call-control.js';
import type { VerbSpec } from '../spec/types.js';
import type { HttpMethod } from '../verbs.js';

/** What a verb module gets to run one verb. */
export interface VerbContext {
  readonly call: CallControl;
  /** Fires when the interpreter stops (caller hung up, live modification). */
  readonly signal: AbortSignal;
  /** Makes a URL absolute against the current document; throws `VerbFailure` (11100) when it cannot. */
  resolve(url: string): string;
  readonly log: Logger;
}

export type VerbResult =
  | { readonly next: 'continue' }
  /** The verb ended the call. */
  | { readonly next: 'end' }
  /**
   * Request `url` with the base parameters plus `parameters`; its RCML replaces the document. With
   * `reportIfHungUp`, the request is still sent (response ignored) when the caller has already gone.
   */
  | {
      readonly next: 'fetch';
      readonly url: string;
      readonly method: HttpMethod;
      readonly parameters: Readonly<Record<string, string>>;
      readonly reportIfHungUp: boolean;
    };

export const CONTINUE: VerbResult = { next: 'continue' };

/** A verb that cannot run (bad URL, ...): a Notification, then the call is ended. */
export class VerbFailure extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** A verb: its specification (from which parsing, the JSON Schema and the docs derive) and how it runs. */
export interface VerbModule<V extends { readonly verb: string; readonly line: number }> {
  readonly spec: VerbSpec<V>;
  /** False for verbs that may run on a ringing call without answering it (spec 1.2: Reject, Pause). */
  readonly answersCall: boolean;
  run(verb: V, ctx: VerbContext): Promise<VerbResult>;
}
