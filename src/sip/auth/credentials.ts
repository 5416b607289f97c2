/** The parameters of a `Digest` Authorization/Proxy-Authorization header, names lower-cased. */
export interface DigestCredentials {
  readonly username: string;
  readonly realm: string;
  readonly nonce: string;
  readonly uri: string;
  readonly response: string;
  readonly algorithm: string | undefined;
  readonly cnonce: string | undefined;
  readonly opaque: string | undefined;
  readonly qop: string | undefined;
  readonly nc: string | undefined;
}

export type CredentialsParse =
  | { readonly kind: 'digest'; readonly credentials: DigestCredentials }
  /** Another scheme (Basic, or anything unknown): the server answers with a fresh challenge. */
  | { readonly kind: 'other-scheme'; readonly scheme: string }
  | { readonly kind: 'malformed'; readonly reason: string };

const TOKEN = /[!#$%&'*+\-.^_`|~0-9A-Za-z]+/y;

/** Reads `name=value` pairs where value is a token or a quoted-string with backslash escapes. */
function parseParams(text: string): Map<string, string> | string {
  const params = new Map<string, string>();
  let i = 0;
  const skipSpace = (): void => {
    while (i < text.length && /[ \t\r\n]/.test(text[i] ?? '')) i++;
  };
  while (true) {
    skipSpace();
    if (i >= text.length) return params;
    TOKEN.lastIndex = i;
    const name = TOKEN.exec(text);
    if (!name) return `unexpected character "${text[i]}" in digest parameters`;
    i = TOKEN.lastIndex;
    skipSpace();
    if (text[i] !== '=') return `digest parameter ${name[0]} has no value`;
    i++;
    skipSpace();
    let value: string;
    if (text[i] === '"') {
      i++;
      let out = '';
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < text.length) i++;
        out += text[i];
        i++;
      }
      if (i >= text.length) return `unterminated quoted value of digest parameter ${name[0]}`;
      i++;
      value = out;
    } else {
      TOKEN.lastIndex = i;
      const tok = TOKEN.exec(text);
      if (!tok) return `digest parameter ${name[0]} has an invalid value`;
      i = TOKEN.lastIndex;
      value = tok[0];
    }
    const key = name[0].toLowerCase();
    if (params.has(key)) return `digest parameter ${key} appears twice`;
    params.set(key, value);
    skipSpace();
    if (i < text.length) {
      if (text[i] !== ',') return `expected "," after digest parameter ${key}`;
      i++;
    }
  }
}

const REQUIRED = ['username', 'realm', 'nonce', 'uri', 'response'] as const;

export function parseCredentials(header: string): CredentialsParse {
  const m = /^\s*([!#$%&'*+\-.^_`|~0-9A-Za-z]+)(?:\s+([\s\S]*))?$/.exec(header);
  if (!m) return { kind: 'malformed', reason: 'Authorization header has no scheme' };
  const scheme = m[1] ?? '';
  if (scheme.toLowerCase() !== 'digest') return { kind: 'other-scheme', scheme };
  const params = parseParams(m[2] ?? '');
  if (typeof params === 'string') return { kind: 'malformed', reason: params };
  for (const name of REQUIRED) {
    if (!params.has(name)) return { kind: 'malformed', reason: `digest parameter ${name} is missing` };
  }
  const get = (name: string): string => params.get(name) ?? '';
  return {
    kind: 'digest',
    credentials: {
      username: get('username'),
      realm: get('realm'),
      nonce: get('nonce'),
      uri: get('uri'),
      response: get('response'),
      algorithm: params.get('algorithm'),
      cnonce: params.get('cnonce'),
      opaque: params.get('opaque'),
      qop: params.get('qop'),
      nc: params.get('nc'),
    },
  };
}
