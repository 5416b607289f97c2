import type { HttpMethod } from '../rcml/verbs.js';
import type { Store } from '../store/store.js';

/** Where an inbound call's RCML comes from. */
export interface AppSource {
  readonly url: string;
  readonly method: HttpMethod;
  readonly fallback: { readonly url: string; readonly method: HttpMethod } | null;
}

/** The decision for one INVITE (spec voice.md 3.2). */
export type Route =
  | { readonly kind: 'app'; readonly accountSid: string; readonly app: AppSource; readonly phoneNumberSid: string | null; readonly statusCallback: { url: string; method: HttpMethod } | null }
  /** A non-client calling a client: the system app `<Dial><Client>login</Client></Dial>`, no HTTP. */
  | { readonly kind: 'dial-client'; readonly accountSid: string; readonly login: string }
  | { readonly kind: 'refuse'; readonly status: number; readonly reason: string };

const method = (m: string): HttpMethod => (m.toUpperCase() === 'GET' ? 'GET' : 'POST');

interface VoiceFields {
  readonly voice_url: string | null;
  readonly voice_method: string;
  readonly voice_fallback_url: string | null;
  readonly voice_fallback_method: string;
  readonly voice_application_sid: string | null;
}

/** A number's or client's voice app: the Application's `rcml_url` when set, else `voice_url`; null when neither. */
export async function appOf(store: Store, accountSid: string, owner: VoiceFields): Promise<AppSource | null> {
  const fallback = owner.voice_fallback_url === null ? null : { url: owner.voice_fallback_url, method: method(owner.voice_fallback_method) };
  if (owner.voice_application_sid !== null) {
    const app = await store.applications.findVisible(accountSid, owner.voice_application_sid);
    if (app?.rcml_url) return { url: app.rcml_url, method: method(owner.voice_method), fallback };
  }
  if (owner.voice_url === null || owner.voice_url === '') return null;
  return { url: owner.voice_url, method: method(owner.voice_method), fallback };
}

/**
 * Routes a dialled user (spec 3.2 steps 3-10): the calling client's own app wins, then an
 * IncomingPhoneNumber, then a client login; anything else is 404.
 */
export async function routeCall(store: Store, dialed: string, caller: { accountSid: string; app: AppSource | null } | null, numbersOnly: boolean): Promise<Route> {
  if (caller?.app) return { kind: 'app', accountSid: caller.accountSid, app: caller.app, phoneNumberSid: null, statusCallback: null };
  const number = await store.numbers.findNumberForRouting(dialed);
  if (number !== undefined) {
    if (number.account_status !== 'active') return { kind: 'refuse', status: 403, reason: 'Forbidden - Account is not ACTIVE' };
    const app = await appOf(store, number.account_sid, number);
    if (app === null) return { kind: 'refuse', status: 404, reason: 'Not Found - the number has no voice application' };
    const statusCallback = number.status_callback === null ? null : { url: number.status_callback, method: method(number.status_callback_method) };
    return { kind: 'app', accountSid: number.account_sid, app, phoneNumberSid: number.sid, statusCallback };
  }
  if (!numbersOnly) {
    const client = await store.clients.findClientByLogin(dialed);
    if (client !== undefined) {
      if (client.account_status !== 'active') return { kind: 'refuse', status: 403, reason: 'Forbidden - Account is not ACTIVE' };
      return { kind: 'dial-client', accountSid: client.account_sid, login: client.login };
    }
  }
  return { kind: 'refuse', status: 404, reason: 'Not Found' };
}
