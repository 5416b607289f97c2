import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Route } from '../../rcml/app-server.js';
import { toneFile } from '../../media-e2e/harness.js';
import type { ManualClock } from '../../support/clock.js';
import { Linphone } from '../../support/linphone.js';
import { startSipp, startSippUas, type SippRun } from '../../support/sipp.js';
import { ACCOUNT, SCENARIOS, waitFor, type CallNode } from '../harness.js';

const ADMIN_AUTH = 'Basic ' + Buffer.from('administrator@company.com:Str0ng!Passw0rd#2026').toString('base64');

export interface ReferRow {
  readonly sid: string;
  readonly call_sid: string;
  readonly transferor_call_sid: string;
  readonly transferor: string;
  readonly transferee: string;
  readonly refer_target: string;
  readonly refer_url?: string;
  readonly status: string;
  /** Absent when no NOTIFY was sent. */
  readonly notify_status?: number;
  readonly failure_reason?: string;
}

/** Gives the number a Refer URL (method POST), as `POST IncomingPhoneNumbers/{sid}` with `ReferUrl` would. */
export async function setReferUrl(n: CallNode, numberSid: string, url: string): Promise<void> {
  await n.node.store.db.updateTable('incoming_phone_numbers').set({ refer_url: url, refer_method: 'POST' }).where('sid', '=', numberSid).execute();
}

/** The Refers log through the REST API, newest first. */
export async function refers(n: CallNode): Promise<ReferRow[]> {
  const r = await fetch(`http://127.0.0.1:${n.node.httpPort}/restcomm/2012-04-24/Accounts/${ACCOUNT}/Refers.json`, { headers: { authorization: ADMIN_AUTH } });
  if (r.status !== 200) throw new Error(`Refers.json answered ${r.status}: ${await r.text()}`);
  return ((await r.json()) as { refers: ReferRow[] }).refers;
}

/** An RCML route built from the request's parameters (a refer app reading `ReferTarget`). */
export const rcml = (body: (form: URLSearchParams) => string): Route => (req, res) => {
  res.writeHead(200, { 'content-type': 'text/xml' }).end(body(req.form));
};

/** The password every phone of these tests registers with. */
export const PHONE_PASSWORD = 'Phone-Passw0rd!';

/** Sipfrag status lines of the NOTIFYs a SIPp phone received, in order. */
export function sipfrags(messages: string): string[] {
  return [...messages.matchAll(/^NOTIFY [\s\S]*?\r?\n\r?\n(SIP\/2\.0 \d{3}[^\r\n]*)/gm)].map((m) => m[1] ?? '');
}

/** A SIPp phone registered as `login` (binding written directly), running `scenario` or SIPp's own UAS. */
export async function sippPhone(n: CallNode, login: string, scenario: string | null, vars: Record<string, string> = {}, prefix = ''): Promise<SippRun> {
  const run = await startSippUas({ ...(scenario === null ? {} : { scenario: { file: join(SCENARIOS, scenario) } }), vars, name: `${prefix}${login}-${scenario ?? 'uas'}`, recvTimeoutMs: 20_000 });
  await n.bind(login, run.port);
  return run;
}

/** SIPp Alice: calls `number`, hangs up after `ms`. */
export function sippCaller(n: CallNode, number: string, ms: number, prefix = ''): Promise<SippRun> {
  return startSipp({ scenario: { builtin: 'uac' }, remote: n.remote, service: number, extraArgs: ['-d', String(ms)], recvTimeoutMs: 20_000, name: `${prefix}alice-${number}` });
}

/** Waits for the node to be idle, forgets every binding, and returns how many Refers exist so far. */
export async function resetPhones(n: CallNode): Promise<number> {
  await n.waitIdle(10_000);
  await n.node.store.db.deleteFrom('registrations').execute();
  return (await refers(n)).length;
}

/** The Refers entry that appeared after `before` entries; by default only once it left `in-progress`. */
export function newRefer(n: CallNode, before: number, settled = true): Promise<ReferRow> {
  return waitFor('the Refers entry', async () => {
    const rows = await refers(n);
    return rows.length > before && (!settled || rows[0]?.status !== 'in-progress') ? rows[0] : undefined;
  }, 15_000);
}

/** A registered linphonec whose microphone plays a `tone` Hz sine for 30 s. */
export async function linphonePhone(n: CallNode, user: string, autoAnswer: boolean, tone: number): Promise<Linphone> {
  const p = await Linphone.start({ user, autoAnswer, deadlineMs: 90_000, registrar: { host: '127.0.0.1', port: n.node.sipPort, user, password: PHONE_PASSWORD, expires: 600 } });
  await p.register();
  await p.play(toneFile(tone, 30_000));
  return p;
}

/**
 * For a node on `clock`: waits until a Dial rings `login`, then advances the clock to the Dial's
 * `timeout` (`seconds`), checking the Dial does not give up a millisecond early.
 */
export async function dialTimesOut(n: CallNode, clock: ManualClock, login: string, seconds: number): Promise<void> {
  const leg = await waitFor(`${login} ringing`, () => n.node.calls.registry.list().find((l) => l.call.to === login && l.call.status === 'ringing'), 15_000);
  const turn = (): Promise<void> => new Promise((r) => setImmediate(r));
  clock.advance(seconds * 1000 - 1);
  await turn();
  assert.equal(leg.call.status, 'ringing', `${login} still rings a millisecond before timeout="${seconds}"`);
  clock.advance(1);
  await turn();
  assert.equal(leg.call.status, 'no-answer', `the Dial gave up on ${login} at ${seconds} s on the clock`);
}

/** For a node on `clock`: once a successful transfer waits for the transferor's own BYE (2 s), lets that grace pass. */
export async function transferorGracePasses(clock: ManualClock): Promise<void> {
  await waitFor('the transferor\'s BYE grace', () => (clock.dueIn().includes(2000) ? true : undefined), 15_000);
  clock.advance(2000);
}
