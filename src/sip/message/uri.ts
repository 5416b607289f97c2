import { badRequest } from './errors.js';
import { formatParams, parseBoundedInt, parseParams } from './scan.js';
import type { SipUri } from './types.js';

const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*$/;
const IPV6 = /^\[[0-9A-Fa-f:.]+\]$/;
const EMPTY_PARAMS: ReadonlyMap<string, string | null> = new Map();
const EMPTY_HEADERS: ReadonlyMap<string, string> = new Map();

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  const lower = code | 32;
  if (lower >= 97 && lower <= 102) return lower - 87;
  return -1;
}

/** Resolves %-escapes to bytes and reads them as UTF-8; throws on a `%` that is not an escape. */
export function percentDecode(text: string, what: string): string {
  if (text.indexOf('%') < 0) return text;
  const bytes: number[] = [];
  const raw = Buffer.from(text, 'utf8');
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i] as number;
    if (b !== 37) {
      bytes.push(b);
      continue;
    }
    const hi = hexValue(raw[i + 1] ?? 0);
    const lo = hexValue(raw[i + 2] ?? 0);
    if (hi < 0 || lo < 0) throw badRequest(`Invalid %-escape in ${what}`);
    bytes.push(hi * 16 + lo);
    i += 2;
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Characters a SIP user part may carry unescaped (RFC 3261 25.1: unreserved / user-unreserved). */
const USER_SAFE = /[^A-Za-z0-9\-_.!~*'()&=+$,;?/]/g;

function percentEncode(text: string): string {
  return text.replace(USER_SAFE, (c) => {
    let out = '';
    for (const b of Buffer.from(c, 'utf8')) out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
    return out;
  });
}

function checkNoWhitespace(text: string, what: string): void {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 32 || c === 127 || c === 60 || c === 62 || c === 34) {
      throw badRequest(`Invalid character ${c <= 32 ? 'whitespace or control' : JSON.stringify(text[i])} in URI of ${what}`);
    }
  }
}

/** RFC 3261 hostname / IPv4 characters; the first must be alphanumeric and the last must not be `-`. */
function hostnameFault(text: string, end: number): boolean {
  if (end === 0) return true;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    const alnum = (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 122);
    if (alnum) continue;
    if (i === 0 || !(c === 46 || c === 45 || c === 95) || ((c === 45 || c === 95) && i === end - 1)) return true;
  }
  return false;
}

function hasUpper(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 65 && c <= 90) return true;
  }
  return false;
}

export function parseHostPort(text: string, what: string): { host: string; port: number | null } {
  let host: string;
  let rest: string;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0) throw badRequest(`Unterminated IPv6 reference in ${what}`);
    host = text.slice(0, close + 1);
    rest = text.slice(close + 1);
    if (!IPV6.test(host)) throw badRequest(`Invalid IPv6 reference in ${what}`);
  } else {
    const colon = text.indexOf(':');
    const end = colon < 0 ? text.length : colon;
    if (hostnameFault(text, end)) throw badRequest(`Invalid host in ${what}`);
    host = colon < 0 ? text : text.slice(0, colon);
    rest = colon < 0 ? '' : text.slice(colon);
  }
  // Hosts nearly always arrive in lower case; skipping toLowerCase then avoids a copy.
  if (hasUpper(host)) host = host.toLowerCase();
  if (rest === '') return { host, port: null };
  const port = rest.startsWith(':') ? parseBoundedInt(rest.slice(1), 65535) : null;
  if (port === null) throw badRequest(`Invalid port in ${what}`);
  return { host, port };
}

function parseUriHeaders(text: string, what: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const pair of text.split('&')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw badRequest(`Invalid URI header in ${what}`);
    headers.set(percentDecode(pair.slice(0, eq), what), percentDecode(pair.slice(eq + 1), what));
  }
  return headers;
}

