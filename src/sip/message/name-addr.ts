import { badRequest } from './errors.js';
import { formatParams, isTokenChar, isWsp, parseParams, quote, quotedEnd, skipWsp, unquote } from './scan.js';
import type { NameAddr } from './types.js';
import { formatUri, parseUri } from './uri.js';

function checkDisplayName(text: string, what: string): void {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!isTokenChar(c) && !isWsp(c)) throw badRequest(`Invalid character ${JSON.stringify(text[i])} in unquoted display name of ${what}`);
  }
}

/**
 * Parses `name-addr` (`["display"] <uri> *params`) or `addr-spec` (`uri *params`). In the addr-spec
 * form every `;param` belongs to the header, not the URI (RFC 3261 20.10), so such a URI cannot carry
 * URI parameters, headers or commas. The display name is returned unquoted and unescaped.
 */
export function parseNameAddr(text: string, what = 'name-addr'): NameAddr {
  const value = text.trim();
  let displayName: string | null = null;
  let lt: number;
  if (value.charCodeAt(0) === 34) {
    const end = quotedEnd(value, 0, what);
    displayName = unquote(value.slice(0, end));
    lt = skipWsp(value, end);
    if (value.charCodeAt(lt) !== 60) throw badRequest(`Expected <URI> after the display name in ${what}`);
  } else {
    lt = value.indexOf('<');
    if (lt > 0) {
      const name = value.slice(0, lt).trim();
      checkDisplayName(name, what);
      displayName = name === '' ? null : name;
    }
  }
  if (lt >= 0) {
    const gt = value.indexOf('>', lt);
    if (gt < 0) throw badRequest(`Missing ">" in ${what}`);
    const inner = value.slice(lt + 1, gt);
    if (inner.length > 0 && (isWsp(inner.charCodeAt(0)) || isWsp(inner.charCodeAt(inner.length - 1)))) {
      throw badRequest(`Whitespace inside <> in ${what}`);
    }
    const uri = parseUri(inner, what);
    const { params, end } = parseParams(value, gt + 1, what);
    if (end !== value.length) throw badRequest(`Unexpected text after parameters in ${what}`);
    return { displayName, uri, params };
  }
  const semi = value.indexOf(';');
  const uriText = (semi < 0 ? value : value.slice(0, semi)).trimEnd();
  if (uriText.indexOf('?') >= 0 || uriText.indexOf(',') >= 0) {
    throw badRequest(`URI with "?" or "," must be enclosed in <> in ${what}`);
  }
  const uri = parseUri(uriText, what);
  const params = semi < 0 ? new Map<string, string | null>() : parseParams(value, semi, what).params;
  return { displayName: null, uri, params };
}

/** Always writes the `<uri>` form, which is unambiguous whatever the URI contains. */
export function formatNameAddr(na: NameAddr): string {
  const display = na.displayName === null ? '' : `${quote(na.displayName)} `;
  return `${display}<${formatUri(na.uri)}>${formatParams(na.params)}`;
}
