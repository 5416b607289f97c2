import type { Fail } from '../spec/types.js';

export interface WithHeaders {
  readonly value: string;
  readonly headers: Record<string, string>;
}

/** `value?a=1&b=2` → the value and its decoded query pairs; `prefixX` names each header `X-…`. */
export function splitHeaders(raw: string, prefixX: boolean, fail: Fail): WithHeaders {
  const q = raw.indexOf('?');
  if (q < 0) return { value: raw, headers: {} };
  const headers: Record<string, string> = {};
  for (const pair of raw.slice(q + 1).split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    let name: string;
    let value: string;
    try {
      name = decodeURIComponent(eq < 0 ? pair : pair.slice(0, eq)).trim();
      value = eq < 0 ? '' : decodeURIComponent(pair.slice(eq + 1));
    } catch {
      fail(null, `bad percent-encoding in header "${pair}"`);
    }
    if (!/^[A-Za-z0-9!%*_+`'~.-]+$/.test(name)) fail(null, `"${name}" is not a valid SIP header name`);
    headers[prefixX && !/^x-/i.test(name) ? `X-${name}` : name] = value;
  }
  return { value: raw.slice(0, q), headers };
}
