import type { Kysely, Updateable } from 'kysely';
import type { CallTable, Database } from './schema.js';

export type CallRecord = CallTable;

export interface CallFilter {
  accountSid: string;
  parentCallSid?: string;
}

export interface CallRepository {
  insert(call: CallRecord): Promise<void>;
  update(sid: string, patch: Updateable<CallTable>): Promise<void>;
  findBySid(sid: string): Promise<CallRecord | undefined>;
  /** Newest first. */
  list(filter: CallFilter, offset: number, limit: number): Promise<CallRecord[]>;
}

export function callRepository(db: Kysely<Database>): CallRepository {
  return {
    async insert(call) {
      await db.insertInto('calls').values(call).execute();
    },
    async update(sid, patch) {
      await db.updateTable('calls').set(patch).where('sid', '=', sid).execute();
    },
    findBySid: (sid) => db.selectFrom('calls').selectAll().where('sid', '=', sid).executeTakeFirst(),
    list(filter, offset, limit) {
      let q = db.selectFrom('calls').selectAll().where('account_sid', '=', filter.accountSid);
      if (filter.parentCallSid !== undefined) q = q.where('parent_call_sid', '=', filter.parentCallSid);
      return q.orderBy('date_created', 'desc').orderBy('sid', 'desc').offset(offset).limit(limit).execute();
    },
  };
}
