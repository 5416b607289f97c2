import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Migrator, type Kysely } from 'kysely';
import { createLogger } from '../../src/log.js';
import { connect } from '../../src/store/connect.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import type { Database } from '../../src/store/schema.js';
import { openStore } from '../../src/store/store.js';
import { startPostgres, type PostgresCluster } from '../support/postgres.js';

const log = createLogger('silent');
const NOW = new Date(0).toISOString();
const ACCOUNT = 'AC' + 'a'.repeat(32);
const CLIENT = 'CL' + 'c'.repeat(32);

/** A migrator that knows only `names` of the migrations, as an older node did. */
function migrator(db: Kysely<Database>, names: readonly string[]): Migrator {
  const only = Object.fromEntries(Object.entries(MIGRATIONS).filter(([name]) => names.includes(name)));
  return new Migrator({ db, provider: { getMigrations: async () => only } });
}

/** A database as a node before 002 left it, with one account and one client in it. */
async function databaseAt001(url: string): Promise<void> {
  const { db } = connect(url);
  try {
    const { error } = await migrator(db, ['001_initial']).migrateToLatest();
    assert.equal(error, undefined);
    await db.insertInto('accounts').values({
      sid: ACCOUNT, parent_sid: null, organization_sid: 'OR' + '0'.repeat(32), friendly_name: 'old', email_address: 'old@example.com',
      type: 'Full', status: 'active', role: 'Administrator', auth_token: 'x', api_version: '2012-04-24', date_created: NOW, date_updated: NOW,
    }).execute();
    await db.insertInto('clients').values({
      sid: CLIENT, account_sid: ACCOUNT, api_version: '2012-04-24', friendly_name: 'old', login: 'old-client', password: 'x', password_algorithm: 'MD5',
      status: 1, voice_url: null, voice_method: 'POST', voice_fallback_url: null, voice_fallback_method: 'POST', voice_application_sid: null,
      push_client_identity: null, date_created: NOW, date_updated: NOW,
    }).execute();
  } finally {
    await db.destroy();
  }
}

async function upgradeKeepsRows(url: string): Promise<void> {
  await databaseAt001(url);
  const store = await openStore(url, log);
  try {
    const account = await store.accounts.findBySid(ACCOUNT);
    assert.deepEqual([account?.friendly_name, account?.refer_url, account?.refer_method, account?.refer_application_sid], ['old', null, 'POST', null]);
    const client = await store.clients.findByLogin('old-client');
    assert.deepEqual([client?.sid, client?.refer_url, client?.refer_method, client?.refer_application_sid], [CLIENT, null, 'POST', null]);
    await store.clients.update(CLIENT, { refer_url: 'http://127.0.0.1:8090/r', refer_method: 'GET' });
    assert.equal((await store.clients.findByLogin('old-client'))?.refer_method, 'GET');
  } finally {
    await store.close();
  }
  const { db } = connect(url);
  try {
    const { error } = await migrator(db, Object.keys(MIGRATIONS)).migrateTo('001_initial');
    assert.equal(error, undefined, 'the columns can be dropped again');
    const row = await db.selectFrom('clients').selectAll().where('sid', '=', CLIENT).executeTakeFirstOrThrow();
    assert.equal(row.login, 'old-client');
    assert.ok(!('refer_url' in row), 'refer_url dropped by down');
  } finally {
    await db.destroy();
  }
}

describe('migration 002 on an existing SQLite database', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dialtone-002-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  test('existing accounts and clients get no refer URL, method POST; down drops the columns', async () => {
    await upgradeKeepsRows(`sqlite:${join(dir, 'db.sqlite')}`);
  });
});

describe('migration 002 on an existing PostgreSQL database', () => {
  let cluster: PostgresCluster | undefined;
  before(async () => {
    cluster = await startPostgres();
  });
  after(async () => {
    await cluster?.stop();
  });
  test('existing accounts and clients get no refer URL, method POST; down drops the columns', async () => {
    if (cluster === undefined) throw new Error('PostgreSQL not started');
    await upgradeKeepsRows(await cluster.createDatabase('dialtone_refer_002'));
  });
});
