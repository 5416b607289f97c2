import type { SipUri } from '../sip/message/types.js';
import { parseUri } from '../sip/message/uri.js';
import type { BindingRow } from './binding-store.js';
import type { RequestedContact } from './register-request.js';
import { contactTransport, routingTarget, type Source } from './routing-target.js';

/** What identifies "the same contact" for an update: scheme, user, host, port and transport (RFC 3261 19.1.4, simplified). */
export function contactKey(uri: SipUri): string {
  return `${uri.scheme}:${uri.user ?? ''}@${uri.host}:${uri.port ?? ''};${(uri.params.get('transport') ?? 'udp').toLowerCase()}`;
}

export interface RegisterContext {
  readonly login: string;
  readonly accountSid: string;
  readonly clientSid: string;
  readonly aor: string;
  readonly callId: string;
  readonly cseq: number;
  readonly userAgent: string | null;
  readonly source: Source;
  /** Wall-clock milliseconds. */
  readonly now: number;
  readonly newSid: () => string;
}

export type BindingPlan =
  | { readonly kind: 'apply'; readonly remove: string[]; readonly upsert: BindingRow[] }
  | { readonly kind: 'out-of-order' };

function storedKey(row: BindingRow): string {
  try {
    return contactKey(parseUri(row.contact_uri, 'stored Contact'));
  } catch {
    // A row written by an older version with a URI this parser refuses only matches itself.
    return row.contact_uri;
  }
}

function sameInstance(row: BindingRow, c: RequestedContact): boolean {
  return c.instanceId !== null && row.instance_id === c.instanceId && row.reg_id === c.regId;
}

/**
 * Turns the contacts of one REGISTER into row changes (RFC 3261 10.3 step 7). A binding with the same
 * `+sip.instance`/`reg-id` is the same phone at a new address and is replaced (RFC 5626 §6).
 */
export function planBindings(existing: readonly BindingRow[], contacts: readonly RequestedContact[], ctx: RegisterContext): BindingPlan {
  const remove = new Set<string>();
  const upsert: BindingRow[] = [];
  const nowIso = new Date(ctx.now).toISOString();
  for (const c of contacts) {
    const key = contactKey(c.uri);
    const matches = existing.filter((row) => !remove.has(row.sid) && (sameInstance(row, c) || row.contact_uri === c.uri.raw || storedKey(row) === key));
    for (const row of matches) {
      if (row.call_id === ctx.callId && ctx.cseq <= row.cseq) return { kind: 'out-of-order' };
    }
    const [keep, ...others] = matches;
    for (const row of others) remove.add(row.sid);
    if (c.expires === 0) {
      if (keep !== undefined) remove.add(keep.sid);
      continue;
    }
    upsert.push({
      sid: keep?.sid ?? ctx.newSid(),
      account_sid: ctx.accountSid,
      client_sid: ctx.clientSid,
      login: ctx.login,
      aor: ctx.aor,
      contact_uri: c.uri.raw,
      received_uri: routingTarget(c.uri, ctx.source).raw,
      transport: contactTransport(c.uri, ctx.source),
      instance_id: c.instanceId,
      reg_id: c.regId,
      q: c.q,
      expires_at: new Date(ctx.now + c.expires * 1000).toISOString(),
      call_id: ctx.callId,
      cseq: ctx.cseq,
      user_agent: ctx.userAgent,
      date_created: keep?.date_created ?? nowIso,
      date_updated: nowIso,
    });
  }
  return { kind: 'apply', remove: [...remove], upsert };
}
