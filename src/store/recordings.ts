import type { Kysely } from 'kysely';
import type { Database, RecordingTable } from './schema.js';

export type Recording = RecordingTable;

export interface RecordingFilter {
  accountSids: readonly string[];
  /** Inclusive lower bound on `date_created`, ISO. */
  createdFrom?: string;
  /** Exclusive upper bound on `date_created`, ISO. */
  createdBefore?: string;
  /** LIKE on `call_sid`, as Restcomm. */
  callSid?: string;
}

export type RecordingSortColumn = 'date_created' | 'duration' | 'call_sid';

export interface RecordingSort {
  column: RecordingSortColumn;
  direction: 'asc' | 'desc';
}

export interface RecordingRepository {
  /** By sid alone: the file download is unauthenticated, so no account is known. */
  findBySid(sid: string): Promise<Recording | undefined>;
  count(filter: RecordingFilter): Promise<number>;
  list(filter: RecordingFilter, sort: RecordingSort, offset: number, limit: number): Promise<Recording[]>;
  /** Every recording of one call, oldest first. */
  listForCall(accountSid: string, callSid: string): Promise<Recording[]>;
  delete(sid: string): Promise<void>;
}

/** The `recordings` rows the call layer's Record verb writes (`file_path` = the WAV on disk). */
export function recordingRepository(db: Kysely<Database>): RecordingRepository {
  const filtered = (f: RecordingFilter) => {
    let q = db.selectFrom('recordings').where('account_sid', 'in', f.accountSids.length > 0 ? [...f.accountSids] : ['']);
    if (f.createdFrom !== undefined) q = q.where('date_created', '>=', f.createdFrom);
    if (f.createdBefore !== undefined) q = q.where('date_created', '<', f.createdBefore);
    if (f.callSid !== undefined) q = q.where('call_sid', 'like', f.callSid);
    return q;
  };
  return {
    findBySid: (sid) => db.selectFrom('recordings').selectAll().where('sid', '=', sid).executeTakeFirst(),
    async count(filter) {
      const row = await filtered(filter).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      return Number(row.n);
    },
    list(filter, sort, offset, limit) {
      let q = filtered(filter).selectAll().orderBy(sort.column, sort.direction);
      if (sort.column !== 'date_created') q = q.orderBy('date_created', 'desc');
      return q.orderBy('sid', 'desc').offset(offset).limit(limit).execute();
    },
    listForCall: (accountSid, callSid) =>
      db.selectFrom('recordings').selectAll().where('account_sid', '=', accountSid).where('call_sid', '=', callSid).orderBy('date_created').execute(),
    async delete(sid) {
      await db.deleteFrom('recordings').where('sid', '=', sid).execute();
    },
  };
}
