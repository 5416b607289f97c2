import type { BindingRow } from './binding-store.js';

/** One current registration of a Client, as the call layer routes to it. */
export interface Binding {
  readonly sid: string;
  readonly login: string;
  readonly accountSid: string;
  readonly clientSid: string;
  readonly aor: string;
  /** The Contact URI as the phone sent it. */
  readonly contactUri: string;
  /** Where to send requests: the Contact with the observed source address (NAT). */
  readonly target: string;
  readonly transport: string;
  readonly instanceId: string | null;
  readonly regId: number | null;
  readonly q: number | null;
  readonly expiresAt: Date;
  readonly userAgent: string | null;
}

export function toBinding(row: BindingRow): Binding {
  return {
    sid: row.sid,
    login: row.login,
    accountSid: row.account_sid,
    clientSid: row.client_sid,
    aor: row.aor,
    contactUri: row.contact_uri,
    target: row.received_uri,
    transport: row.transport,
    instanceId: row.instance_id,
    regId: row.reg_id,
    q: row.q,
    expiresAt: new Date(row.expires_at),
    userAgent: row.user_agent,
  };
}

/** Highest q first (an absent q counts as 1.0), then the most recently refreshed. */
export function byPreference(a: BindingRow, b: BindingRow): number {
  const dq = (b.q ?? 1) - (a.q ?? 1);
  if (dq !== 0) return dq;
  return a.date_updated < b.date_updated ? 1 : a.date_updated > b.date_updated ? -1 : 0;
}
