import { sql, type Kysely } from 'kysely';
import type { CallRecord } from './calls.js';
import type { Database } from './schema.js';

/** The Calls list filters of spec rest-api.md §2.5; every field narrows the result. */
export interface CallSearchFilter {
  accountSids: readonly string[];
  /** Suffix match on the recipient; a `%` in the text is a wildcard, as in Restcomm. */
  to?: string;
  from?: string;
  /** LIKE on the status (so `%` works here too). */
  status?: string;
  /** Inclusive lower bound on `start_time`, ISO. */
  startFrom?: string;
  /** Exclusive upper bound on `end_time`, ISO. */
  endBefore?: string;
  parentCallSid?: string;
  conferenceSid?: string;
  /** Only CDRs written by this node instance (`localOnly=false`). */
  instanceId?: string;
}

export type CallSortColumn = 'date_created' | 'sender' | 'recipient' | 'direction' | 'status' | 'duration' | 'price';

export interface CallSort {
  column: CallSortColumn;
  direction: 'asc' | 'desc';
}

export interface CallSearch {
  count(filter: CallSearchFilter): Promise<number>;
  list(filter: CallSearchFilter, sort: CallSort, offset: number, limit: number): Promise<CallRecord[]>;
}

/** Read-side queries of the CDR table for the REST API (the call layer writes through CallRepository). */
export function callSearch(db: Kysely<Database>): CallSearch {
  const filtered = (f: CallSearchFilter) => {
    let q = db.selectFrom('calls').where('account_sid', 'in', f.accountSids.length > 0 ? [...f.accountSids] : ['']);
    if (f.to !== undefined) q = q.where('recipient', 'like', `%${f.to}`);
    if (f.from !== undefined) q = q.where('sender', 'like', `%${f.from}`);
    if (f.status !== undefined) q = q.where('status', 'like', f.status);
    if (f.startFrom !== undefined) q = q.where('start_time', '>=', f.startFrom);
    if (f.endBefore !== undefined) q = q.where('end_time', '<', f.endBefore);
    if (f.parentCallSid !== undefined) q = q.where('parent_call_sid', '=', f.parentCallSid);
    if (f.conferenceSid !== undefined) q = q.where('conference_sid', '=', f.conferenceSid);
    if (f.instanceId !== undefined) q = q.where('instance_id', '=', f.instanceId);
    return q;
  };
  return {
    async count(filter) {
      const row = await filtered(filter).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      return Number(row.n);
    },
    list(filter, sort, offset, limit) {
      // Restcomm casts the varchar price to a number; an empty price sorts like a missing one.
      const key = sort.column === 'price' ? sql`cast(nullif(price, '') as real)` : sql.ref(sort.column);
      // Missing values (live calls have no duration yet) sort as the smallest, on SQLite and PostgreSQL alike.
      const nulls = sql.raw(sort.direction === 'asc' ? 'asc nulls first' : 'desc nulls last');
      let q = filtered(filter).selectAll().orderBy(sql`${key} ${nulls}`);
      if (sort.column !== 'date_created') q = q.orderBy('date_created', 'desc');
      return q.orderBy('sid', 'desc').offset(offset).limit(limit).execute();
    },
  };
}
