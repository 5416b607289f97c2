import type { Insertable, Kysely, Updateable } from 'kysely';
import { compiledLookup } from './compiled-lookup.js';
import type { Client, ClientTable, Database } from './schema.js';

/** A client as the SIP side needs it: the stored HA1 and the status of the account it belongs to. */
export interface ClientForAuth extends Client {
  account_status: string;
}

export interface ClientRepository {
  findBySid(accountSid: string, sid: string): Promise<Client | undefined>;
  findByLogin(login: string): Promise<Client | undefined>;
  /** For digest authentication and routing; `undefined` when no client has this login. */
  findClientByLogin(login: string): Promise<ClientForAuth | undefined>;
  list(accountSid: string): Promise<Client[]>;
  /** The refer columns (a Dialtone extension) may be left out: they default to none, method POST. */
  insert(client: Insertable<ClientTable>): Promise<void>;
  update(sid: string, patch: Updateable<ClientTable>): Promise<void>;
  /** True when a row was deleted. */
  delete(accountSid: string, sid: string): Promise<boolean>;
}

export function clientRepository(db: Kysely<Database>): ClientRepository {
  const bySid = compiledLookup(db, db.selectFrom('clients').selectAll().where('sid', '=', '').where('account_sid', '=', '').compile());
  return {
    findBySid: (accountSid, sid) => bySid([sid, accountSid]),
    findByLogin: (login) => db.selectFrom('clients').selectAll().where('login', '=', login).executeTakeFirst(),
    findClientByLogin: (login) =>
      db
        .selectFrom('clients')
        .innerJoin('accounts', 'accounts.sid', 'clients.account_sid')
        .selectAll('clients')
        .select('accounts.status as account_status')
        .where('clients.login', '=', login)
        .executeTakeFirst(),
    list: (accountSid) =>
      db.selectFrom('clients').selectAll().where('account_sid', '=', accountSid).orderBy('date_created').orderBy('sid').execute(),
    async insert(client) {
      await db.insertInto('clients').values(client).execute();
    },
    async update(sid, patch) {
      await db.updateTable('clients').set(patch).where('sid', '=', sid).execute();
    },
    async delete(accountSid, sid) {
      const r = await db.deleteFrom('clients').where('sid', '=', sid).where('account_sid', '=', accountSid).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
  };
}
