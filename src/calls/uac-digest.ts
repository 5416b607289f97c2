import { randomBytes } from 'node:crypto';
import { computeHa1, computeResponse, parseAlgorithm } from '../sip/auth/digest.js';

export interface UacCredentials {
  readonly username: string;
  readonly password: string;
}

function challengeParams(header: string): Map<string, string> | null {
  const m = /^\s*digest\s+(.*)$/is.exec(header);
  if (!m) return null;
  const params = new Map<string, string>();
  const re = /([a-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/gi;
  for (const p of (m[1] ?? '').matchAll(re)) params.set((p[1] ?? '').toLowerCase(), p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : p[3] ?? '');
  return params;
}

/**
 * The Authorization/Proxy-Authorization value answering a `WWW-Authenticate`/`Proxy-Authenticate`
 * digest challenge with qop=auth (RFC 7616); null when the challenge is not one we can answer.
 */
export function answerChallenge(challenge: string, creds: UacCredentials, method: string, uri: string): string | null {
  const params = challengeParams(challenge);
  if (params === null) return null;
  const realm = params.get('realm');
  const nonce = params.get('nonce');
  const algorithm = parseAlgorithm(params.get('algorithm'));
  const qops = (params.get('qop') ?? '').split(',').map((q) => q.trim().toLowerCase());
  if (realm === undefined || nonce === undefined || algorithm === null || !qops.includes('auth')) return null;
  const nc = '00000001';
  const cnonce = randomBytes(8).toString('hex');
  const ha1 = computeHa1(algorithm, creds.username, realm, creds.password);
  const response = computeResponse({ algorithm, ha1, nonce, method, uri, nc, cnonce });
  const opaque = params.get('opaque');
  return (
    `Digest username="${creds.username}", realm="${realm}", nonce="${nonce}", uri="${uri}", response="${response}", ` +
    `algorithm=${algorithm}, qop=auth, nc=${nc}, cnonce="${cnonce}"` +
    (opaque === undefined ? '' : `, opaque="${opaque}"`)
  );
}
