import { badRequest, SipParseError, type PartialMessage } from './errors.js';
import { canonicalName, headerKey, knownNameAt } from './header-names.js';
import { HeaderList, type HeaderField } from './headers.js';
import { Request, Response } from './message.js';
import { isToken, isWsp } from './scan.js';
import type { SipMessage } from './types.js';
import { parseUri } from './uri.js';

export interface ParseOptions {
  /** Stream transports (TCP, TLS, WS) require Content-Length (RFC 3261 18.3). */
  readonly stream?: boolean;
}

const CRLFCRLF = Buffer.from('\r\n\r\n');
const SIP_2_0 = 'SIP/2.0';
const VERSION = /^SIP\/([0-9]+)\.([0-9]+)$/i;
/** Content-Length beyond this cannot be a SIP message we would accept anyway. */
const MAX_CONTENT_LENGTH = 2 ** 31 - 1;
const SALVAGED = new Set(['via', 'from', 'to', 'call-id', 'cseq', 'timestamp']);

function parseVersion(text: string): string {
  if (text === SIP_2_0) return SIP_2_0;
  const m = VERSION.exec(text);
  if (m === null) throw badRequest('Invalid SIP version');
  if (Number(m[1]) !== 2 || Number(m[2]) !== 0) throw new SipParseError(505, 'Version Not Supported');
  return SIP_2_0;
}

function requestLineFault(line: string): string {
  if (isWsp(line.charCodeAt(line.length - 1))) return 'Trailing whitespace in request line';
  if (/[ \t]{2}/.test(line) || line.indexOf('\t') >= 0 || isWsp(line.charCodeAt(0))) return 'Extra whitespace in request line';
  return 'Whitespace in Request-URI';
}

function parseResponseLine(line: string, headers: HeaderList, body: Buffer): Response {
  const sp = line.indexOf(' ');
  if (sp < 0) throw badRequest('Malformed status line');
  const version = parseVersion(line.slice(0, sp));
  const code = line.slice(sp + 1, sp + 4);
  const after = line.charCodeAt(sp + 4);
  if (!/^[1-6][0-9][0-9]$/.test(code) || !(Number.isNaN(after) || after === 32)) throw badRequest('Invalid status code');
  return new Response(Number(code), line.slice(sp + 5), version, headers, body);
}

function parseRequestLine(line: string, headers: HeaderList, body: Buffer): Request {
  const parts = line.split(' ');
  if (parts.length !== 3) throw badRequest(requestLineFault(line));
  const [method, uriText, versionText] = parts as [string, string, string];
  if (!isToken(method)) throw badRequest('Invalid method in request line');
  const version = parseVersion(versionText);
  if (uriText.startsWith('<')) throw badRequest('Request-URI must not be enclosed in <>');
  const uri = parseUri(uriText, 'Request-URI');
  if ((uri.scheme === 'sip' || uri.scheme === 'sips') && uri.headers.size > 0) {
    throw badRequest('Request-URI must not contain headers');
  }
  return new Request(method, uri, version, headers, body);
}

function checkLine(line: string): void {
  if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) throw badRequest('Bare CR or LF in header section');
}

/** The canonical name of a header line whose name is not spelled the usual way (case, space before `:`). */
function writtenName(line: string, colon: number): string {
  const rawName = line.slice(0, colon).trimEnd();
  if (!isToken(rawName)) throw badRequest(`Invalid header name "${rawName.slice(0, 40)}"`);
  return canonicalName(rawName);
}

/** Splits header lines (from index 1: index 0 is the start line) into unfolded fields. */
export function parseHeaderLines(lines: readonly string[]): { fields: HeaderField[]; contentLength: string[] } {
  const fields: HeaderField[] = [];
  const contentLength: string[] = [];
  for (let n = 1; n < lines.length; n++) {
    const line = lines[n] as string;
    checkLine(line);
    if (isWsp(line.charCodeAt(0))) {
      const last = fields.pop();
      if (last === undefined) throw badRequest('Continuation line before the first header');
      const head = last[1];
      const tail = line.trim();
      fields.push([last[0], head === '' ? tail : tail === '' ? head : `${head} ${tail}`]);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon < 0) throw badRequest('Header line without a colon');
    fields.push([knownNameAt(line, colon) ?? writtenName(line, colon), line.slice(colon + 1).trim()]);
  }
  for (const [name, value] of fields) if (name === 'Content-Length') contentLength.push(value);
  return { fields, contentLength };
}

