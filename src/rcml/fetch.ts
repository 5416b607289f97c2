import { request, type Dispatcher } from 'undici';
import { interpretResponse, RcmlParseError } from './parse.js';
import type { HttpMethod, RcmlWarning, Verb } from './verbs.js';

/** One request to an application. */
export interface AppRequest {
  readonly url: string;
  readonly method: HttpMethod;
  readonly parameters: Readonly<Record<string, string>>;
}

export interface FetchOptions {
  /** Whole-request deadline including redirects; default 10 000 ms. */
  readonly timeoutMs?: number;
  /** Aborts the request (the caller hung up). */
  readonly signal?: AbortSignal;
  readonly dispatcher?: Dispatcher;
  /** Bodies above this are refused; default 1 MiB. */
  readonly maxBytes?: number;
  /** Extra headers for a request to `url` (each hop of a redirect is asked anew). */
  readonly headersFor?: (url: URL) => Readonly<Record<string, string>>;
}

/** A successfully fetched document; `url` is where it came from after redirects (base for relative URLs). */
export type AppDocument =
  | { readonly kind: 'rcml'; readonly url: string; readonly verbs: readonly Verb[]; readonly warnings: readonly RcmlWarning[] }
  | { readonly kind: 'play'; readonly url: string }
  | { readonly kind: 'say'; readonly url: string; readonly text: string };

/** Notification codes of fetch failures (spec 2.1, 6; Twilio numbering where Restcomm has none). */
export const FetchCode = {
  notFound: 21402,
  badUrl: 11100,
  httpStatus: 11200,
  connection: 11205,
  tooManyRedirects: 11215,
  tooLarge: 11750,
  parse: 12100,
  contentType: 12300,
} as const;

export class AppFetchError extends Error {
  constructor(
    readonly code: number,
    readonly url: string,
    readonly method: HttpMethod,
    message: string,
    readonly status: number | null = null,
    readonly body: string | null = null,
  ) {
    super(message);
  }
}

