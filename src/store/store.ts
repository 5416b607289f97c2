import { Migrator, sql, type Kysely } from 'kysely';
import type { Logger } from '../log.js';
import { accountRepository, type AccountRepository } from './accounts.js';
import { applicationRepository, type ApplicationRepository } from './applications.js';
import { callRepository, type CallRepository } from './calls.js';
import { clientRepository, type ClientRepository } from './clients.js';
import { connect, type DatabaseKind } from './connect.js';
import { designerProjectRepository, type DesignerProjectRepository } from './designer-projects.js';
import { MIGRATIONS } from './migrations/index.js';
import { notificationRepository, type NotificationRepository } from './notifications.js';
import { numberRepository, type NumberRepository } from './numbers.js';
import { referRepository, type ReferRepository } from './refers.js';
import type { Database } from './schema.js';

export interface Store {
  readonly db: Kysely<Database>;
  readonly kind: DatabaseKind;
  readonly accounts: AccountRepository;
  readonly clients: ClientRepository;
  readonly applications: ApplicationRepository;
  readonly numbers: NumberRepository;
  readonly notifications: NotificationRepository;
  readonly refers: ReferRepository;
  readonly calls: CallRepository;
  readonly designerProjects: DesignerProjectRepository;
  /** Throws when the database does not answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Opens `sqlite:PATH` or `postgres://...` and brings its schema up to date before returning. */
export async function openStore(url: string, log: Logger): Promise<Store> {
  const mlog = log.child({ module: 'store' });
  const { db, kind } = connect(url);
  try {
    const migrator = new Migrator({ db, provider: { getMigrations: async () => ({ ...MIGRATIONS }) } });
    const { error, results } = await migrator.migrateToLatest();
    for (const r of results ?? []) mlog.info({ migration: r.migrationName, status: r.status }, 'migration');
    if (error) throw error instanceof Error ? error : new Error(String(error));
  } catch (err) {
    await db.destroy();
    throw err;
  }
  return {
    db,
    kind,
    accounts: accountRepository(db),
    clients: clientRepository(db),
    applications: applicationRepository(db),
    numbers: numberRepository(db),
    notifications: notificationRepository(db),
    refers: referRepository(db),
    calls: callRepository(db),
    designerProjects: designerProjectRepository(db),
    async ping() {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}
