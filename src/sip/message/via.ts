import { badRequest } from './errors.js';
import { formatParams, isTokenChar, parseParams, skipWsp, splitList } from './scan.js';
import type { Via } from './types.js';
import { parseHostPort } from './uri.js';

function readToken(text: string, i: number, what: string): [string, number] {
  let j = i;
  while (j < text.length && isTokenChar(text.charCodeAt(j))) j++;
  if (j === i) throw badRequest(`Invalid ${what}`);
  return [text.slice(i, j), j];
}

function expectSlash(text: string, i: number): number {
  i = skipWsp(text, i);
  if (text.charCodeAt(i) !== 47) throw badRequest('Invalid Via sent-protocol');
  return skipWsp(text, i + 1);
}

/** Parses one Via element: `SIP / 2.0 / UDP host[:port] *(;param)`, LWS allowed around `/` and `;`. */
export function parseVia(text: string): Via {
  let i = skipWsp(text, 0);
  let name: string;
  let version: string;
  let transport: string;
  [name, i] = readToken(text, i, 'Via protocol name');
  i = expectSlash(text, i);
  [version, i] = readToken(text, i, 'Via protocol version');
  i = expectSlash(text, i);
  [transport, i] = readToken(text, i, 'Via transport');
  const hostStart = skipWsp(text, i);
  if (hostStart === i) throw badRequest('Missing space before Via sent-by');
  let j = hostStart;
  while (j < text.length) {
    const c = text.charCodeAt(j);
    if (c === 59 || c === 32 || c === 9) break;
    j++;
  }
  if (j === hostStart) throw badRequest('Missing Via sent-by');
  const { host, port } = parseHostPort(text.slice(hostStart, j), 'Via');
  const { params, end } = parseParams(text, j, 'Via');
  if (end !== text.length) throw badRequest('Unexpected text in Via');
  const branch = params.get('branch') ?? null;
  return { protocol: `${name.toUpperCase()}/${version}`, transport: transport.toUpperCase(), host, port, params, branch };
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
