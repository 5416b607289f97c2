import { badRequest } from './errors.js';
import { formatParams, isTokenChar, parseParams, skipWsp, splitList } from './scan.js';
import type { Via } from './types.js';
import { parseHostPort } from './uri.js';

const SIP_2_0 = 'SIP/2.0';

function tokenEnd(text: string, i: number, what: string): number {
  let j = i;
  while (j < text.length && isTokenChar(text.charCodeAt(j))) j++;
  if (j === i) throw badRequest(`Invalid ${what}`);
  return j;
}

function expectSlash(text: string, i: number): number {
  i = skipWsp(text, i);
  if (text.charCodeAt(i) !== 47) throw badRequest('Invalid Via sent-protocol');
  return skipWsp(text, i + 1);
}

/** Upper case without a copy for the usual spellings (`SIP`, `UDP`, ...), which already are. */
function upper(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 97 && c <= 122) return text.toUpperCase();
  }
  return text;
}

/** Parses one Via element: `SIP / 2.0 / UDP host[:port] *(;param)`, LWS allowed around `/` and `;`. */
export function parseVia(text: string): Via {
  const nameStart = skipWsp(text, 0);
  const nameEnd = tokenEnd(text, nameStart, 'Via protocol name');
  const versionStart = expectSlash(text, nameEnd);
  const versionEnd = tokenEnd(text, versionStart, 'Via protocol version');
  const transportStart = expectSlash(text, versionEnd);
  const transportEnd = tokenEnd(text, transportStart, 'Via transport');
  const hostStart = skipWsp(text, transportEnd);
  if (hostStart === transportEnd) throw badRequest('Missing space before Via sent-by');
  let j = hostStart;
  while (j < text.length) {
    const c = text.charCodeAt(j);
    if (c === 59 || c === 32 || c === 9) break;
    j++;
  }
  if (j === hostStart) throw badRequest('Missing Via sent-by');
  const { host, port } = parseHostPort(text.slice(hostStart, j), 'Via');
  const { params } = parseParams(text, j, 'Via');
  const branch = params.get('branch') ?? null;
  // The sent-protocol is `SIP/2.0` in nearly every Via: one comparison instead of building the string.
  const written = text.slice(nameStart, versionEnd);
  return {
    protocol: written === SIP_2_0 ? SIP_2_0 : `${upper(text.slice(nameStart, nameEnd))}/${text.slice(versionStart, versionEnd)}`,
    transport: upper(text.slice(transportStart, transportEnd)),
    host,
    port,
    params,
    branch,
  };
}

/** Every Via element of the given field lines, topmost first. */
export function parseViaList(lines: readonly string[]): Via[] {
  const out: Via[] = [];
  for (const line of lines) for (const element of splitList(line, 'Via')) out.push(parseVia(element));
  return out;
}

export function formatVia(via: Via): string {
  const port = via.port === null ? '' : `:${via.port}`;
  return `${via.protocol}/${via.transport} ${via.host}${port}${formatParams(via.params)}`;
}
