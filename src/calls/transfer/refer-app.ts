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

/**
 * The refer application per Restcomm: the Refer application (preferred) or Refer URL of the number on
 * which the original call arrived, method `ReferMethod` (default POST). Peer-to-peer calls, which
 * Restcomm cannot transfer, dial the target directly. Anything else is refused with a 404.
 */
export async function resolveReferApp(store: Pick<Store, 'numbers' | 'applications'>, q: ReferAppQuery): Promise<ReferApp> {
  if (q.phoneNumberSid === null) {
    if (q.peerToPeer) return { kind: 'direct' };
    return refusal(NO_REFER_URL, 'REFER refused: the call did not arrive on a phone number, so it has no Refer URL');
  }
  const number = await store.numbers.findBySid(q.accountSid, q.phoneNumberSid);
  if (number === undefined) return refusal(NO_REFER_URL, `REFER refused: phone number ${q.phoneNumberSid} no longer exists`);
  if (number.refer_application_sid !== null) {
    const app = await store.applications.findVisible(number.account_sid, number.refer_application_sid);
    if (app?.rcml_url) {
      return { kind: 'rcml', url: app.rcml_url, method: method(number.refer_method), referUrl: number.refer_url, referApplicationSid: app.sid };
    }
    return refusal(
      NO_REFER_URL,
      `REFER refused: Refer application ${number.refer_application_sid} of ${number.phone_number} is missing or has no RCML URL`,
    );
  }
  if (number.refer_url !== null && number.refer_url.trim() !== '') {
    return { kind: 'rcml', url: number.refer_url, method: method(number.refer_method), referUrl: number.refer_url, referApplicationSid: null };
  }
  return refusal(NO_REFER_URL, `REFER refused: phone number ${number.phone_number} has neither a Refer URL nor a Refer application`);
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
