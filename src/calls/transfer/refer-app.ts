import { formatUri } from '../../sip/message/index.js';
import type { Store } from '../../store/store.js';
import type { ReferRequest } from './refer-request.js';

/** Which call the REFER came in on, as far as choosing the refer application goes. */
export interface ReferAppQuery {
  readonly accountSid: string;
  /**
   * The IncomingPhoneNumber the original inbound call arrived on (the owning call's `phoneNumberSid`,
   * i.e. the parent's for a Dial leg); null when the call did not arrive on a number.
   */
  readonly phoneNumberSid: string | null;
  /** A client-to-client call that went through no RCML application (Restcomm's "peer to peer"). */
  readonly peerToPeer: boolean;
  /**
   * Login of the client that placed a peer-to-peer call (whichever leg sends the REFER): its refer
   * application, else its account's, is used. Absent or null: the target is dialled directly.
   */
  readonly callerClient?: string | null;
}

/** A SIP refusal of the REFER, and the Notification that explains it to the operator. */
export interface ReferAppRefusal {
  readonly kind: 'refused';
  readonly status: 404;
  readonly reasonPhrase: string;
  /** RFC 3326 `Reason` header value. */
  readonly reasonHeader: string;
  readonly notification: { readonly code: number; readonly log: 0 | 1; readonly message: string };
}

export type ReferApp =
  /** Hand the transferee to this RCML. */
  | {
      readonly kind: 'rcml';
      readonly url: string;
      readonly method: 'GET' | 'POST';
      readonly referUrl: string | null;
      readonly referApplicationSid: string | null;
    }
  /** Peer-to-peer call without an app: dial the Refer-To target as `<Dial>` would, no HTTP. */
  | { readonly kind: 'direct' }
  | ReferAppRefusal;

/** Notification code for a REFER refused because no refer application is configured (Dialtone's own). */
export const NO_REFER_APP_CODE = 11310;

const NO_REFER_URL = 'SIP Refer failed. Set Refer URL or Refer application for incoming phone number';
const BAD_P2P_REFER_APP = 'SIP Refer failed. Refer application of the client or account is missing or has no RCML URL';

function refusal(text: string, message: string): ReferAppRefusal {
  return {
    kind: 'refused',
    status: 404,
    reasonPhrase: 'Not Found - No Refer URL for this call',
    reasonHeader: `SIP;cause=404;text="${text}"`,
    notification: { code: NO_REFER_APP_CODE, log: 0, message },
  };
}

function method(value: string | null): 'GET' | 'POST' {
  return value?.trim().toUpperCase() === 'GET' ? 'GET' : 'POST';
}

/** A number, client or account row as far as its refer application goes. */
interface ReferOwner {
  readonly account_sid: string;
  readonly refer_url: string | null;
  readonly refer_method: string | null;
  readonly refer_application_sid: string | null;
}

/**
 * The owner's Refer application (preferred) or Refer URL; null when it has neither. A Refer application
 * that is gone or has no RCML URL is refused with `reason`, never skipped: a refer app may restrict the
 * targets, and falling through to a laxer one would bypass it.
 */
async function ownerApp(store: Pick<Store, 'applications'>, owner: ReferOwner, name: string, reason: string): Promise<ReferApp | null> {
  const referMethod = method(owner.refer_method);
  if (owner.refer_application_sid !== null) {
    const app = await store.applications.findVisible(owner.account_sid, owner.refer_application_sid);
    if (app?.rcml_url) return { kind: 'rcml', url: app.rcml_url, method: referMethod, referUrl: owner.refer_url, referApplicationSid: app.sid };
    return refusal(reason, `REFER refused: Refer application ${owner.refer_application_sid} of ${name} is missing or has no RCML URL`);
  }
  if (owner.refer_url !== null && owner.refer_url.trim() !== '') {
    return { kind: 'rcml', url: owner.refer_url, method: referMethod, referUrl: owner.refer_url, referApplicationSid: null };
  }
  return null;
}

/** Dialtone's rule for peer-to-peer calls: the calling client's refer app, else its account's, else a direct dial. */
async function peerToPeerApp(store: Pick<Store, 'applications' | 'clients' | 'accounts'>, callerClient: string | null | undefined): Promise<ReferApp> {
  const client = callerClient ? await store.clients.findByLogin(callerClient) : undefined;
  if (client === undefined) return { kind: 'direct' };
  const own = await ownerApp(store, client, `client ${client.login}`, BAD_P2P_REFER_APP);
  if (own !== null) return own;
  const account = await store.accounts.findBySid(client.account_sid);
  if (account === undefined) return { kind: 'direct' };
  return (await ownerApp(store, { ...account, account_sid: account.sid }, `account ${account.sid}`, BAD_P2P_REFER_APP)) ?? { kind: 'direct' };
}

/**
 * The refer application per Restcomm: the Refer application (preferred) or Refer URL of the number on
 * which the original call arrived, method `ReferMethod` (default POST). Peer-to-peer calls, which
 * Restcomm cannot transfer, use the calling client's or its account's, else dial the target directly.
 * Anything else is refused with a 404.
 */
export async function resolveReferApp(store: Pick<Store, 'numbers' | 'applications' | 'clients' | 'accounts'>, q: ReferAppQuery): Promise<ReferApp> {
  if (q.phoneNumberSid === null) {
    if (q.peerToPeer) return peerToPeerApp(store, q.callerClient);
    return refusal(NO_REFER_URL, 'REFER refused: the call did not arrive on a phone number, so it has no Refer URL');
  }
  const number = await store.numbers.findBySid(q.accountSid, q.phoneNumberSid);
  if (number === undefined) return refusal(NO_REFER_URL, `REFER refused: phone number ${q.phoneNumberSid} no longer exists`);
  return (
    (await ownerApp(store, number, number.phone_number, NO_REFER_URL)) ??
    refusal(NO_REFER_URL, `REFER refused: phone number ${number.phone_number} has neither a Refer URL nor a Refer application`)
  );
}

/** How a leg's party is named to the refer app: its client login when it is a client, else its number or SIP user. */
export interface LegIdentity {
  readonly client: string | null;
  readonly user: string;
}

export function partyName(leg: LegIdentity): string {
  return leg.client ?? leg.user;
}

/**
 * The extra RCML request parameters of a refer application. The parties come from the call's own legs,
 * not from Contact or To user parts (Linphone's Contact often has no user part).
 */
export function referParameters(transferor: LegIdentity, transferee: LegIdentity, refer: ReferRequest): Record<string, string> {
  const params: Record<string, string> = {
    Transferor: partyName(transferor),
    Transferee: partyName(transferee),
    ReferTarget: refer.referTarget,
    ReferTo: refer.raw,
  };
  if (refer.referredBy !== undefined) params.ReferredBy = formatUri(refer.referredBy.uri);
  return params;
}
