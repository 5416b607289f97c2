import type { Kysely } from 'kysely';
import type { Database, RegistrationTable } from '../store/schema.js';

export type BindingRow = RegistrationTable;

/** The `registrations` table as the registrar uses it. Dates are ISO-8601 UTC text, so they compare as strings. */
export class BindingStore {
  constructor(private readonly db: Kysely<Database>) {}

  byLogin(login: string): Promise<BindingRow[]> {
    return this.db.selectFrom('registrations').selectAll().where('login', '=', login).execute();
  }

  /** Every binding still valid at `nowIso`, for the keep-alive pass. */
  live(nowIso: string): Promise<BindingRow[]> {
    return this.db.selectFrom('registrations').selectAll().where('expires_at', '>', nowIso).execute();
  }

  /** Applies one REGISTER's changes atomically: a crash never leaves half of them. */
  async apply(removeSids: readonly string[], upserts: readonly BindingRow[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      if (removeSids.length > 0) await trx.deleteFrom('registrations').where('sid', 'in', removeSids).execute();
      for (const row of upserts) {
        const { sid: _sid, date_created: _created, ...update } = row;
        await trx
          .insertInto('registrations')
          .values(row)
          .onConflict((oc) => oc.column('sid').doUpdateSet(update))
          .execute();
      }
    });
  }

  async remove(sid: string): Promise<void> {
    await this.db.deleteFrom('registrations').where('sid', '=', sid).execute();
  }

  async touch(sid: string, nowIso: string): Promise<void> {
    await this.db.updateTable('registrations').set({ date_updated: nowIso }).where('sid', '=', sid).execute();
  }

  /** Deletes bindings expired at `nowIso` and returns them. */
  async removeExpired(nowIso: string): Promise<BindingRow[]> {
    const rows = await this.db.selectFrom('registrations').selectAll().where('expires_at', '<=', nowIso).execute();
    if (rows.length > 0) await this.db.deleteFrom('registrations').where('expires_at', '<=', nowIso).execute();
    return rows;
  }

  async nextExpiry(): Promise<string | null> {
    const row = await this.db.selectFrom('registrations').select((eb) => eb.fn.min('expires_at').as('next')).executeTakeFirst();
    return row?.next ?? null;
  }
}
