/**
 * The SIP message model every layer above `sip/message` codes against. The parser produces these,
 * the serializer writes them; transports, transactions, dialogs, auth and the registrar only read them
 * or build new ones through the builders in `sip/message`.
 *
 * Header values are kept as the raw text they arrived with (after unfolding), so unknown headers
 * round-trip byte for byte; typed views (Via, name-addr, CSeq, ...) are parsed on demand.
 */

/** Parameters of a URI, name-addr or Via: names lower-cased, values as written (null for a flag). */
export type Params = ReadonlyMap<string, string | null>;

export interface SipUri {
  /** Lower-case scheme: `sip`, `sips`, `tel`, or any other absolute-URI scheme. */
  readonly scheme: string;
  /** User part with %-escapes decoded; null when absent. */
  readonly user: string | null;
  readonly password: string | null;
  /** Host in lower case; IPv6 references keep their brackets. Empty for non-SIP schemes. */
  readonly host: string;
  readonly port: number | null;
  readonly params: Params;
  /** URI headers (`?a=b&c=d`), names as written, values %-decoded. */
  readonly headers: ReadonlyMap<string, string>;
  /** The URI exactly as it appeared. */
  readonly raw: string;
}

export interface NameAddr {
  readonly displayName: string | null;
  readonly uri: SipUri;
  /** Header parameters after the URI (tag, expires, q, +sip.instance, ...). */
  readonly params: Params;
}

export interface Via {
  /** `SIP/2.0` */
  readonly protocol: string;
  /** Upper-case transport token: UDP, TCP, TLS, WS, or anything unknown as written. */
  readonly transport: string;
  readonly host: string;
  readonly port: number | null;
  readonly params: Params;
  readonly branch: string | null;
}

export interface CSeq {
  readonly seq: number;
  readonly method: string;
}

/** Ordered header fields; names are matched case-insensitively and compact forms are expanded. */
export interface SipHeaders {
  /** First value of a header (for comma-separated headers: the first field line, unsplit). */
  get(name: string): string | undefined;
  /** Every value: one entry per field line, and comma-separated lists split into their elements. */
  getAll(name: string): string[];
  has(name: string): boolean;
  /** Every field in arrival order with the canonical (long-form) name. */
  entries(): Iterable<readonly [name: string, value: string]>;
}

interface SipMessageBase {
  /** `SIP/2.0` */
  readonly version: string;
  readonly headers: SipHeaders;
  readonly body: Buffer;
  readonly callId: string;
  readonly cseq: CSeq;
  readonly from: NameAddr;
  readonly to: NameAddr;
  /** All Via entries, topmost first. */
  readonly vias: readonly Via[];
}

export interface SipRequest extends SipMessageBase {
  readonly kind: 'request';
  readonly method: string;
  readonly uri: SipUri;
}

export interface SipResponse extends SipMessageBase {
  readonly kind: 'response';
  readonly status: number;
  readonly reason: string;
}

export type SipMessage = SipRequest | SipResponse;
