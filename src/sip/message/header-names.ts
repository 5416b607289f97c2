/** Long forms of the header names this stack knows, in their conventional spelling. */
const KNOWN = [
  'Accept', 'Accept-Contact', 'Accept-Encoding', 'Accept-Language', 'Alert-Info', 'Allow', 'Allow-Events',
  'Authentication-Info', 'Authorization', 'Call-ID', 'Call-Info', 'Contact', 'Content-Disposition',
  'Content-Encoding', 'Content-Language', 'Content-Length', 'Content-Type', 'CSeq', 'Date', 'Error-Info',
  'Event', 'Expires', 'From', 'Identity', 'In-Reply-To', 'Max-Forwards', 'Min-Expires', 'Min-SE', 'MIME-Version',
  'Organization', 'P-Asserted-Identity', 'P-Preferred-Identity', 'Path', 'Priority', 'Privacy', 'Proxy-Authenticate',
  'Proxy-Authorization', 'Proxy-Require', 'RAck', 'Reason', 'Record-Route', 'Refer-To', 'Referred-By',
  'Reject-Contact', 'Replaces', 'Reply-To', 'Request-Disposition', 'Require', 'Retry-After', 'Route', 'RSeq',
  'Server', 'Service-Route', 'Session-Expires', 'SIP-ETag', 'SIP-If-Match', 'Subject', 'Subscription-State',
  'Supported', 'Timestamp', 'To', 'Unsupported', 'User-Agent', 'Via', 'Warning', 'WWW-Authenticate',
];

/** RFC 3261 7.3.3 and later extensions' compact forms. */
const COMPACT: Record<string, string> = {
  a: 'Accept-Contact', b: 'Referred-By', c: 'Content-Type', d: 'Request-Disposition', e: 'Content-Encoding',
  f: 'From', i: 'Call-ID', j: 'Reject-Contact', k: 'Supported', l: 'Content-Length', m: 'Contact', o: 'Event',
  r: 'Refer-To', s: 'Subject', t: 'To', u: 'Allow-Events', v: 'Via', x: 'Session-Expires', y: 'Identity',
};

/**
 * Headers whose values are comma-separated lists (RFC 3261 7.3.1); `getAll` splits them. Every other
 * header is kept whole: WWW-Authenticate, Authorization, Date and unknown headers may contain commas
 * that do not separate values.
 */
const LIST = new Set([
  'accept', 'accept-contact', 'accept-encoding', 'accept-language', 'alert-info', 'allow', 'allow-events',
  'call-info', 'contact', 'content-encoding', 'content-language', 'error-info', 'in-reply-to',
  'p-asserted-identity', 'p-preferred-identity', 'path', 'proxy-require', 'reason', 'record-route',
  'reject-contact', 'request-disposition', 'require', 'route', 'service-route', 'supported', 'unsupported',
  'via', 'warning',
]);

const CANONICAL = new Map<string, string>();
for (const name of KNOWN) CANONICAL.set(name.toLowerCase(), name);
for (const [short, long] of Object.entries(COMPACT)) CANONICAL.set(short, long);
// Most traffic spells names canonically: an exact-case hit avoids lower-casing every name.
const EXACT = new Map<string, string>(KNOWN.map((name) => [name, name]));
const KEY = new Map<string, string>();
for (const [lower, name] of CANONICAL) {
  KEY.set(lower, name.toLowerCase());
  KEY.set(name, name.toLowerCase());
}

/**
 * Known names as written by nearly every peer (canonical case, compact letters), grouped by length and
 * first character: a header line is matched against them in place, without slicing and hashing its name.
 */
const BY_SHAPE = new Map<number, Array<readonly [spelling: string, canonical: string]>>();
for (const [spelling, canonical] of [...KNOWN.map((n) => [n, n] as const), ...Object.entries(COMPACT)]) {
  const shape = spelling.length * 128 + spelling.charCodeAt(0);
  const list = BY_SHAPE.get(shape);
  if (list === undefined) BY_SHAPE.set(shape, [[spelling, canonical]]);
  else list.push([spelling, canonical]);
}

/** The canonical name when `line` starts with a known name written as usual and ending at `end`. */
export function knownNameAt(line: string, end: number): string | undefined {
  const candidates = BY_SHAPE.get(end * 128 + line.charCodeAt(0));
  if (candidates === undefined) return undefined;
  for (const [spelling, canonical] of candidates) if (line.startsWith(spelling)) return canonical;
  return undefined;
}

/** Long-form spelling of a known header (compact forms expanded); unknown names are returned as written. */
export function canonicalName(name: string): string {
  return EXACT.get(name) ?? CANONICAL.get(name.toLowerCase()) ?? name;
}

/** Lower-case lookup key of a header name, with compact forms expanded. */
export function headerKey(name: string): string {
  return KEY.get(name) ?? KEY.get(name.toLowerCase()) ?? name.toLowerCase();
}

export function isListHeader(key: string): boolean {
  return LIST.has(key);
}