function frameBody(data: Buffer, bodyStart: number, values: readonly string[], stream: boolean): Buffer {
  if (values.length > 1) throw badRequest('Multiple Content-Length headers');
  const text = values[0];
  if (text === undefined) {
    if (stream) throw badRequest('Missing Content-Length');
    return data.subarray(bodyStart);
  }
  if (!/^[0-9]{1,10}$/.test(text) || Number(text) > MAX_CONTENT_LENGTH) throw badRequest('Invalid Content-Length');
  const length = Number(text);
  if (bodyStart + length > data.length) throw badRequest('Content-Length larger than body');
  // Octets past Content-Length in a datagram are ignored (RFC 4475 3.1.1.8).
  return data.subarray(bodyStart, bodyStart + length);
}

/** Best effort: the fields a stateless 400 needs, from a header section that failed to parse. */
function salvage(head: string): PartialMessage {
  const lines = head.split(/\r?\n/);
  const first = lines[0] ?? '';
  const kind = first.startsWith('SIP/') ? 'response' : first.length > 0 ? 'request' : null;
  const method = kind === 'request' ? first.split(' ')[0] ?? null : null;
  const headers: Array<[string, string]> = [];
  for (let n = 1; n < lines.length; n++) {
    const line = lines[n] as string;
    const last = headers[headers.length - 1];
    if (isWsp(line.charCodeAt(0))) {
      if (last !== undefined) last[1] = `${last[1]} ${line.trim()}`.trim();
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    if (SALVAGED.has(headerKey(name))) headers.push([canonicalName(name), line.slice(colon + 1).trim()]);
  }
  return { kind, method, headers };
}

function parseUnchecked(data: Buffer, start: number, headEnd: number, stream: boolean): SipMessage {
  const lines = data.toString('utf8', start, headEnd).split('\r\n');
  const startLine = lines[0] as string;
  checkLine(startLine);
  const { fields, contentLength } = parseHeaderLines(lines);
  const body = frameBody(data, Math.min(headEnd + 4, data.length), contentLength, stream);
  const headers = new HeaderList(fields);
  return startLine.startsWith('SIP/') ? parseResponseLine(startLine, headers, body) : parseRequestLine(startLine, headers, body);
}

/**
 * Parses one SIP message. Leading CRLFs are skipped (RFC 3261 7.5). Without `stream`, a missing
 * Content-Length means "the rest of the datagram". Typed views (`vias`, `from`, `cseq`, ...) are parsed
 * lazily and throw `SipParseError` when malformed. Throws only `SipParseError`.
 */
export function parseMessage(data: Buffer, opts: ParseOptions = {}): SipMessage {
  let start = 0;
  while (data[start] === 13 && data[start + 1] === 10) start += 2;
  if (start >= data.length) throw badRequest('Empty message');
  let headEnd = data.indexOf(CRLFCRLF, start);
  // A datagram may end right after the last header line (no empty line, no body): accept it as such.
  if (headEnd < 0 && opts.stream !== true && data[data.length - 2] === 13 && data[data.length - 1] === 10) headEnd = data.length - 2;
  try {
    if (headEnd < 0) throw badRequest('Missing empty line after the header section');
    return parseUnchecked(data, start, headEnd, opts.stream === true);
  } catch (err) {
    const head = data.toString('utf8', start, headEnd < 0 ? Math.min(data.length, start + 65536) : headEnd);
    const partial = salvage(head);
    if (err instanceof SipParseError) throw err.withPartial(partial);
    throw new SipParseError(400, 'Bad Request - Malformed message', partial);
  }
}
