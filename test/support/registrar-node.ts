import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { buildConfig, type Config } from '../../src/config.js';
import { createResponse } from '../../src/sip/message/builders.js';
import { parseMessage } from '../../src/sip/message/parser.js';
import { serialize } from '../../src/sip/message/serialize.js';
import type { SipResponse } from '../../src/sip/message/types.js';
import type { Clock } from '../../src/sip/clock.js';
import type { ServerTransaction, SipSource, SipStack } from '../../src/sip/stack-api.js';
import { computeHa1 } from '../../src/sip/auth/digest.js';
import { createRegistrar, type Registrar, type RegistrarOptions } from '../../src/registrar/registrar.js';
import { openStore, type Store } from '../../src/store/store.js';
import { ADMIN_ACCOUNT_SID, DEFAULT_ORGANIZATION_SID, newSid } from '../../src/store/sid.js';

export interface RegistrarNode {
  readonly port: number;
  readonly config: Config;
  readonly store: Store;
  readonly registrar: Registrar;
  addClient(login: string, password: string, opts?: { status?: number; accountStatus?: string }): Promise<void>;
  close(): Promise<void>;
}

/**
 * A registrar on a real UDP socket on 127.0.0.1 with a real SQLite store. Until the stack facade
 * (`src/sip/stack.ts`) exists, a minimal UDP front end stands in for it: it parses, answers retransmitted
 * REGISTERs with the last response (what a server transaction does), and serializes responses.
 */
export async function startRegistrarNode(clock: Clock, options: RegistrarOptions = {}): Promise<RegistrarNode> {
  const dir = mkdtempSync(join(tmpdir(), 'dialtone-registrar-'));
  const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const socket: Socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const port = socket.address().port;
  const config = buildConfig({ SIP_BIND: '127.0.0.1', SIP_PORT: String(port), DATA_DIR: dir, SIP_DOMAIN: '127.0.0.1' });
  const store = await openStore(`sqlite:${join(dir, 'dialtone.db')}`, log);
  const stack = {
    udpPort: port,
    tcpPort: 0,
    advertisedHost: '127.0.0.1',
    contact: () => `<sip:127.0.0.1:${port}>`,
  } as unknown as SipStack;
  const registrar = createRegistrar({ stack, store, config, log, clock, options: { keepAliveSeconds: 0, ...options } });
  const answered = new Map<string, SipResponse>();

  socket.on('message', (data, rinfo) => {
    let msg;
    try {
      msg = parseMessage(data);
    } catch {
      return;
    }
    if (msg.kind !== 'request' || msg.method !== 'REGISTER') return;
    const req = msg;
    const key = `${req.vias[0]?.branch ?? ''}|${rinfo.address}:${rinfo.port}`;
    const previous = answered.get(key);
    if (previous) {
      socket.send(serialize(previous), rinfo.port, rinfo.address);
      return;
    }
    const source: SipSource = { transport: 'UDP', host: rinfo.address, port: rinfo.port, local: { host: '127.0.0.1', port } };
    let done = false;
    const tx: ServerTransaction = {
      request: req,
      source,
      toTag: `t${Math.random().toString(36).slice(2, 10)}`,
      get answered() {
        return done;
      },
      respond(status, reason, extra) {
        const res = createResponse(req, status, reason, { ...extra, toTag: this.toTag });
        done = true;
        answered.set(key, res);
        socket.send(serialize(res), rinfo.port, rinfo.address);
        return res;
      },
      onCancel: () => undefined,
    };
    void registrar.handleRegister(req, tx, source);
  });

  return {
    port,
    config,
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
      await new Promise<void>((resolve) => socket.close(() => resolve()));
      await store.close();
    },
  };
}
