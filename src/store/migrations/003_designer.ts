import type { Kysely } from 'kysely';

// Visual Designer projects (issue 10). The sid is the project's Application sid and the name lives only
// in that Application's friendly_name, as in RVD; media files and the application log are on disk
// under DATA_DIR/designer/<sid>/.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('designer_projects')
    .addColumn('sid', 'text', (c) => c.primaryKey())
    .addColumn('account_sid', 'text', (c) => c.notNull())
    .addColumn('owner_email', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    // The editor's JSON as saved (RVD's `state` file).
    .addColumn('state', 'text', (c) => c.notNull())
    // `{logging, loggingRCML}` as JSON; null until the settings are first written (RVD answers `{}`).
    .addColumn('settings', 'text')
    // JSON array of `{name, value, description?}`.
    .addColumn('parameters', 'text', (c) => c.notNull().defaultTo('[]'))
    // The Web Trigger configuration (RVD's `cc` file) as JSON; null when none.
    .addColumn('web_trigger', 'text')
    .addColumn('date_created', 'text', (c) => c.notNull())
    .addColumn('date_updated', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('designer_projects_account').on('designer_projects').column('account_sid').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('designer_projects').execute();
}
