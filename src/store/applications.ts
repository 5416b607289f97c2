import type { Kysely, Updateable } from 'kysely';
import type { Application, ApplicationTable, Database } from './schema.js';

/** A number that points at an application through one of its four application SIDs. */
export interface ApplicationNumber {
  sid: string;
  friendly_name: string;
  phone_number: string;
  voice_application_sid: string | null;
  sms_application_sid: string | null;
  ussd_application_sid: string | null;
  refer_application_sid: string | null;
}

export interface ApplicationRepository {
  /** The account's own application or a global one (no account). */
  findVisible(accountSid: string, sid: string): Promise<Application | undefined>;
  /** The account's own applications and the global ones with exactly this friendly name, oldest first. */
  findVisibleByName(accountSid: string, name: string): Promise<Application[]>;
  /** The account's applications and the global ones, oldest first. */
  list(accountSid: string): Promise<Application[]>;
  /** Every number of the account that refers to some application. */
  numbersUsingApplications(accountSid: string): Promise<ApplicationNumber[]>;
  insert(app: Application): Promise<void>;
  update(sid: string, patch: Updateable<ApplicationTable>): Promise<void>;
  /** Deletes the account's application and, when it is a Visual Designer project, the project with it. */
  delete(accountSid: string, sid: string): Promise<void>;
}

export function applicationRepository(db: Kysely<Database>): ApplicationRepository {
  return {
    findVisible: (accountSid, sid) =>
      db
        .selectFrom('applications')
        .selectAll()
        .where('sid', '=', sid)
        .where((eb) => eb.or([eb('account_sid', '=', accountSid), eb('account_sid', 'is', null)]))
        .executeTakeFirst(),
    findVisibleByName: (accountSid, name) =>
      db
        .selectFrom('applications')
        .selectAll()
        .where('friendly_name', '=', name)
        .where((eb) => eb.or([eb('account_sid', '=', accountSid), eb('account_sid', 'is', null)]))
        .orderBy('date_created')
        .orderBy('sid')
        .execute(),
    list: (accountSid) =>
      db
        .selectFrom('applications')
        .selectAll()
        .where((eb) => eb.or([eb('account_sid', '=', accountSid), eb('account_sid', 'is', null)]))
        .orderBy('date_created')
        .orderBy('sid')
        .execute(),
    numbersUsingApplications: (accountSid) =>
      db
        .selectFrom('incoming_phone_numbers')
        .select(['sid', 'friendly_name', 'phone_number', 'voice_application_sid', 'sms_application_sid', 'ussd_application_sid', 'refer_application_sid'])
        .where('account_sid', '=', accountSid)
        .where((eb) =>
          eb.or([
            eb('voice_application_sid', 'is not', null),
            eb('sms_application_sid', 'is not', null),
            eb('ussd_application_sid', 'is not', null),
            eb('refer_application_sid', 'is not', null),
          ]),
        )
        .orderBy('phone_number')
        .execute(),
    async insert(app) {
      await db.insertInto('applications').values(app).execute();
    },
    async update(sid, patch) {
      await db.updateTable('applications').set(patch).where('sid', '=', sid).execute();
    },
    async delete(accountSid, sid) {
      await db.transaction().execute(async (tx) => {
        await tx.deleteFrom('designer_projects').where('sid', '=', sid).where('account_sid', '=', accountSid).execute();
        await tx.deleteFrom('applications').where('sid', '=', sid).where('account_sid', '=', accountSid).execute();
      });
    },
  };
}