function parseSipUri(raw: string, scheme: string, rest: string, what: string): SipUri {
  const at = rest.indexOf('@');
  let user: string | null = null;
  let password: string | null = null;
  if (at >= 0) {
    const userinfo = rest.slice(0, at);
    const colon = userinfo.indexOf(':');
    user = percentDecode(colon < 0 ? userinfo : userinfo.slice(0, colon), what);
    password = colon < 0 ? null : percentDecode(userinfo.slice(colon + 1), what);
    if (user === '') throw badRequest(`Empty user part in URI of ${what}`);
    rest = rest.slice(at + 1);
  }
  let end = rest.length;
  for (let i = 0; i < rest.length; i++) {
    const c = rest.charCodeAt(i);
    if (c === 59 || c === 63) {
      end = i;
      break;
    }
  }
  const { host, port } = parseHostPort(rest.slice(0, end), what);
  let params: ReadonlyMap<string, string | null> = EMPTY_PARAMS;
  let headers: ReadonlyMap<string, string> = EMPTY_HEADERS;
  if (end < rest.length) {
    const q = rest.indexOf('?', end);
    const paramText = q < 0 ? rest.slice(end) : rest.slice(end, q);
    if (paramText.length > 0) params = parseParams(paramText, 0, what, true).params;
    if (q >= 0) headers = parseUriHeaders(rest.slice(q + 1), what);
  }
  return { scheme, user, password, host, port, params, headers, raw };
}

function parseTelUri(raw: string, rest: string, what: string): SipUri {
  const semi = rest.indexOf(';');
  const number = semi < 0 ? rest : rest.slice(0, semi);
  if (number === '') throw badRequest(`Empty telephone number in ${what}`);
  const params = semi < 0 ? EMPTY_PARAMS : parseParams(rest, semi, what, true).params;
  return { scheme: 'tel', user: percentDecode(number, what), password: null, host: '', port: null, params, headers: EMPTY_HEADERS, raw };
}

/**
 * Parses an absolute URI. `sip`/`sips` and `tel` are broken into parts; any other syntactically valid
 * scheme is kept opaque (only `scheme` and `raw` are meaningful). `what` names the field in errors.
 */
export function parseUri(text: string, what = 'URI'): SipUri {
  checkNoWhitespace(text, what);
  const colon = text.indexOf(':');
  if (colon <= 0) throw badRequest(`Missing URI scheme in ${what}`);
  const schemeText = text.slice(0, colon);
  if (!SCHEME.test(schemeText)) throw badRequest(`Invalid URI scheme in ${what}`);
  const scheme = schemeText.toLowerCase();
  const rest = text.slice(colon + 1);
  if (rest === '') throw badRequest(`Empty URI in ${what}`);
  if (scheme === 'sip' || scheme === 'sips') return parseSipUri(text, scheme, rest, what);
  if (scheme === 'tel') return parseTelUri(text, rest, what);
  return { scheme, user: null, password: null, host: '', port: null, params: EMPTY_PARAMS, headers: EMPTY_HEADERS, raw: text };
}

/** Writes a URI from its parts (user re-escaped), or `raw` for schemes that are kept opaque. */
export function formatUri(uri: SipUri): string {
  if (uri.scheme === 'tel') return `tel:${uri.user ?? ''}${formatParams(uri.params)}`;
  if (uri.scheme !== 'sip' && uri.scheme !== 'sips') return uri.raw;
  let out = `${uri.scheme}:`;
  if (uri.user !== null) {
    out += percentEncode(uri.user);
    if (uri.password !== null) out += `:${percentEncode(uri.password)}`;
    out += '@';
  }
  out += uri.host;
  if (uri.port !== null) out += `:${uri.port}`;
  out += formatParams(uri.params);
  if (uri.headers.size > 0) {
    const pairs: string[] = [];
    for (const [name, value] of uri.headers) pairs.push(`${name}=${encodeURIComponent(value)}`);
    out += `?${pairs.join('&')}`;
  }
  return out;
}

/** A SIP URI built from parts, with `raw` filled in. */
export function makeSipUri(parts: {
  scheme?: 'sip' | 'sips';
  user?: string | null;
  host: string;
  port?: number | null;
  params?: ReadonlyMap<string, string | null>;
}): SipUri {
  const base: SipUri = {
    scheme: parts.scheme ?? 'sip',
    user: parts.user ?? null,
    password: null,
    host: parts.host.toLowerCase(),
    port: parts.port ?? null,
    params: parts.params ?? EMPTY_PARAMS,
    headers: EMPTY_HEADERS,
    raw: '',
  };
  return { ...base, raw: formatUri(base) };
}
