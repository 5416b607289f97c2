import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { buildConfig } from '../../src/config.js';
import { startNode } from '../../src/node.js';
import { clientHa1 } from '../../src/api/resources/clients.js';
import { ADMIN_ACCOUNT_SID, API_VERSION, newSid } from '../../src/store/sid.js';

/**
 * The node under test, alone in its process (so its CPU can be profiled with `node --cpu-prof`): SQLite in
 * a temp folder, `--clients N` Clients `user0..user(N-1)` sharing one password, written through the store
 * in one transaction because the REST API would take minutes for 10,000 of them. Prints one JSON line
 * `{ "sipPort": … }` when ready; stops on SIGTERM or when stdin closes.
 */
const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] ?? fallback : fallback;
};
const clients = Number(option('clients', '10000'));
const password = option('password', 'Bench-Passw0rd!');
const maxPendingAt = args.indexOf('--max-pending');
const maxPending = maxPendingAt >= 0 ? args[maxPendingAt + 1] : undefined;

const dir = mkdtempSync(join(tmpdir(), 'dialtone-bench-register-'));
const config = buildConfig({
  SIP_BIND: '127.0.0.1', SIP_PORT: '0', HTTP_BIND: '127.0.0.1', HTTP_PORT: '0', DATA_DIR: dir, SIP_DOMAIN: '127.0.0.1',
  ADMIN_PASSWORD: 'Bench-Adm1n-Pass!', LOG_LEVEL: 'warn', RTP_PORTS: option('rtp-ports', '40000-40100'),
  ...(maxPending !== undefined ? { SIP_MAX_PENDING_TRANSACTIONS: maxPending } : {}),
});
const node = await startNode(config, pino({ level: 'warn' }));
const now = new Date().toISOString();
await node.store.db.transaction().execute(async (trx) => {
  for (let i = 0; i < clients; i++) {
    const login = `user${i}`;
    await trx.insertInto('clients').values({
      sid: newSid('CL'), account_sid: ADMIN_ACCOUNT_SID, api_version: API_VERSION, friendly_name: login, login,
      password: clientHa1(login, config.sipDomain, password), password_algorithm: 'MD5', status: 1,
      voice_url: null, voice_method: 'POST', voice_fallback_url: null, voice_fallback_method: 'POST', voice_application_sid: null,
      push_client_identity: null, date_created: now, date_updated: now,
    }).execute();
  }
});
process.stdout.write(`${JSON.stringify({ sipPort: node.sipPort, dataDir: dir })}\n`);

let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  void node.stop().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.resume();
