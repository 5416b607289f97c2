import type { Kysely } from 'kysely';
import { containsText } from './like.js';
import type { Database, Notification } from './schema.js';
import { API_VERSION, newSid } from './sid.js';

export interface NewNotification {
  accountSid: string;
  callSid?: string | null;
  /** 0 = error, 1 = warning. */
  log: 0 | 1;
  errorCode: number;
  messageText: string;
  requestUrl?: string | null;
  requestMethod?: string | null;
  requestVariables?: string | null;
  responseHeaders?: string | null;
  responseBody?: string | null;
}

export interface NotificationFilter {
  accountSids: readonly string[];
  /** Inclusive lower bound on `date_created`, an ISO timestamp. */
  createdFrom?: string;
  /** Exclusive upper bound on `date_created`, an ISO timestamp. */
  createdBefore?: string;
  errorCode?: number;
  requestUrl?: string;
  messageText?: string;
}

export type NotificationSortColumn = 'date_created' | 'log' | 'error_code' | 'call_sid' | 'message_text';

export interface NotificationSort {
  column: NotificationSortColumn;
  direction: 'asc' | 'desc';
}

export interface NotificationRepository {
  /** Records an error or warning for the account's Notifications list and returns it. */
  addNotification(n: NewNotification): Promise<Notification>;
  findBySid(accountSid: string, sid: string): Promise<Notification | undefined>;
  count(filter: NotificationFilter): Promise<number>;
  list(filter: NotificationFilter, sort: NotificationSort, offset: number, limit: number): Promise<Notification[]>;
}

export function notificationRepository(db: Kysely<Database>): NotificationRepository {
  const filtered = (f: NotificationFilter) => {
    let q = db.selectFrom('notifications').where('account_sid', 'in', f.accountSids.length > 0 ? [...f.accountSids] : ['']);
    if (f.createdFrom !== undefined) q = q.where('date_created', '>=', f.createdFrom);
    if (f.createdBefore !== undefined) q = q.where('date_created', '<', f.createdBefore);
    if (f.errorCode !== undefined) q = q.where('error_code', '=', f.errorCode);
    if (f.requestUrl !== undefined) q = q.where(containsText('request_url', f.requestUrl));
    if (f.messageText !== undefined) q = q.where(containsText('message_text', f.messageText));
    return q;
  };
  return {
    async addNotification(n) {
      const now = new Date().toISOString();
      const row: Notification = {
        sid: newSid('NO'),
        account_sid: n.accountSid,
        call_sid: n.callSid ?? null,
        api_version: API_VERSION,
        log: n.log,
        error_code: n.errorCode,
        more_info: `/restcomm/errors/${n.errorCode}.html`,
        message_text: n.messageText,
        message_date: now,
        request_url: n.requestUrl ?? null,
        request_method: n.requestMethod ?? null,
        request_variables: n.requestVariables ?? null,
        response_headers: n.responseHeaders ?? null,
        response_body: n.responseBody ?? null,
        date_created: now,
        date_updated: now,
      };
      await db.insertInto('notifications').values(row).execute();
      return row;
    },
    findBySid: (accountSid, sid) =>
      db.selectFrom('notifications').selectAll().where('sid', '=', sid).where('account_sid', '=', accountSid).executeTakeFirst(),
    async count(filter) {
      const row = await filtered(filter).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      return Number(row.n);
    },
    list(filter, sort, offset, limit) {
      let q = filtered(filter).selectAll().orderBy(sort.column, sort.direction);
      if (sort.column !== 'date_created') q = q.orderBy('date_created', 'desc');
      return q.orderBy('sid', 'desc').offset(offset).limit(limit).execute();
    },
  };
}
