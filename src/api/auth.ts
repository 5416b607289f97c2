import type { FastifyRequest } from 'fastify';
import type { Store } from '../store/store.js';
import type { Account } from '../store/schema.js';
import { isSid, md5hex } from '../store/sid.js';
import { ApiError } from './errors.js';

interface Credential {
  user: string;
  password: string;
  passwordMd5: string;
}

const CACHE_LIMIT = 10_000;

const unauthorized = (): ApiError =>
  new ApiError(401, null, { headers: { 'WWW-Authenticate': 'Basic realm="Restcomm realm"' } });

/**
 * HTTP Basic authentication as Restcomm does it (spec §1.7): the user is an e-mail address or an account
 * SID; the password is the account password or its auth token.
 *
 * Only the decoding of the header and the md5 of its password are cached: the account is read on every
 * request, so a changed token, password or status takes effect on the next request.
 */
export function basicAuthenticator(store: Store): (request: FastifyRequest) => Promise<Account> {
  const decoded = new Map<string, Credential | null>();

  const decode = (header: string): Credential | null => {
    const cached = decoded.get(header);
    if (cached !== undefined) return cached;
    let credential: Credential | null = null;
    const m = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header);
    if (m) {
      const text = Buffer.from(m[1] ?? '', 'base64').toString('utf8');
      const colon = text.indexOf(':');
      if (colon > 0) {
        const password = text.slice(colon + 1);
        credential = { user: text.slice(0, colon), password, passwordMd5: md5hex(password) };
      }
    }
    if (decoded.size >= CACHE_LIMIT) decoded.clear();
    decoded.set(header, credential);
    return credential;
  };

  return async (request) => {
    const header = request.headers.authorization;
    const credential = header === undefined ? null : decode(header);
    if (credential === null) throw unauthorized();
    const account =
      (await store.accounts.findByEmail(credential.user.toLowerCase())) ??
      (isSid(credential.user, 'AC') ? await store.accounts.findBySid(credential.user) : undefined);
    if (account === undefined) throw unauthorized();
    if (credential.password !== account.auth_token && credential.passwordMd5 !== account.auth_token) throw unauthorized();
    // `uninitialized` may still use every account-scoped path, which is all this API serves (spec §1.7).
    if (account.status !== 'active' && account.status !== 'uninitialized') {
      throw new ApiError(403, 'Provided Account is not active', { plain: true });
    }
    return account;
  };
}
