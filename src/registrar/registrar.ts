import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { DigestAuthenticator } from '../sip/auth/authenticator.js';
import type { Clock } from '../clock.js';
import type { SipRequest } from '../sip/message/types.js';
import type { ServerTransaction, SipSource, SipStack } from '../sip/stack-api.js';
import type { Store } from '../store/store.js';
import type { ClientForAuth } from '../store/clients.js';
import { newSid } from '../store/sid.js';
import { byPreference, toBinding, type Binding } from './binding.js';
import { planBindings } from './binding-plan.js';
import { BindingStore, type BindingRow } from './binding-store.js';
import { clientSecrets } from './client-credentials.js';
import { ExpiryTimer } from './expiry-timer.js';
import { AuthFailureLimiter, isScanner, type FailureLimiterOptions } from './guard.js';
import { KeepAlive } from './keep-alive.js';
import { readRegister, type ExpiryLimits } from './register-request.js';

export type { Binding };

export interface RegistrarOptions {
  readonly expiry?: Partial<ExpiryLimits>;
  /** Seconds between OPTIONS pings to every binding; 0 disables them. Default 60. */
  readonly keepAliveSeconds?: number;
  /** Secret for nonces; give every node of a cluster the same one. Default: random per process. */
  readonly nonceSecret?: Buffer;
  readonly nonceLifetimeMs?: number;
  readonly failureLimits?: Omit<FailureLimiterOptions, 'now'>;
  readonly randomBytes?: (size: number) => Buffer;
}

export interface RegistrarDeps {
  readonly stack: SipStack;
  readonly store: Store;
  readonly config: Config;
  readonly log: Logger;
  readonly clock: Clock;
  readonly options?: RegistrarOptions;
}

export type AuthenticationResult =
  | { readonly ok: true; readonly client: ClientForAuth }
  /** The request has been answered (challenge, 400 or 403); the caller does nothing more with it. */
  | { readonly ok: false };

export interface Registrar {
  /** Answers one REGISTER; never throws (a store failure becomes 500). */
  handleRegister(req: SipRequest, tx: ServerTransaction, source: SipSource): Promise<void>;
  /**
   * Digest-authenticates a request from a Client. On failure it has already answered: a challenge with
   * `challengeStatus` (401 WWW-Authenticate, or 407 Proxy-Authenticate for INVITE), 400 or 403.
   */
  authenticateRequest(req: SipRequest, tx: ServerTransaction, realm: string, challengeStatus?: 401 | 407): Promise<AuthenticationResult>;
  /** True when a request from this source must be discarded unanswered (scanner, or too many auth failures). */
  shouldDrop(req: SipRequest, source: SipSource): boolean;
  /** Current bindings of a login, best first (q, then most recently refreshed). */
  lookup(login: string): Promise<Binding[]>;
  close(): Promise<void>;
}

const DEFAULT_LIMITS: ExpiryLimits = { defaultSeconds: 3600, maxSeconds: 3600, minSeconds: 60 };

/** Host names that mean "this node" in an AoR, besides the configured domain and addresses. */
const LOCAL_NAMES = ['127.0.0.1', 'localhost'];

