import type { Insertable, Kysely, Updateable } from 'kysely';
import { compiledLookup } from './compiled-lookup.js';
import type { Account, AccountTable, Database } from './schema.js';

export interface AccountRepository {
  findBySid(sid: string): Promise<Account | undefined>;
  findByEmail(email: string): Promise<Account | undefined>;
  findByFriendlyName(name: string): Promise<Account | undefined>;
  /** Direct children, oldest first. */
  listChildren(parentSid: string): Promise<Account[]>;
  /** The account and every descendant at any depth, deepest first (children before their parents). */
  subtree(sid: string): Promise<string[]>;
  /** The refer columns (a Dialtone extension) may be left out: they default to none, method POST. */
  insert(account: Insertable<AccountTable>): Promise<void>;
  update(sid: string, patch: Updateable<AccountTable>): Promise<void>;
  /** Deletes what Restcomm deletes when an account is closed; call records are kept. */
  purgeResources(sids: readonly string[]): Promise<void>;
}

export function accountRepository(db: Kysely<Database>): AccountRepository {
  // Both run on every authenticated API request (Basic authentication).
  const bySid = compiledLookup(db, db.selectFrom('accounts').selectAll().where('sid', '=', '').compile());
  const byEmail = compiledLookup(db, db.selectFrom('accounts').selectAll().where('email_address', '=', '').compile());
  return {
    findBySid: (sid) => bySid([sid]),
    findByEmail: (email) => byEmail([email]),
    findByFriendlyName: (name) =>
      db.selectFrom('accounts').selectAll().where('friendly_name', '=', name).orderBy('date_created').limit(1).executeTakeFirst(),
    listChildren: (parentSid) =>
      db.selectFrom('accounts').selectAll().where('parent_sid', '=', parentSid).orderBy('date_created').orderBy('sid').execute(),
    async subtree(sid) {
      const levels: string[][] = [[sid]];
      // The tree is at most three levels deep; the bound only guards against a corrupted parent cycle.
      for (let depth = 0; depth < 8; depth++) {
        const parents = levels[levels.length - 1] ?? [];
        if (parents.length === 0) break;
        const rows = await db.selectFrom('accounts').select('sid').where('parent_sid', 'in', parents).execute();
        levels.push(rows.map((r) => r.sid));
      }
      return levels.reverse().flat();
    },
    async insert(account) {
      await db.insertInto('accounts').values(account).execute();
    },
    async update(sid, patch) {
      await db.updateTable('accounts').set(patch).where('sid', '=', sid).execute();
    },
    async purgeResources(sids) {
      if (sids.length === 0) return;
      await db.transaction().execute(async (tx) => {
        for (const table of ['clients', 'applications', 'designer_projects', 'incoming_phone_numbers', 'notifications', 'recordings'] as const) {
          await tx.deleteFrom(table).where('account_sid', 'in', sids).execute();
        }
      });
    },
  };
}
