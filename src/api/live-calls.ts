import type { CallRecord } from '../store/calls.js';

export type AppMethod = 'GET' | 'POST';

/** `POST /Calls`: an outbound call placed by the API (spec rest-api.md §2.5, create). */
export interface OriginateRequest {
  readonly accountSid: string;
  readonly from: string;
  /** `client:alice`, a SIP URI, or a number; text after `?` is `Name=value&...` custom headers. */
  readonly to: string;
  readonly url: string;
  readonly method: AppMethod;
  readonly fallback: { readonly url: string; readonly method: AppMethod } | null;
  readonly statusCallback: { readonly url: string; readonly method: AppMethod } | null;
  readonly timeoutSeconds: number;
  /** Digest credentials for the far end's challenge. */
  readonly credentials: { readonly username: string; readonly password: string } | null;
}

/** The call is placed (its CDR, status `queued`), or it could not be (the target cannot be reached). */
export type OriginateResult = { readonly ok: true; readonly record: CallRecord } | { readonly ok: false; readonly message: string };

/** `POST /Calls/{CA}` (live call modification); at most one of the three is acted on, in this order. */
export interface CallChange {
  readonly status?: 'canceled' | 'completed';
  readonly redirect?: { readonly url: string; readonly method: AppMethod; readonly fallback: { readonly url: string; readonly method: AppMethod } | null };
  readonly mute?: boolean;
}

/**
 * - `applied`: done (or, for `canceled`/`mute`, not applicable to the call's state and left alone, as Restcomm does);
 * - `not-live`: no live call with that sid on this node.
 */
export type ChangeResult = 'applied' | 'not-live';

/** How the API reaches the call layer; `src/node.ts` wires it, so the API never imports `src/calls/`. */
export interface LiveCalls {
  originate(request: OriginateRequest): Promise<OriginateResult>;
  modify(callSid: string, change: CallChange): Promise<ChangeResult>;
}
