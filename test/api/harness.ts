import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { bootstrapAdministrator } from '../../src/api/bootstrap.js';
import { createApiServer } from '../../src/api/server.js';
import { buildConfig, type Config } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { openStore, type Store } from '../../src/store/store.js';
import { startPostgres, type PostgresCluster } from '../support/postgres.js';

export const ADMIN_SID = 'ACae6e420f425248d6a26948c17a9e2acf';
export const ADMIN_EMAIL = 'administrator@company.com';
export const ADMIN_PASSWORD = 'RestComm1234!';
export const SIP_DOMAIN = 'test.dialtone.local';
export const DATABASES = ['sqlite', 'postgres'] as const;
export type DatabaseName = (typeof DATABASES)[number];

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  json<T = Record<string, unknown>>(): T;
}

export interface RequestOptions {
  auth?: readonly [user: string, password: string] | null;
  form?: Record<string, string>;
  accept?: string;
  body?: string;
  contentType?: string;
}

export interface TestApi {
  readonly store: Store;
  readonly config: Config;
  readonly base: string;
  /** `path` is relative to `/restcomm/2012-04-24` unless it starts with `//` (then relative to the host). */
  request(method: string, path: string, options?: RequestOptions): Promise<Reply>;
  /** A sub-account of `parent` (default: the administrator) with the given e-mail and a strong password. */
  createAccount(email: string, options?: { parent?: readonly [string, string]; role?: string }): Promise<{ sid: string; auth: [string, string] }>;
}

const ACCOUNT_PASSWORD = 'Dialtone#2024x';
export const ADMIN: readonly [string, string] = [ADMIN_EMAIL, ADMIN_PASSWORD];

let cluster: Promise<PostgresCluster> | undefined;
let databaseCount = 0;

async function databaseUrl(kind: DatabaseName, dir: string): Promise<string> {
  if (kind === 'sqlite') return `sqlite:${join(dir, 'db', 'dialtone.db')}`;
  cluster ??= startPostgres();
  return (await cluster).createDatabase(`dialtone_${process.pid}_${++databaseCount}`);
}

/** Stops the PostgreSQL cluster of this test file, if one was started. */
export async function stopDatabases(): Promise<void> {
  const c = cluster;
  cluster = undefined;
  if (c) await (await c).stop();
}

export async function startApi(kind: DatabaseName): Promise<TestApi & { close(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'dialtone-api-'));
  const config = buildConfig({
    DATA_DIR: dir,
    DATABASE_URL: await databaseUrl(kind, dir),
    ADMIN_PASSWORD,
    SIP_DOMAIN,
    LOG_LEVEL: 'silent',
    HTTP_BIND: '127.0.0.1',
    HTTP_PORT: '0',
  });
  const log = createLogger('silent');
  const store = await openStore(config.databaseUrl, log);
  await bootstrapAdministrator(store, config, log);
  const app: FastifyInstance = await createApiServer({ config, store, log });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const host = `http://127.0.0.1:${port}`;
  const base = `${host}/restcomm/2012-04-24`;

  const request = async (method: string, path: string, options: RequestOptions = {}): Promise<Reply> => {
    const headers: Record<string, string> = {};
    const auth = options.auth === undefined ? ADMIN : options.auth;
    if (auth !== null) headers.authorization = 'Basic ' + Buffer.from(`${auth[0]}:${auth[1]}`).toString('base64');
    if (options.accept !== undefined) headers.accept = options.accept;
    let body: string | undefined = options.body;
    if (options.form !== undefined) {
      body = new URLSearchParams(options.form).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    if (options.contentType !== undefined) headers['content-type'] = options.contentType;
    const url = path.startsWith('//') ? host + path.slice(1) : base + path;
    const res = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(10_000) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, json: <T>() => JSON.parse(text) as T };
  };

  const createAccount: TestApi['createAccount'] = async (email, options = {}) => {
    const form: Record<string, string> = { EmailAddress: email, Password: ACCOUNT_PASSWORD };
    if (options.role !== undefined) form.Role = options.role;
    const r = await request('POST', '/Accounts.json', { auth: options.parent ?? ADMIN, form });
    if (r.status !== 200) throw new Error(`creating ${email}: ${r.status} ${r.text}`);
    return { sid: r.json<{ sid: string }>().sid, auth: [email, ACCOUNT_PASSWORD] };
  };

  return {
    store,
    config,
    base,
    request,
    createAccount,
    async close() {
      await app.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Runs `body` once per database, each time against a fresh node with its own empty database; the
 * suites see the API through `api()`.
 */
export function forEachDatabase(name: string, body: (api: () => TestApi) => void): void {
  for (const kind of DATABASES) {
    describe(`${name} [${kind}]`, () => {
      let current: (TestApi & { close(): Promise<void> }) | undefined;
      before(async () => {
        current = await startApi(kind);
      });
      after(async () => {
        await current?.close();
        if (kind === 'postgres') await stopDatabases();
      });
      body(() => {
        if (current === undefined) throw new Error('API not started');
        return current;
      });
    });
  }
}
