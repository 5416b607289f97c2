import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { Clock } from '../../src/clock.js';
import { buildConfig } from '../../src/config.js';
import { startNode, type RunningNode } from '../../src/node.js';
import { computeHa1 } from '../../src/sip/auth/digest.js';
import type { CallRecord } from '../../src/store/calls.js';
import { ADMIN_ACCOUNT_SID, API_VERSION, newSid } from '../../src/store/sid.js';
import { freePortRange } from '../support/net.js';

export const SCENARIOS = join(import.meta.dirname, 'scenarios');
export const ACCOUNT = ADMIN_ACCOUNT_SID;

export interface CallNode {
  readonly node: RunningNode;
  /** `127.0.0.1:<udp port>` for SIPp's remote argument. */
  readonly remote: string;
  addNumber(phone: string, voiceUrl: string, opts?: { fallbackUrl?: string; statusCallback?: string }): Promise<string>;
  addClient(login: string, password?: string): Promise<void>;
  /** A current registration of `login` at 127.0.0.1:port, written as the registrar would. */
  bind(login: string, port: number): Promise<void>;
  calls(): Promise<CallRecord[]>;
  notificationCodes(): Promise<number[]>;
  /** Polls until no call, dialog, media endpoint or room is left; throws with the counts after `ms`. */
  waitIdle(ms?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface CallNodeOptions {
  /** `DIALTONE_RTP_TIMEOUT` in seconds; the default (60) outlasts every test whose SIPp sends no RTP. */
  readonly rtpTimeout?: number;
  /** The call layer's clock (ring timeouts, Dial timeouts, REFER waits); default real time. */
  readonly clock?: Clock;
}

/** A complete node (store, media, SIP, registrar, calls, API) on ephemeral ports with a throw-away SQLite file. */
export async function startCallNode(opts: CallNodeOptions = {}): Promise<CallNode> {
  const dir = mkdtempSync(join(tmpdir(), 'dialtone-calls-'));
  const rtp = await freePortRange(200);
  const config = buildConfig({
    HTTP_PORT: '0', HTTP_BIND: '127.0.0.1', SIP_PORT: '0', SIP_BIND: '127.0.0.1', SIP_DOMAIN: '127.0.0.1',
    DATA_DIR: dir, RTP_PORTS: `${rtp}-${rtp + 199}`, ADMIN_PASSWORD: 'Str0ng!Passw0rd#2026',
    ...(opts.rtpTimeout === undefined ? {} : { RTP_TIMEOUT: String(opts.rtpTimeout) }),
  });
  const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const node = await startNode(config, log, { callClock: opts.clock });
  const now = (): string => new Date().toISOString();
  const { store } = node;
  return {
    node,
    remote: `127.0.0.1:${node.sipPort}`,
    async addNumber(phone, voiceUrl, opts = {}) {
      const sid = newSid('PN');
      await store.numbers.insert({
        sid, account_sid: ACCOUNT, friendly_name: phone, phone_number: phone, voice_url: voiceUrl, voice_method: 'POST',
        voice_fallback_url: opts.fallbackUrl ?? null, voice_fallback_method: 'POST', status_callback: opts.statusCallback ?? null,
        status_callback_method: 'POST', voice_caller_id_lookup: 0, voice_application_sid: null, sms_url: null, sms_method: 'POST',
        sms_fallback_url: null, sms_fallback_method: 'POST', sms_application_sid: null, ussd_url: null, ussd_method: 'POST',
        ussd_fallback_url: null, ussd_fallback_method: 'POST', ussd_application_sid: null, refer_url: null, refer_method: 'POST',
        refer_application_sid: null, voice_capable: 1, sms_capable: 0, mms_capable: 0, fax_capable: 0, pure_sip: 1,
        api_version: API_VERSION, date_created: now(), date_updated: now(),
      });
      return sid;
    },
    async addClient(login, password = 'secret') {
      await store.clients.insert({
        sid: newSid('CL'), account_sid: ACCOUNT, api_version: API_VERSION, friendly_name: login, login,
        password: computeHa1('MD5', login, '127.0.0.1', password), password_algorithm: 'MD5', status: 1,
        voice_url: null, voice_method: 'POST', voice_fallback_url: null, voice_fallback_method: 'POST', voice_application_sid: null,
        push_client_identity: null, date_created: now(), date_updated: now(),
      });
    },
    async bind(login, port) {
      const client = await store.clients.findByLogin(login);
      if (!client) throw new Error(`no client ${login}`);
      const uri = `sip:${login}@127.0.0.1:${port}`;
      await store.db.insertInto('registrations').values({
        sid: newSid('RG'), account_sid: ACCOUNT, client_sid: client.sid, login, aor: `sip:${login}@127.0.0.1`, contact_uri: uri,
        received_uri: uri, transport: 'UDP', instance_id: null, reg_id: null, q: null,
        expires_at: new Date(Date.now() + 3_600_000).toISOString(), call_id: newSid('RG'), cseq: 1, user_agent: 'SIPp',
        date_created: now(), date_updated: now(),
      }).execute();
    },
    async calls() {
      await node.calls.flush();
      return store.db.selectFrom('calls').selectAll().orderBy('date_created').execute();
    },
    async notificationCodes() {
      const rows = await store.db.selectFrom('notifications').select('error_code').execute();
      return rows.map((r) => r.error_code);
    },
    async waitIdle(ms = 10_000) {
      const counts = () => ({ calls: node.calls.stats().calls, dialogs: node.sip.stats().dialogs, endpoints: node.media.stats().endpoints, rooms: node.media.stats().rooms });
      try {
        await waitFor('an idle node', () => {
          const c = counts();
          return c.calls + c.dialogs + c.endpoints + c.rooms === 0 ? true : undefined;
        }, ms);
      } catch {
        throw new Error(`node not idle: ${JSON.stringify(counts())}`);
      }
    },
    stop: () => node.stop(),
  };
}
