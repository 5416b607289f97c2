import { SipParseError } from './errors.js';
import { parseNameAddr } from './name-addr.js';
import { parseBoundedInt, splitList } from './scan.js';
import type { SipHeaders, SipRequest, SipResponse } from './types.js';

export interface ValidationFailure {
  readonly status: number;
  readonly reason: string;
  readonly headers?: [string, string][];
}

export interface ValidateOptions {
  /** Option tags this UAS implements (for Require). */
  readonly supportedExtensions: readonly string[];
  /** Media types an INVITE body may have, lower case (e.g. `application/sdp`). */
  readonly acceptedContentTypes: readonly string[];
  /** Request-URI schemes served here, lower case. */
  readonly knownSchemes: readonly string[];
}

const MANDATORY = ['Via', 'From', 'To', 'Call-ID', 'CSeq'];
const SINGLE = ['From', 'To', 'Call-ID', 'CSeq', 'Max-Forwards', 'Content-Length', 'Content-Type', 'Expires', 'Date'];
const MAX_UINT32 = 2 ** 32 - 1;
const RFC1123_GMT = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-9]{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT$/;

function bad(detail: string): ValidationFailure {
  return { status: 400, reason: `Bad Request - ${detail}` };
}

function checkScalar(headers: SipHeaders, name: string, max: number): ValidationFailure | null {
  const value = headers.get(name);
  if (value === undefined) return null;
  const text = name === 'Retry-After' ? (value.split(/[ \t;(]/)[0] ?? '') : value;
  return parseBoundedInt(text, max) === null ? bad(`Invalid ${name}`) : null;
}

function checkContacts(headers: SipHeaders): void {
  const contacts = headers.getAll('Contact');
  if (contacts.length === 1 && contacts[0] === '*') return;
  for (const contact of contacts) {
    const na = parseNameAddr(contact, 'Contact');
    const expires = na.params.get('expires');
    if (expires !== undefined && (expires === null || parseBoundedInt(expires, MAX_UINT32) === null)) {
      throw new SipParseError(400, 'Bad Request - Invalid Contact expires');
    }
  }
}

/** Reads every typed view and the headers whose syntax matters to the stack, as a UAS would. */
function checkSyntax(msg: SipRequest | SipResponse): ValidationFailure | null {
  try {
    void msg.vias;
    void msg.from;
    void msg.to;
    void msg.callId;
    void msg.cseq;
    checkContacts(msg.headers);
    for (const name of ['Route', 'Record-Route']) for (const value of msg.headers.getAll(name)) parseNameAddr(value, name);
  } catch (err) {
    if (err instanceof SipParseError) return { status: err.status, reason: err.reason };
    throw err;
  }
  const date = msg.headers.get('Date');
  if (date !== undefined && !RFC1123_GMT.test(date)) return bad('Invalid Date (RFC 1123 date in GMT required)');
  return checkScalar(msg.headers, 'Max-Forwards', 255) ?? checkScalar(msg.headers, 'Expires', MAX_UINT32)
    ?? checkScalar(msg.headers, 'Retry-After', MAX_UINT32);
}

function unsupported(required: readonly string[], supported: readonly string[]): string[] {
  const known = new Set(supported.map((tag) => tag.toLowerCase()));
  return required.filter((tag) => !known.has(tag.toLowerCase()));
}

function tagsOf(headers: SipHeaders, name: string): string[] {
  try {
    return headers.getAll(name).flatMap((value) => splitList(value, name)).filter((tag) => tag !== '');
  } catch {
    return [];
  }
}

/**
 * The checks RFC 3261 8.2 and RFC 4475 3.3 expect of a UAS before it acts on a request that parsed.
 * Returns the response to send, or null when the request is acceptable.
 */
export function validateRequest(req: SipRequest, opts: ValidateOptions): ValidationFailure | null {
  if (req.version !== 'SIP/2.0') return { status: 505, reason: 'Version Not Supported' };
  const missing = MANDATORY.filter((name) => !req.headers.has(name));
  if (missing.length > 0) return bad(`Missing ${missing.join(', ')} header${missing.length > 1 ? 's' : ''}`);
  const repeated = SINGLE.filter((name) => req.headers.getAll(name).length > 1);
  if (repeated.length > 0) return bad(`Multiple values in single-value header${repeated.length > 1 ? 's' : ''} ${repeated.join(', ')}`);
  const syntax = checkSyntax(req);
  if (syntax !== null) return syntax;
  if (req.cseq.method !== req.method) return bad('CSeq method does not match the request method');
  if (!opts.knownSchemes.includes(req.uri.scheme)) return { status: 416, reason: 'Unsupported URI Scheme' };
  if (req.method !== 'ACK' && req.method !== 'CANCEL') {
    const missingTags = unsupported(tagsOf(req.headers, 'Require'), opts.supportedExtensions);
    if (missingTags.length > 0) return { status: 420, reason: 'Bad Extension', headers: [['Unsupported', missingTags.join(', ')]] };
  }
  if (req.method === 'INVITE' && req.body.length > 0) {
    const type = (req.headers.get('Content-Type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (!opts.acceptedContentTypes.includes(type)) {
      return { status: 415, reason: 'Unsupported Media Type', headers: [['Accept', opts.acceptedContentTypes.join(', ')]] };
    }
  }
  return null;
}

/**
 * Checks a proxy (or the B2BUA's forwarding path) makes before forwarding (RFC 3261 16.3):
 * Max-Forwards 0 gives 483, unsupported Proxy-Require tags give 420 with Unsupported.
 */
export function checkProxyRequest(req: SipRequest, supportedExtensions: readonly string[]): ValidationFailure | null {
  const maxForwards = req.headers.get('Max-Forwards');
  if (maxForwards !== undefined && parseBoundedInt(maxForwards, 255) === 0) return { status: 483, reason: 'Too Many Hops' };
  const missingTags = unsupported(tagsOf(req.headers, 'Proxy-Require'), supportedExtensions);
  if (missingTags.length > 0) return { status: 420, reason: 'Bad Extension', headers: [['Unsupported', missingTags.join(', ')]] };
  return null;
}

/**
 * Why a received response must be dropped (RFC 3261 18.1.2: malformed responses are discarded), or
 * null when it is usable.
 */
export function responseFault(res: SipResponse): string | null {
  const missing = MANDATORY.filter((name) => !res.headers.has(name));
  if (missing.length > 0) return `Missing ${missing.join(', ')}`;
  const syntax = checkSyntax(res);
  if (syntax !== null) return syntax.reason;
  if (viaNamesBroadcast(res)) return 'Via names a broadcast address';
  return null;
}

/**
 * True when any Via of a response names the limited broadcast address (RFC 4475 3.3.10): drop it.
 * Reads `vias`, so it throws `SipParseError` on a malformed Via (check `responseFault` first).
 */
export function viaNamesBroadcast(res: SipResponse): boolean {
  return res.vias.some((via) => via.host === '255.255.255.255' || via.params.get('received') === '255.255.255.255' || via.params.get('maddr') === '255.255.255.255');
}

/**
 * Whether the request's Accept header allows `mediaType` (no Accept means application/sdp only,
 * RFC 3261 20.1). An INVITE that does not accept SDP gets 406 or an answer without SDP (RFC 4475 3.3.15).
 */
export function acceptsContentType(req: SipRequest, mediaType: string): boolean {
  const wanted = mediaType.toLowerCase();
  const accept = tagsOf(req.headers, 'Accept');
  if (!req.headers.has('Accept')) return wanted === 'application/sdp';
  const [type] = wanted.split('/');
  return accept.some((entry) => {
    const range = (entry.split(';')[0] ?? '').trim().toLowerCase();
    return range === wanted || range === '*/*' || range === `${type}/*`;
  });
}
