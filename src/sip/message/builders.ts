import { canonicalName, headerKey } from './header-names.js';
import { HeaderList, type HeaderField } from './headers.js';
import { Request, Response } from './message.js';
import { reasonPhrase } from './reasons.js';
import { splitList } from './scan.js';
import type { SipMessage, SipRequest, SipResponse, SipUri, Via } from './types.js';
import { parseUri } from './uri.js';
import { formatVia, parseVia } from './via.js';

export type HeaderInit = Iterable<readonly [name: string, value: string]>;

export interface RequestInit {
  readonly method: string;
  readonly uri: SipUri | string;
  readonly headers?: HeaderInit;
  readonly body?: Buffer | string;
}

export interface ResponseExtra {
  readonly headers?: HeaderInit;
  readonly body?: Buffer | string;
  /** Added to To unless the request's To already has a tag. */
  readonly toTag?: string;
}

function toBuffer(body: Buffer | string | undefined): Buffer {
  if (body === undefined) return Buffer.alloc(0);
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
}

function listOf(headers: SipMessage['headers']): HeaderList {
  return headers instanceof HeaderList ? headers : HeaderList.fromRaw(headers.entries());
}

function rebuild<M extends SipMessage>(msg: M, fields: readonly HeaderField[]): M {
  const headers = new HeaderList(fields);
  const built = msg.kind === 'request'
    ? new Request(msg.method, msg.uri, msg.version, headers, msg.body)
    : new Response(msg.status, msg.reason, msg.version, headers, msg.body);
  return built as SipMessage as M;
}

/** A request from parts; `uri` given as text is parsed (and may throw `SipParseError`). */
export function createRequest(init: RequestInit): SipRequest {
  const uri = typeof init.uri === 'string' ? parseUri(init.uri, 'Request-URI') : init.uri;
  return new Request(init.method, uri, 'SIP/2.0', HeaderList.fromRaw(init.headers ?? []), toBuffer(init.body));
}

function hasTag(to: string): boolean {
  return /;\s*tag\s*=/i.test(to.slice(to.lastIndexOf('>') + 1));
}

/**
 * A response to `request` per RFC 3261 8.2.6: Via lines, From, To, Call-ID and CSeq copied (and
 * Timestamp on 100), then `extra.headers`. Works from the raw field lines, so it also answers requests
 * whose typed views are malformed.
 */
export function createResponse(request: SipRequest, status: number, reason?: string, extra: ResponseExtra = {}): SipResponse {
  const fields: HeaderField[] = [];
  const copied = status === 100 ? ['via', 'from', 'to', 'call-id', 'cseq', 'timestamp'] : ['via', 'from', 'to', 'call-id', 'cseq'];
  for (const [name, value] of request.headers.entries()) {
    const key = headerKey(name);
    if (!copied.includes(key)) continue;
    if (key === 'to' && extra.toTag !== undefined && !hasTag(value)) fields.push(['To', `${value};tag=${extra.toTag}`]);
    else fields.push([canonicalName(name), value]);
  }
  for (const [name, value] of extra.headers ?? []) fields.push([canonicalName(name), value]);
  return new Response(status, reason ?? reasonPhrase(status), 'SIP/2.0', new HeaderList(fields), toBuffer(extra.body));
}

/** Sets a header: replaces its first field (in place) and drops the others; appends when absent. */
export function withHeader<M extends SipMessage>(msg: M, name: string, value: string): M {
  const key = headerKey(name);
  const fields: HeaderField[] = [];
  let placed = false;
  for (const field of listOf(msg.headers).fields) {
    if (headerKey(field[0]) !== key) fields.push(field);
    else if (!placed) {
      fields.push([canonicalName(name), value]);
      placed = true;
    }
  }
  if (!placed) fields.push([canonicalName(name), value]);
  return rebuild(msg, fields);
}

export function withoutHeader<M extends SipMessage>(msg: M, name: string): M {
  const key = headerKey(name);
  return rebuild(msg, listOf(msg.headers).fields.filter((field) => headerKey(field[0]) !== key));
}

/** Adds a header field before every existing field of that name (Via, Record-Route, Route...). */
export function withPrependedHeader<M extends SipMessage>(msg: M, name: string, value: string): M {
  const key = headerKey(name);
  const fields = [...listOf(msg.headers).fields];
  const at = fields.findIndex((field) => headerKey(field[0]) === key);
  fields.splice(at < 0 ? 0 : at, 0, [canonicalName(name), value]);
  return rebuild(msg, fields);
}

export function withPrependedVia<M extends SipMessage>(msg: M, via: Via | string): M {
  return withPrependedHeader(msg, 'Via', typeof via === 'string' ? via : formatVia(via));
}

/**
 * RFC 3261 18.2.1 / RFC 3581: records the source address on the top Via. `received` is set when not
 * null; `rport` is filled in only when the client asked for it with an `rport` parameter.
 */
export function withTopViaParams<M extends SipMessage>(msg: M, received: string | null, rport: number | null): M {
  const fields = [...listOf(msg.headers).fields];
  const at = fields.findIndex((field) => headerKey(field[0]) === 'via');
  const field = fields[at];
  if (field === undefined) return msg;
  const elements = splitList(field[1], 'Via');
  const top = parseVia(elements[0] ?? '');
  const params = new Map(top.params);
  if (received !== null) params.set('received', received);
  if (rport !== null && params.has('rport')) params.set('rport', String(rport));
  elements[0] = formatVia({ ...top, params });
  fields[at] = ['Via', elements.join(', ')];
  return rebuild(msg, fields);
}

export function withBody<M extends SipMessage>(msg: M, body: Buffer | string, contentType?: string): M {
  const withType = contentType === undefined ? msg : withHeader(msg, 'Content-Type', contentType);
  const headers = listOf(withType.headers);
  const data = toBuffer(body);
  const built = withType.kind === 'request'
    ? new Request(withType.method, withType.uri, withType.version, headers, data)
    : new Response(withType.status, withType.reason, withType.version, headers, data);
  return built as SipMessage as M;
}
