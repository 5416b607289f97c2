import type { Config } from '../config.js';
import type { HttpMethod } from '../rcml/verbs.js';
import type { AppTarget } from './call-registry.js';

/** How the call layer reaches applications: relative URLs are the node's own, some URLs get extra headers. */
export interface AppFetchPolicy {
  /** The node's own HTTP origin, what a relative `rcml_url` (`/visual-designer/...`) is resolved against. */
  readonly selfOrigin: string;
  /** Extra request headers for a URL (the designer's node key for this node's designer controllers). */
  readonly headersFor?: (url: URL) => Readonly<Record<string, string>>;
}

/**
 * The node's own HTTP address as seen from the node: the loopback address when it listens on every
 * address, else the address it is bound to, with the real HTTP port (Restcomm resolves a relative
 * `rcml_url` against its own HTTP address, spec visual-designer.md 3.1).
 */
export function selfHttpOrigin(config: Pick<Config, 'httpBind' | 'httpPort'>): string {
  const bind = config.httpBind;
  const host = bind === '0.0.0.0' ? '127.0.0.1' : bind === '::' ? '[::1]' : bind.includes(':') ? `[${bind}]` : bind;
  return `http://${host}:${config.httpPort}`;
}

/** `url` made absolute against the node when it is a path (`/...`); anything else as it is. */
export function resolveAppUrl(url: string, selfOrigin: string): string {
  return url.startsWith('/') && !url.startsWith('//') ? new URL(url, selfOrigin).href : url;
}

function resolved<T extends { readonly url: string; readonly method: HttpMethod }>(target: T, selfOrigin: string): T {
  return { ...target, url: resolveAppUrl(target.url, selfOrigin) };
}

/** An app with its URL and fallback URL resolved against the node. */
export function resolveAppTarget(app: AppTarget, selfOrigin: string): AppTarget {
  return { ...resolved(app, selfOrigin), fallback: app.fallback === null ? null : resolved(app.fallback, selfOrigin) };
}
