import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { buildConfig, type Config } from '../../src/config.js';
import type { Clock } from '../../src/clock.js';
import { createSipStack } from '../../src/sip/stack.js';
import type { SipStack } from '../../src/sip/stack-api.js';
import { computeHa1 } from '../../src/sip/auth/digest.js';
import { createRegistrar, type Registrar, type RegistrarOptions } from '../../src/registrar/registrar.js';
import { openStore, type Store } from '../../src/store/store.js';
import { ADMIN_ACCOUNT_SID, DEFAULT_ORGANIZATION_SID, newSid } from '../../src/store/sid.js';

export interface RegistrarNode {
  /** UDP port of the SIP stack. */
  readonly port: number;
  readonly tcpPort: number;
  readonly config: Config;
  readonly store: Store;
  readonly stack: SipStack;
  readonly registrar: Registrar;
  addClient(login: string, password: string, opts?: { status?: number; accountStatus?: string }): Promise<void>;
  close(): Promise<void>;
}

/**
 * The registrar on the real SIP stack (UDP and TCP on an ephemeral port of 127.0.0.1) with a real SQLite
 * store, wired the way `src/node.ts` wires it (drop filter, REGISTER dispatch), but without media and
 * REST API and with an injectable clock, so expiry tests can move time by hand.
 */
export async function startRegistrarNode(clock: Clock, options: RegistrarOptions = {}): Promise<RegistrarNode> {
  const dir = mkdtempSync(join(tmpdir(), 'dialtone-registrar-'));
  const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const config = buildConfig({ SIP_BIND: '127.0.0.1', SIP_PORT: '0', HTTP_PORT: '0', DATA_DIR: dir, SIP_DOMAIN: '127.0.0.1' });
  const store = await openStore(`sqlite:${join(dir, 'dialtone.db')}`, log);
  const stack = await createSipStack({ config, log, clock });
  const registrar = createRegistrar({ stack, store, config, log, clock, options: { keepAliveSeconds: 0, ...options } });
  stack.setRequestFilter((req, source) => registrar.shouldDrop(req, source));
  stack.handle('REGISTER', (req, tx, source) => void registrar.handleRegister(req, tx, source));

  return {
    port: stack.udpPort,
    tcpPort: stack.tcpPort,
    config,
    stack,
    store,
    registrar,
    async addClient(login, password, opts = {}) {
      const now = new Date().toISOString();
      const account = await store.db.selectFrom('accounts').select('sid').where('sid', '=', ADMIN_ACCOUNT_SID).executeTakeFirst();
      if (account === undefined) {
        await store.db.insertInto('accounts').values({
          sid: ADMIN_ACCOUNT_SID, parent_sid: null, organization_sid: DEFAULT_ORGANIZATION_SID, friendly_name: 'admin',
          email_address: 'admin@example.com', type: 'Full', status: 'active', role: 'Administrator', auth_token: 'x',
          api_version: '2012-04-24', date_created: now, date_updated: now,
        }).execute();
      }
      if (opts.accountStatus !== undefined) {
        await store.db.updateTable('accounts').set({ status: opts.accountStatus }).where('sid', '=', ADMIN_ACCOUNT_SID).execute();
      }
      await store.clients.insert({
        sid: newSid('CL'), account_sid: ADMIN_ACCOUNT_SID, api_version: '2012-04-24', friendly_name: login, login,
        password: computeHa1('MD5', login, '127.0.0.1', password), password_algorithm: 'MD5', status: opts.status ?? 1,
        voice_url: null, voice_method: 'POST', voice_fallback_url: null, voice_fallback_method: 'POST', voice_application_sid: null,
        push_client_identity: null, date_created: now, date_updated: now,
      });
    },
    async close() {
      await registrar.close();
      await stack.close();
      await store.close();
    },
  };
}