export class FetchAbortedError extends Error {
  constructor() {
    super('the request to the application was aborted');
  }
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 10;

/**
 * GET puts the parameters in the query string, merged into the URL's own query (Restcomm drops the
 * configured query; keeping it lets apps carry their own state). Parameter names we send win.
 */
function target(url: URL, req: AppRequest): { url: string; body: string | undefined } {
  const params = new URLSearchParams(req.parameters as Record<string, string>);
  if (req.method === 'POST') return { url: url.href, body: params.toString() };
  const merged = new URL(url.href);
  for (const name of params.keys()) merged.searchParams.delete(name);
  for (const [name, value] of params) merged.searchParams.append(name, value);
  return { url: merged.href, body: undefined };
}

function parseUrl(raw: string, req: AppRequest): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppFetchError(FetchCode.badUrl, raw, req.method, `"${raw}" is not an absolute URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new AppFetchError(FetchCode.badUrl, raw, req.method, `"${raw}" is not an http or https URL`);
  }
  return url;
}

async function readBody(body: Dispatcher.ResponseData['body'], maxBytes: number, url: string, req: AppRequest): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > maxBytes) {
      body.destroy();
      throw new AppFetchError(FetchCode.tooLarge, url, req.method, `response body larger than ${maxBytes} bytes`);
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Requests an app document, following redirects with the same method and parameters. */
export async function fetchApp(req: AppRequest, options: FetchOptions = {}): Promise<AppDocument> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  const deadline = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  let url = parseUrl(req.url, req);
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const t = target(url, req);
    const headers = { ...options.headersFor?.(url), ...(t.body === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }) };
    let res: Dispatcher.ResponseData;
    try {
      res = await request(t.url, {
        method: req.method,
        signal,
        headers,
        ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
        ...(t.body === undefined ? {} : { body: t.body }),
      });
    } catch (err) {
      if (options.signal?.aborted) throw new FetchAbortedError();
      if (deadline.aborted) throw new AppFetchError(FetchCode.connection, url.href, req.method, `no response within ${timeoutMs} ms`);
      throw new AppFetchError(FetchCode.connection, url.href, req.method, `connection failed: ${(err as Error).message}`);
    }
    let body: string;
    try {
      body = await readBody(res.body, maxBytes, url.href, req);
    } catch (err) {
      if (err instanceof AppFetchError) throw err;
      if (options.signal?.aborted) throw new FetchAbortedError();
      if (deadline.aborted) throw new AppFetchError(FetchCode.connection, url.href, req.method, `response not complete within ${timeoutMs} ms`);
      throw new AppFetchError(FetchCode.connection, url.href, req.method, `reading the response failed: ${(err as Error).message}`);
    }
    if (REDIRECTS.has(res.statusCode)) {
      const location = res.headers.location;
      if (typeof location !== 'string') {
        throw new AppFetchError(FetchCode.httpStatus, url.href, req.method, `HTTP ${res.statusCode} without Location`, res.statusCode, body);
      }
      url = parseUrl(new URL(location, url).href, req);
      continue;
    }
    if (res.statusCode === 404) throw new AppFetchError(FetchCode.notFound, url.href, req.method, 'HTTP 404 Not Found', 404, body);
    if (res.statusCode < 200 || res.statusCode >= 300) {
      throw new AppFetchError(FetchCode.httpStatus, url.href, req.method, `HTTP ${res.statusCode}`, res.statusCode, body);
    }
    const contentType = res.headers['content-type'];
    let content;
    try {
      content = interpretResponse(typeof contentType === 'string' ? contentType : null, body, url.href);
    } catch (err) {
      if (err instanceof RcmlParseError) throw new AppFetchError(FetchCode.parse, url.href, req.method, err.message, res.statusCode, body);
      throw err;
    }
    switch (content.kind) {
      case 'rcml':
        return { kind: 'rcml', url: url.href, verbs: content.verbs, warnings: content.warnings };
      case 'play':
        return { kind: 'play', url: url.href };
      case 'say':
        return { kind: 'say', url: url.href, text: content.text };
      case 'unsupported':
        throw new AppFetchError(
          FetchCode.contentType,
          url.href,
          req.method,
          content.contentType === '' ? 'response has no Content-Type' : `Content-Type "${content.contentType}" is not RCML, audio or text/plain`,
          res.statusCode,
          body,
        );
    }
  }
  throw new AppFetchError(FetchCode.tooManyRedirects, url.href, req.method, `more than ${MAX_REDIRECTS} HTTP redirects`);
}

export interface FallbackResult {
  readonly document: AppDocument;
  /** The primary URL's failure when the fallback was used. */
  readonly primaryError: AppFetchError | null;
}

/**
 * Fetches `primary`; on any failure except 404 (spec 2.1: 404 goes straight to the caller) and an abort,
 * fetches `fallback` with the same parameters. Throws the last failure, with `primaryError` attached.
 */
export async function fetchWithFallback(
  primary: AppRequest,
  fallback: { readonly url: string; readonly method: HttpMethod } | null,
  options: FetchOptions = {},
): Promise<FallbackResult> {
  try {
    return { document: await fetchApp(primary, options), primaryError: null };
  } catch (err) {
    if (!(err instanceof AppFetchError) || err.code === FetchCode.notFound || fallback === null) throw err;
    try {
      return { document: await fetchApp({ ...fallback, parameters: primary.parameters }, options), primaryError: err };
    } catch (second) {
      if (second instanceof AppFetchError) throw new FallbackFailedError(err, second);
      throw second;
    }
  }
}

/** Both the primary and the fallback URL failed. */
export class FallbackFailedError extends Error {
  constructor(
    readonly primary: AppFetchError,
    readonly fallback: AppFetchError,
  ) {
    super(`primary: ${primary.message}; fallback: ${fallback.message}`);
  }
}
