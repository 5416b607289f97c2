import { timingSafeEqual } from 'node:crypto';
import { DESIGNER_PREFIXES } from './context.js';

/** Header with which the node's own RCML fetcher opens the designer controllers of this node. */
export const DESIGNER_KEY_HEADER = 'X-Dialtone-Designer-Key';

/**
 * What the call layer adds to an application request: the key, for a designer controller URL on one of
 * the node's own origins only, so it never leaves the node.
 */
export function designerKeyHeaders(origins: readonly string[], key: string): (url: URL) => Readonly<Record<string, string>> {
  const own = new Set(origins);
  const none: Readonly<Record<string, string>> = {};
  const withKey: Readonly<Record<string, string>> = { [DESIGNER_KEY_HEADER]: key };
  return (url) => (own.has(url.origin) && DESIGNER_PREFIXES.some((p) => url.pathname.startsWith(`${p}/apps/`)) ? withKey : none);
}

export function isNodeKey(given: string | string[] | undefined, key: string | null): boolean {
  if (key === null || typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(key);
  return a.length === b.length && timingSafeEqual(a, b);
}
