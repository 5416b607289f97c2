import type { Kysely } from 'kysely';

// A Dialtone extension: peer-to-peer calls (client to client, no number) find their refer application on
// the calling client, else on its account, as numbers already carry one since 001.
const TABLES = ['clients', 'accounts'] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  // One column per ALTER: SQLite cannot add several in one statement.
  for (const table of TABLES) {
    await db.schema.alterTable(table).addColumn('refer_url', 'text').execute();
    await db.schema.alterTable(table).addColumn('refer_method', 'text', (c) => c.notNull().defaultTo('POST')).execute();
    await db.schema.alterTable(table).addColumn('refer_application_sid', 'text').execute();
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of TABLES) {
    for (const column of ['refer_application_sid', 'refer_method', 'refer_url']) {
      await db.schema.alterTable(table).dropColumn(column).execute();
    }
  }
}