export function createRegistrar(deps: RegistrarDeps): Registrar {
  const { stack, store, config, clock } = deps;
  const options = deps.options ?? {};
  const log = deps.log.child({ module: 'registrar' });
  const limits: ExpiryLimits = { ...DEFAULT_LIMITS, ...options.expiry };
  const offset = Date.now() - clock.now();
  // The SIP clock has an arbitrary origin; persisted expiries and nonces need wall-clock time.
  const wallNow = (): number => clock.now() + offset;
  const bindings = new BindingStore(store.db);
  const limiter = new AuthFailureLimiter({ ...options.failureLimits, now: () => clock.now() });
  const authenticator = new DigestAuthenticator({
    lookup: async (username, realm) => clientSecrets(await store.clients.findClientByLogin(username), realm),
    secret: options.nonceSecret ?? cryptoRandomBytes(32),
    now: wallNow,
    randomBytes: options.randomBytes ?? cryptoRandomBytes,
    ...(options.nonceLifetimeMs === undefined ? {} : { nonceLifetimeMs: options.nonceLifetimeMs }),
  });
  const localHosts = new Set([config.sipDomain, config.sipExternalAddress, config.sipBind, ...LOCAL_NAMES].map((h) => h.toLowerCase()));
  const locks = new Map<string, Promise<void>>();

  const sweep = async (): Promise<number | null> => {
    for (const row of await bindings.removeExpired(new Date(wallNow()).toISOString())) {
      log.info({ login: row.login, contact: row.contact_uri }, 'binding expired');
    }
    authenticator.prune();
    const next = await bindings.nextExpiry();
    return next === null ? null : Date.parse(next);
  };
  const expiry = new ExpiryTimer(clock, wallNow, sweep, (err) => log.error({ err }, 'expiry sweep failed'));
  expiry.arm(wallNow());

  const keepAlive = new KeepAlive({
    stack,
    bindings,
    clock,
    wallNow,
    intervalMs: (options.keepAliveSeconds ?? 60) * 1000,
    log,
  });

  /** Runs REGISTERs of one login one after the other, so the Call-ID/CSeq check sees committed rows. */
  function serialized(login: string, work: () => Promise<void>): Promise<void> {
    const previous = locks.get(login) ?? Promise.resolve();
    const next = previous.then(work, work);
    const tail = next.catch(() => undefined);
    locks.set(login, tail);
    void tail.then(() => {
      if (locks.get(login) === tail) locks.delete(login);
    });
    return next;
  }

  async function authenticateRequest(req: SipRequest, tx: ServerTransaction, realm: string, challengeStatus: 401 | 407 = 401): Promise<AuthenticationResult> {
    const authorization = [...req.headers.getAll('Authorization'), ...req.headers.getAll('Proxy-Authorization')];
    const outcome = await authenticator.verify({ method: req.method, authorization, realm });
    const source = tx.source.host;
    switch (outcome.kind) {
      case 'authenticated': {
        const client = await store.clients.findClientByLogin(outcome.username);
        if (client === undefined) break;
        limiter.recordSuccess(source);
        return { ok: true, client };
      }
      case 'challenge': {
        const secrets = clientSecrets(await store.clients.findClientByLogin(req.from.uri.user ?? ''), realm);
        const header = challengeStatus === 401 ? 'WWW-Authenticate' : 'Proxy-Authenticate';
        const values = authenticator.challenge(realm, outcome.stale, DigestAuthenticator.algorithmsFor(secrets));
        tx.respond(challengeStatus, challengeStatus === 401 ? 'Unauthorized' : 'Proxy Authentication Required', {
          headers: values.map((v) => [header, v] as const),
        });
        return { ok: false };
      }
      case 'bad-request':
        limiter.recordFailure(source);
        tx.respond(400, `Bad Request - ${outcome.reason}`);
        return { ok: false };
      case 'forbidden':
        limiter.recordFailure(source);
        log.info({ user: outcome.username, source, why: outcome.reason, method: req.method }, 'authentication failed');
        break;
    }
    tx.respond(403, 'Forbidden');
    return { ok: false };
  }

  function contactHeaders(rows: readonly BindingRow[], now: number): Array<readonly [string, string]> {
    return rows
      .filter((r) => Date.parse(r.expires_at) > now)
      .sort(byPreference)
      .map((r) => {
        const remaining = Math.max(1, Math.round((Date.parse(r.expires_at) - now) / 1000));
        let value = `<${r.contact_uri}>;expires=${remaining}`;
        if (r.q !== null) value += `;q=${r.q}`;
        if (r.instance_id !== null) value += `;+sip.instance="${r.instance_id}"`;
        if (r.reg_id !== null) value += `;reg-id=${r.reg_id}`;
        return ['Contact', value] as const;
      });
  }

  async function register(req: SipRequest, tx: ServerTransaction, source: SipSource): Promise<void> {
    const aor = req.to.uri;
    if ((aor.scheme !== 'sip' && aor.scheme !== 'sips') || aor.user === null || aor.user === '') {
      tx.respond(400, 'Bad Request - To must be a SIP URI with a user part');
      return;
    }
    if (!localHosts.has(aor.host)) {
      tx.respond(404, 'Not Found - domain not served here');
      return;
    }
    const auth = await authenticateRequest(req, tx, config.sipDomain, 401);
    if (!auth.ok) return;
    const client = auth.client;
    if (client.login !== aor.user) {
      log.info({ user: client.login, aor: aor.raw }, 'credentials do not match the AoR');
      tx.respond(403, 'Forbidden');
      return;
    }
    const intent = readRegister(req, limits);
    if (intent.kind === 'reject') {
      tx.respond(intent.status, intent.reason, intent.headers === undefined ? {} : { headers: intent.headers });
      return;
    }
    await serialized(client.login, async () => {
      const existing = await bindings.byLogin(client.login);
      const now = wallNow();
      if (intent.kind === 'remove-all') {
        await bindings.apply(existing.map((r) => r.sid), []);
        log.info({ login: client.login, removed: existing.length }, 'all bindings removed');
        tx.respond(200, 'OK');
        return;
      }
      if (intent.kind === 'update') {
        const plan = planBindings(existing, intent.contacts, {
          login: client.login,
          accountSid: client.account_sid,
          clientSid: client.sid,
          aor: `sip:${client.login}@${config.sipDomain}`,
          callId: req.callId,
          cseq: req.cseq.seq,
          userAgent: req.headers.get('User-Agent') ?? null,
          source: { address: source.host, port: source.port, transport: source.transport },
          now,
          newSid: () => newSid('RG'),
        });
        if (plan.kind === 'out-of-order') {
          tx.respond(400, 'Bad Request - CSeq not higher than the binding\'s for this Call-ID');
          return;
        }
        await bindings.apply(plan.remove, plan.upsert);
        for (const row of plan.upsert) expiry.arm(Date.parse(row.expires_at));
        log.debug({ login: client.login, added: plan.upsert.length, removed: plan.remove.length }, 'bindings updated');
      }
      const current = await bindings.byLogin(client.login);
      tx.respond(200, 'OK', { headers: contactHeaders(current, now) });
    });
  }

  return {
    async handleRegister(req, tx, source) {
      if (isScanner(req.headers.get('User-Agent')) || limiter.isBlocked(source.host)) {
        tx.respond(403, 'Forbidden');
        return;
      }
      try {
        await register(req, tx, source);
      } catch (err) {
        log.error({ err, callId: req.callId }, 'REGISTER failed');
        if (!tx.answered) tx.respond(500, 'Server Internal Error - registration store unavailable');
      }
    },
    authenticateRequest,
    shouldDrop(req, source) {
      return isScanner(req.headers.get('User-Agent')) || limiter.isBlocked(source.host);
    },
    async lookup(login) {
      const now = new Date(wallNow()).toISOString();
      return (await bindings.byLogin(login)).filter((r) => r.expires_at > now).sort(byPreference).map(toBinding);
    },
    async close() {
      expiry.close();
      keepAlive.close();
      await Promise.all(locks.values());
    },
  };
}
