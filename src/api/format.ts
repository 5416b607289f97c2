import type { IncomingMessage } from 'node:http';
import type { FastifyRequest } from 'fastify';

const jsonRequested = new WeakSet<IncomingMessage>();

/**
 * Fastify `rewriteUrl`: strips `.json` from the end of every path segment (Restcomm's AcceptFilter) and
 * remembers that the request asked for JSON that way.
 */
export function stripJsonSuffixes(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  if (!path.includes('.json')) return url;
  const stripped = path
    .split('/')
    .map((s) => (s.endsWith('.json') ? s.slice(0, -'.json'.length) : s))
    .join('/');
  if (stripped === path) return url;
  jsonRequested.add(req);
  return stripped + (q === -1 ? '' : url.slice(q));
}

/** `.json` in the path wins; otherwise JSON exactly when the Accept header mentions json. */
export function wantsJson(request: FastifyRequest): boolean {
  if (jsonRequested.has(request.raw)) return true;
  const accept = request.headers.accept;
  return accept !== undefined && accept.toLowerCase().includes('json');
}
