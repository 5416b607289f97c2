import { SipParseError, formatUri, parseNameAddr, parseUri, type NameAddr, type SipRequest, type SipUri } from '../../sip/message/index.js';

/** A REFER that may be acted on (RFC 3515, RFC 4488, RFC 5589). */
export interface ReferRequest {
  /** The Refer-To URI as parsed, URI headers (such as `Replaces`) included. */
  readonly target: SipUri;
  /** The Refer-To header value exactly as received (the `ReferTo` RCML parameter). */
  readonly raw: string;
  /** The Refer-To URI without its headers: what the platform dials. */
  readonly dialUri: string;
  /** `ReferTarget`: the user part of Refer-To, or the whole URI (without headers) when it has none. */
  readonly referTarget: string;
  /** The `Replaces` URI header (attended transfer), still %-decoded. */
  readonly replaces?: string;
  /** Referred-By (RFC 3892) when present and readable. */
  readonly referredBy?: NameAddr;
  /** False when the transferor asked for no implicit subscription (`Refer-Sub: false`, RFC 4488). */
  readonly referSub: boolean;
}

export interface ReferRefusal {
  readonly status: 400;
  readonly reason: string;
}

export type ReferReading = { readonly kind: 'refer'; readonly refer: ReferRequest } | { readonly kind: 'refused'; readonly refusal: ReferRefusal };

const SCHEMES = new Set(['sip', 'sips', 'tel']);

function refuse(reason: string): ReferReading {
  return { kind: 'refused', refusal: { status: 400, reason } };
}

function detail(err: unknown): string {
  if (err instanceof SipParseError) return err.reason.replace(/^Bad Request - /, '');
  throw err;
}

/**
 * Refer-To is a name-addr; an addr-spec with `?headers` is not allowed by RFC 3261 20.10, but some
 * phones send `Refer-To: sip:x@y?Replaces=...` bare, so a bracket-less value with `?` is read as one URI.
 */
function parseReferTo(value: string): NameAddr {
  const text = value.trim();
  if (!text.includes('<') && !text.startsWith('"') && text.includes('?')) {
    return { displayName: null, uri: parseUri(text, 'Refer-To'), params: new Map() };
  }
  return parseNameAddr(text, 'Refer-To');
}

function withoutHeaders(uri: SipUri): string {
  if (uri.headers.size === 0) return formatUri(uri);
  return formatUri({ ...uri, headers: new Map() });
}

function headerValue(headers: ReadonlyMap<string, string>, name: string): string | undefined {
  for (const [key, value] of headers) if (key.toLowerCase() === name.toLowerCase()) return value;
  return undefined;
}

function readReferredBy(req: SipRequest): NameAddr | undefined {
  const value = req.headers.get('Referred-By');
  if (value === undefined) return undefined;
  // Referred-By only informs the refer app; a phone's odd spelling of it is no reason to refuse the transfer.
  try {
    return parseNameAddr(value, 'Referred-By');
  } catch (err) {
    detail(err);
    return undefined;
  }
}

/** Reads and validates an incoming REFER; a refusal carries the 400 reason phrase to answer with. */
export function readReferRequest(req: SipRequest): ReferReading {
  const lines = req.headers.getAll('Refer-To');
  if (lines.length === 0 || lines.every((l) => l.trim() === '')) return refuse('Bad Request - Missing Refer-To');
  if (lines.length > 1) return refuse('Bad Request - More than one Refer-To');
  const raw = (lines[0] ?? '').trim();
  let addr: NameAddr;
  try {
    addr = parseReferTo(raw);
  } catch (err) {
    return refuse(`Bad Request - Malformed Refer-To: ${detail(err)}`);
  }
  const { uri } = addr;
  if (!SCHEMES.has(uri.scheme)) return refuse(`Bad Request - Malformed Refer-To: scheme "${uri.scheme}" is not sip, sips or tel`);
  const subValue = req.headers.get('Refer-Sub')?.trim().toLowerCase();
  if (subValue !== undefined && subValue !== 'true' && subValue !== 'false') {
    return refuse(`Bad Request - Malformed Refer-Sub: "${subValue}" is neither true nor false`);
  }
  const dialUri = withoutHeaders(uri);
  const replaces = headerValue(uri.headers, 'Replaces');
  const referredBy = readReferredBy(req);
  return {
    kind: 'refer',
    refer: {
      target: uri,
      raw,
      dialUri,
      referTarget: uri.user ?? dialUri,
      referSub: subValue !== 'false',
      ...(replaces === undefined ? {} : { replaces }),
      ...(referredBy === undefined ? {} : { referredBy }),
    },
  };
}
