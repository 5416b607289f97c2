import type { Kysely } from 'kysely';
import type { Database, ReferTable } from './schema.js';
import { newSid } from './sid.js';

export type Refer = ReferTable;

export type ReferStatus = 'pending' | 'in-progress' | 'completed' | 'failed';

export const REFER_STATUSES: readonly ReferStatus[] = ['pending', 'in-progress', 'completed', 'failed'];

export interface NewRefer {
  accountSid: string;
  /** The transferee's call. */
  callSid: string | null;
  transferorCallSid: string | null;
  transferor: string | null;
  transferee: string | null;
  referTarget: string | null;
  referUrl?: string | null;
  referMethod?: string | null;
  referApplicationSid?: string | null;
  status?: ReferStatus;
  failureReason?: string | null;
}

/** Fields a transfer attempt changes as it goes; absent keys are left as they are. */
export interface ReferChange {
  status?: ReferStatus;
  notifyStatus?: number | null;
  failureReason?: string | null;
  callSid?: string | null;
  referUrl?: string | null;
  referMethod?: string | null;
  referApplicationSid?: string | null;
}

export interface ReferFilter {
  accountSids: readonly string[];
  callSid?: string;
  transferor?: string;
  transferee?: string;
  referTarget?: string;
  status?: string;
  /** Inclusive lower bound on `date_created`, an ISO timestamp. */
  createdFrom?: string;
  /** Exclusive upper bound on `date_created`, an ISO timestamp. */
  createdBefore?: string;
}

export interface ReferRepository {
  create(r: NewRefer): Promise<Refer>;
  /** Applies `change` and returns the updated row (undefined when no such refer). */
  update(sid: string, change: ReferChange): Promise<Refer | undefined>;
  get(accountSid: string, sid: string): Promise<Refer | undefined>;
  count(filter: ReferFilter): Promise<number>;
  /** Newest first. */
  list(filter: ReferFilter, offset: number, limit: number): Promise<Refer[]>;
}

export function referRepository(db: Kysely<Database>): ReferRepository {
  const filtered = (f: ReferFilter) => {
    let q = db.selectFrom('refers').where('account_sid', 'in', f.accountSids.length > 0 ? [...f.accountSids] : ['']);
    if (f.callSid !== undefined) q = q.where('call_sid', '=', f.callSid);
    if (f.transferor !== undefined) q = q.where('transferor', '=', f.transferor);
    if (f.transferee !== undefined) q = q.where('transferee', '=', f.transferee);
    if (f.referTarget !== undefined) q = q.where('refer_target', '=', f.referTarget);
    if (f.status !== undefined) q = q.where('status', '=', f.status);
    if (f.createdFrom !== undefined) q = q.where('date_created', '>=', f.createdFrom);
    if (f.createdBefore !== undefined) q = q.where('date_created', '<', f.createdBefore);
    return q;
  };
  return {
    async create(r) {
      const now = new Date().toISOString();
      const row: Refer = {
        sid: newSid('RF'),
        account_sid: r.accountSid,
        call_sid: r.callSid,
        transferor_call_sid: r.transferorCallSid,
        transferor: r.transferor,
        transferee: r.transferee,
        refer_target: r.referTarget,
        refer_url: r.referUrl ?? null,
        refer_method: r.referMethod ?? null,
        refer_application_sid: r.referApplicationSid ?? null,
        status: r.status ?? 'pending',
        notify_status: null,
        failure_reason: r.failureReason ?? null,
        date_created: now,
        date_updated: now,
      };
      await db.insertInto('refers').values(row).execute();
      return row;
    },
    async update(sid, c) {
      const set: Partial<Refer> = { date_updated: new Date().toISOString() };
      if (c.status !== undefined) set.status = c.status;
      if (c.notifyStatus !== undefined) set.notify_status = c.notifyStatus;
      if (c.failureReason !== undefined) set.failure_reason = c.failureReason;
      if (c.callSid !== undefined) set.call_sid = c.callSid;
      if (c.referUrl !== undefined) set.refer_url = c.referUrl;
      if (c.referMethod !== undefined) set.refer_method = c.referMethod;
      if (c.referApplicationSid !== undefined) set.refer_application_sid = c.referApplicationSid;
      await db.updateTable('refers').set(set).where('sid', '=', sid).execute();
      return db.selectFrom('refers').selectAll().where('sid', '=', sid).executeTakeFirst();
    },
    get: (accountSid, sid) => db.selectFrom('refers').selectAll().where('sid', '=', sid).where('account_sid', '=', accountSid).executeTakeFirst(),
    async count(filter) {
      const row = await filtered(filter).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      return Number(row.n);
    },
    list: (filter, offset, limit) =>
      filtered(filter).selectAll().orderBy('date_created', 'desc').orderBy('sid', 'desc').offset(offset).limit(limit).execute(),
  };
}
