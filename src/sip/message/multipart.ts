import { badRequest } from './errors.js';
import { HeaderList } from './headers.js';
import { parseHeaderLines } from './parser.js';
import { parseParams, unquote } from './scan.js';

export interface BodyPart {
  readonly headers: HeaderList;
  readonly body: Buffer;
}

const CRLF = Buffer.from('\r\n');
const CRLFCRLF = Buffer.from('\r\n\r\n');

function boundaryOf(contentType: string): string {
  const semi = contentType.indexOf(';');
  if (semi < 0 || !contentType.slice(0, semi).trim().toLowerCase().startsWith('multipart/')) {
    throw badRequest('Content-Type is not multipart with a boundary');
  }
  const value = parseParams(contentType, semi, 'Content-Type').params.get('boundary');
  if (value === undefined || value === null || value === '') throw badRequest('Missing multipart boundary');
  return value.startsWith('"') ? unquote(value) : value;
}

function parsePart(part: Buffer): BodyPart {
  if (part.subarray(0, 2).equals(CRLF)) return { headers: new HeaderList([]), body: part.subarray(2) };
  const headEnd = part.indexOf(CRLFCRLF);
  if (headEnd < 0) throw badRequest('Invalid multipart body: part without an empty line after its headers');
  const lines = ['', ...part.toString('utf8', 0, headEnd).split('\r\n')];
  return { headers: new HeaderList(parseHeaderLines(lines).fields), body: part.subarray(headEnd + 4) };
}

/** Splits a multipart body (RFC 2046 5.1) into its parts; preamble and epilogue are dropped. */
export function parseMultipart(body: Buffer, contentType: string): BodyPart[] {
  const boundary = boundaryOf(contentType);
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  const first = Buffer.from(`--${boundary}`);
  let at = body.subarray(0, first.length).equals(first) ? 0 : body.indexOf(delimiter);
  if (at < 0) throw badRequest('Invalid multipart body: boundary not found');
  at += at === 0 ? first.length : delimiter.length;
  const parts: BodyPart[] = [];
  for (;;) {
    if (body[at] === 45 && body[at + 1] === 45) return parts;
    const lineEnd = body.indexOf(CRLF, at);
    if (lineEnd < 0) throw badRequest('Invalid multipart body: truncated delimiter line');
    const next = body.indexOf(delimiter, lineEnd);
    if (next < 0) throw badRequest('Invalid multipart body: missing closing boundary');
    parts.push(parsePart(body.subarray(lineEnd + 2, next)));
    at = next + delimiter.length;
  }
}
