import { badRequest } from './errors.js';
import type { Params } from './types.js';

/** RFC 3261 `token` characters, as a lookup table indexed by char code. */
const TOKEN = new Uint8Array(128);
for (const c of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.!%*_+`\'~') TOKEN[c.charCodeAt(0)] = 1;

/** URI `paramchar` (RFC 3261 25.1): unreserved, escaped and `[]/:&+$`. */
const URI_PARAM = new Uint8Array(128);
for (const c of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.!~*\'()%[]/:&+$') URI_PARAM[c.charCodeAt(0)] = 1;

export function isTokenChar(code: number): boolean {
  return code < 128 && TOKEN[code] === 1;
}

export function isToken(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) if (!isTokenChar(text.charCodeAt(i))) return false;
  return true;
}

export function isWsp(code: number): boolean {
  return code === 32 || code === 9;
}

export function skipWsp(text: string, i: number): number {
  while (i < text.length && isWsp(text.charCodeAt(i))) i++;
  return i;
}

/**
 * Index just past the quoted string starting at `start` (which must be `"`), honouring `\` escapes.
 * Throws when the closing quote is missing.
 */
export function quotedEnd(text: string, start: number, what: string): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 92) i += 2;
    else if (c === 34) return i + 1;
    else i++;
  }
  throw badRequest(`Unterminated quoted string in ${what}`);
}

/** Content of a quoted string (with the quotes) with `\x` escapes resolved. */
export function unquote(quoted: string): string {
  if (quoted.indexOf('\\') < 0) return quoted.slice(1, -1);
  let out = '';
  for (let i = 1; i < quoted.length - 1; i++) {
    const c = quoted[i];
    if (c === '\\' && i + 1 < quoted.length - 1) {
      i++;
      out += quoted[i];
    } else out += c;
  }
  return out;
}

export function quote(text: string): string {
  return `"${text.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/**
 * Splits a comma-separated header value into its elements, ignoring commas inside quoted strings
 * and inside `<...>`; elements are trimmed. Throws on an unbalanced quote.
 */
export function splitList(value: string, what: string): string[] {
  const out: string[] = [];
  let start = 0;
  let angle = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 34) i = quotedEnd(value, i, what) - 1;
    else if (c === 60) angle = true;
    else if (c === 62) angle = false;
    else if (c === 44 && !angle) {
      out.push(value.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(value.slice(start).trim());
  return out;
}

export interface ParamsResult {
  readonly params: Map<string, string | null>;
  readonly end: number;
}

/**
 * Reads `*( LWS ";" LWS name [ LWS "=" LWS value ] )` from `start` to the end of `text`. Values are
 * tokens, quoted strings (kept with their quotes) or IPv6 references. Names are lower-cased.
 */
export function parseParams(text: string, start: number, what: string, uri = false): ParamsResult {
  const table = uri ? URI_PARAM : TOKEN;
  const params = new Map<string, string | null>();
  const n = text.length;
  let i = skipWsp(text, start);
  while (i < n) {
    if (text.charCodeAt(i) !== 59) throw badRequest(`Invalid parameter syntax in ${what}`);
    i = skipWsp(text, i + 1);
    let j = i;
    // Names are nearly always lower case already; lower-casing only when needed saves a call per parameter.
    let upper = false;
    for (; j < n; j++) {
      const c = text.charCodeAt(j);
      if (c >= 128 || table[c] !== 1) break;
      if (c >= 65 && c <= 90) upper = true;
    }
    if (j === i) throw badRequest(`Empty parameter name in ${what}`);
    const name = upper ? text.slice(i, j).toLowerCase() : text.slice(i, j);
    i = skipWsp(text, j);
    let value: string | null = null;
    if (text.charCodeAt(i) === 61) {
      i = skipWsp(text, i + 1);
      const c = text.charCodeAt(i);
      if (c === 34 && !uri) {
        j = quotedEnd(text, i, what);
      } else if (c === 91 && !uri) {
        j = text.indexOf(']', i);
        if (j < 0) throw badRequest(`Unterminated IPv6 reference in ${what}`);
        j++;
      } else {
        for (j = i; j < n; j++) {
          const v = text.charCodeAt(j);
          if (v !== 58 && (v >= 128 || table[v] !== 1)) break;
        }
        if (j === i) throw badRequest(`Empty value for parameter "${name}" in ${what}`);
      }
      value = text.slice(i, j);
      i = skipWsp(text, j);
    }
    params.set(name, value);
  }
  return { params, end: i };
}

export function formatParams(params: Params): string {
  let out = '';
  for (const [name, value] of params) out += value === null ? `;${name}` : `;${name}=${value}`;
  return out;
}

/** Parses an unsigned decimal no larger than `max`; null for anything else. */
export function parseBoundedInt(text: string, max: number): number | null {
  if (text.length === 0 || text.length > 16) return null;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return null;
  }
  const n = Number(text);
  return n <= max ? n : null;
}
