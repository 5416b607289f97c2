import { badRequest } from './errors.js';
import type { HeaderList } from './headers.js';
import { parseNameAddr } from './name-addr.js';
import { isToken, parseBoundedInt } from './scan.js';
import type { CSeq, NameAddr, SipRequest, SipResponse, SipUri, Via } from './types.js';
import { parseViaList } from './via.js';

/** RFC 3261 8.1.1.5: the sequence number must be below 2**31. */
const MAX_CSEQ = 2 ** 31 - 1;
/** RFC 3261 25.1 `callid = word [ "@" word ]`. */
const CALL_ID = /^[A-Za-z0-9\-.!%*_+`'~()<>:\\"/[\]?{}]+(@[A-Za-z0-9\-.!%*_+`'~()<>:\\"/[\]?{}]+)?$/;

function single(headers: HeaderList, name: string): string {
  const lines = headers.lines(name);
  if (lines.length === 0) throw badRequest(`Missing ${name} header`);
  if (lines.length > 1) throw badRequest(`Multiple ${name} headers`);
  return lines[0] as string;
}

/** `seq SP method`, the form every peer sends, without a regex split. */
function simpleCSeqParts(text: string): string[] | null {
  const sp = text.indexOf(' ');
  if (sp <= 0 || text.indexOf(' ', sp + 1) >= 0 || text.indexOf('\t') >= 0 || sp === text.length - 1) return null;
  return [text.slice(0, sp), text.slice(sp + 1)];
}

export function parseCSeq(text: string): CSeq {
  const parts = simpleCSeqParts(text) ?? text.trim().split(/[ \t]+/);
  if (parts.length !== 2) throw badRequest('Invalid CSeq');
  const seq = parseBoundedInt(parts[0] as string, MAX_CSEQ);
  if (seq === null) throw badRequest('Invalid CSeq number');
  const method = parts[1] as string;
  if (!isToken(method)) throw badRequest('Invalid CSeq method');
  return { seq, method };
}

/**
 * Common part of parsed and built messages. Typed views are parsed on first access and memoised;
 * a malformed or missing header makes the view throw `SipParseError` (status 400).
 */
abstract class MessageBase {
  private memoCallId: string | undefined;
  private memoCSeq: CSeq | undefined;
  private memoFrom: NameAddr | undefined;
  private memoTo: NameAddr | undefined;
  private memoVias: readonly Via[] | undefined;

  constructor(
    readonly version: string,
    readonly headers: HeaderList,
    readonly body: Buffer,
  ) {}

  get callId(): string {
    if (this.memoCallId === undefined) {
      const value = single(this.headers, 'Call-ID');
      if (!CALL_ID.test(value)) throw badRequest('Invalid Call-ID');
      this.memoCallId = value;
    }
    return this.memoCallId;
  }

  get cseq(): CSeq {
    this.memoCSeq ??= parseCSeq(single(this.headers, 'CSeq'));
    return this.memoCSeq;
  }

  get from(): NameAddr {
    this.memoFrom ??= parseNameAddr(single(this.headers, 'From'), 'From');
    return this.memoFrom;
  }

  get to(): NameAddr {
    this.memoTo ??= parseNameAddr(single(this.headers, 'To'), 'To');
    return this.memoTo;
  }

  get vias(): readonly Via[] {
    if (this.memoVias === undefined) {
      const vias = parseViaList(this.headers.lines('Via'));
      if (vias.length === 0) throw badRequest('Missing Via header');
      this.memoVias = vias;
    }
    return this.memoVias;
  }
}

export class Request extends MessageBase implements SipRequest {
  readonly kind = 'request' as const;

  constructor(
    readonly method: string,
    readonly uri: SipUri,
    version: string,
    headers: HeaderList,
    body: Buffer,
  ) {
    super(version, headers, body);
  }
}

export class Response extends MessageBase implements SipResponse {
  readonly kind = 'response' as const;

  constructor(
    readonly status: number,
    readonly reason: string,
    version: string,
    headers: HeaderList,
    body: Buffer,
  ) {
    super(version, headers, body);
  }
}
