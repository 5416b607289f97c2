import type { Route } from '../../rcml/app-server.js';
import { ACCOUNT, type CallNode } from '../harness.js';

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
