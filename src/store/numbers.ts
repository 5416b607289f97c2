import type { Kysely, Updateable } from 'kysely';
import { containsText } from './like.js';
import type { Database, IncomingPhoneNumber, IncomingPhoneNumberTable } from './schema.js';

export interface NumberFilter {
  accountSid: string;
  phoneNumber?: string;
  friendlyName?: string;
}

/** A number as routing needs it, with the status of the account that owns it. */
export interface NumberForRouting extends IncomingPhoneNumber {
  account_status: string;
}

export interface NumberRepository {
  findBySid(accountSid: string, sid: string): Promise<IncomingPhoneNumber | undefined>;
  findByPhoneNumber(phoneNumber: string): Promise<IncomingPhoneNumber | undefined>;
  count(filter: NumberFilter): Promise<number>;
  /** Ordered by phone number. */
  list(filter: NumberFilter, offset: number, limit: number): Promise<IncomingPhoneNumber[]>;
  insert(number: IncomingPhoneNumber): Promise<void>;
  update(sid: string, patch: Updateable<IncomingPhoneNumberTable>): Promise<void>;
  delete(accountSid: string, sid: string): Promise<boolean>;
  /** Spec voice.md §3.3: exact candidates first, then regex numbers longest first, then the `*` catch-all. */
  findNumberForRouting(dialed: string): Promise<NumberForRouting | undefined>;
}

/** Characters that make a stored number a pattern rather than a number (Restcomm's rule). */
const REGEX_MARKERS = /[*#^|.$\\[\]]/;

/** The exact forms a dialled string is tried in: as is, US E.164 for 10-digit NANP numbers, then ±`+`. */
export function routingCandidates(dialed: string): string[] {
  const out = [dialed];
  if (!/[*#]/.test(dialed) && /^\d{10}$/.test(dialed) && /^[2-9]/.test(dialed)) out.push('+1' + dialed);
  out.push(dialed.startsWith('+') ? dialed.slice(1) : '+' + dialed);
  return [...new Set(out.filter((c) => c !== '' && c !== '+'))];
}

/** Restcomm escapes a leading `+` or `*` so that patterns like `+1.*` or `*123` compile. */
function compilePattern(pattern: string): RegExp | undefined {
  const source = /^[+*]/.test(pattern) ? '\\' + pattern : pattern;
  try {
    return new RegExp(source);
  } catch {
    return undefined;
  }
}

export function numberRepository(db: Kysely<Database>): NumberRepository {
  const filtered = (filter: NumberFilter) => {
    let q = db.selectFrom('incoming_phone_numbers').where('account_sid', '=', filter.accountSid);
    if (filter.phoneNumber !== undefined) q = q.where(containsText('phone_number', filter.phoneNumber));
    if (filter.friendlyName !== undefined) q = q.where(containsText('friendly_name', filter.friendlyName));
    return q;
  };
  const withAccount = () =>
    db
      .selectFrom('incoming_phone_numbers')
      .innerJoin('accounts', 'accounts.sid', 'incoming_phone_numbers.account_sid')
      .selectAll('incoming_phone_numbers')
      .select('accounts.status as account_status');
  return {
    findBySid: (accountSid, sid) =>
      db.selectFrom('incoming_phone_numbers').selectAll().where('sid', '=', sid).where('account_sid', '=', accountSid).executeTakeFirst(),
    findByPhoneNumber: (phoneNumber) =>
      db.selectFrom('incoming_phone_numbers').selectAll().where('phone_number', '=', phoneNumber).executeTakeFirst(),
    async count(filter) {
      const row = await filtered(filter).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      return Number(row.n);
    },
    list: (filter, offset, limit) => filtered(filter).selectAll().orderBy('phone_number').orderBy('sid').offset(offset).limit(limit).execute(),
    async insert(number) {
      await db.insertInto('incoming_phone_numbers').values(number).execute();
    },
    async update(sid, patch) {
      await db.updateTable('incoming_phone_numbers').set(patch).where('sid', '=', sid).execute();
    },
    async delete(accountSid, sid) {
      const r = await db.deleteFrom('incoming_phone_numbers').where('sid', '=', sid).where('account_sid', '=', accountSid).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
    async findNumberForRouting(dialed) {
      const candidates = routingCandidates(dialed);
      for (const candidate of candidates) {
        const hit = await withAccount().where('incoming_phone_numbers.phone_number', '=', candidate).executeTakeFirst();
        if (hit) return hit;
      }
      if (!/^[\d*#+]+$/.test(dialed)) return undefined;
      const patterns = (await withAccount().where('incoming_phone_numbers.pure_sip', '=', 1).execute())
        .filter((n) => n.phone_number !== '*' && REGEX_MARKERS.test(n.phone_number))
        .sort((a, b) => b.phone_number.length - a.phone_number.length || a.phone_number.localeCompare(b.phone_number));
      for (const n of patterns) {
        const re = compilePattern(n.phone_number);
        if (re && candidates.some((c) => re.test(c))) return n;
      }
      return withAccount().where('incoming_phone_numbers.phone_number', '=', '*').executeTakeFirst();
    },
  };
}
