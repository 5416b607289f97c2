/** What could be read from a message that failed to parse, so a stateless 400 can still be answered. */
export interface PartialMessage {
  readonly kind: 'request' | 'response' | null;
  readonly method: string | null;
  /** Via, From, To, Call-ID, CSeq (and Timestamp) field lines that were found, canonical names. */
  readonly headers: ReadonlyArray<readonly [name: string, value: string]>;
}

const EMPTY_PARTIAL: PartialMessage = { kind: null, method: null, headers: [] };

/**
 * The only exception the message layer throws. `status` is the response a UAS should answer with
 * (400 or 505); `reason` is a full reason phrase naming the fault, usable as-is in that response.
 */
export class SipParseError extends Error {
  readonly status: number;
  readonly reason: string;
  readonly partial: PartialMessage;

  constructor(status: number, reason: string, partial: PartialMessage = EMPTY_PARTIAL) {
    super(reason);
    this.name = 'SipParseError';
    this.status = status;
    this.reason = reason;
    this.partial = partial;
  }

  withPartial(partial: PartialMessage): SipParseError {
    return new SipParseError(this.status, this.reason, partial);
  }
}

/** A 400 whose reason phrase is `Bad Request - <detail>`. */
export function badRequest(detail: string): SipParseError {
  return new SipParseError(400, `Bad Request - ${detail}`);
}
