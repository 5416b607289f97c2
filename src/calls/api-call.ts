import type { Logger } from '../log.js';
import type { Endpoint } from '../media/media-server.js';
import type { CallStatus, DialTarget, Notification } from '../rcml/call-control.js';
import type { DialEvent, HttpMethod } from '../rcml/verbs.js';
import type { CallRecord } from '../store/calls.js';
import type { AppTarget } from './call-registry.js';
import { branchesFor } from './dial-targets.js';
import type { DialerDeps } from './dialer.js';
import { launch, queueCall, type QueuedCall } from './outbound-launch.js';
import { newOutboundKey } from './outbound-leg.js';

/** A call the REST API asks for (`POST /Calls`, spec rest-api.md §2.5). */
export interface OriginateParams {
  readonly accountSid: string;
  readonly from: string;
  /** `client:alice`, a SIP URI (anything with `@`), or a number; `?Name=value&...` adds SIP headers. */
  readonly to: string;
  readonly url: string;
  readonly method: HttpMethod;
  readonly fallback: AppTarget['fallback'];
  readonly statusCallback: { readonly url: string; readonly method: HttpMethod } | null;
  readonly timeoutSeconds: number;
  readonly credentials: { readonly username: string; readonly password: string } | null;
}

export type OriginateOutcome = { readonly ok: true; readonly record: CallRecord } | { readonly ok: false; readonly message: string };

/** Live call modification (spec voice.md §3.5); the first field present is acted on. */
export interface CallChange {
  readonly status?: 'canceled' | 'completed';
  readonly redirect?: AppTarget;
  readonly mute?: boolean;
}

export type ChangeOutcome = 'applied' | 'not-live';

export interface ApiCallDeps {
  readonly dialer: DialerDeps;
  readonly log: Logger;
}

/** Restcomm always sends all four when a StatusCallback is set (the requested events only add to them). */
const ALL_EVENTS: readonly DialEvent[] = ['initiated', 'ringing', 'answered', 'completed'];
const UNANSWERED: ReadonlySet<CallStatus> = new Set(['queued', 'ringing']);

/** `Name=value&...` after the `?` of To; names are taken as written (Restcomm passes them through). */
function customHeaders(query: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    const name = (eq === -1 ? pair : pair.slice(0, eq)).trim();
    const value = eq === -1 ? '' : decoded(pair.slice(eq + 1));
    // A decoded CR or LF would end the header line and let the caller write its own SIP headers.
    if (/^[A-Za-z0-9!%'*+.^_`|~-]+$/.test(name) && !/[\x00-\x1f\x7f]/.test(value)) out[name] = value;
  }
  return out;
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

const NO_CALLBACKS = { url: null, method: 'POST', statusCallback: null, statusCallbackMethod: 'POST', statusCallbackEvent: [] } as const;

/** Spec §2.5: the form of `To` decides the target: `@` → SIP URI, `client…` → a Client, else a number. */
export function targetOf(to: string, credentials: OriginateParams['credentials']): { target: DialTarget; to: string } {
  const q = to.indexOf('?');
  const bare = (q === -1 ? to : to.slice(0, q)).trim();
  const headers = q === -1 ? {} : customHeaders(to.slice(q + 1));
  if (bare.includes('@')) {
    const uri = /^sips?:/i.test(bare) ? bare : `sip:${bare}`;
    return { to: bare, target: { kind: 'sip', uri, headers, username: credentials?.username ?? null, password: credentials?.password ?? null, ...NO_CALLBACKS } };
  }
  if (bare.toLowerCase().startsWith('client')) {
    const login = bare.slice(bare.indexOf(':') + 1);
    return { to: bare, target: { kind: 'client', login, headers, ...NO_CALLBACKS } };
  }
  return { to: bare, target: { kind: 'number', number: bare, headers, sendDigits: null, ...NO_CALLBACKS } };
}

/**
 * Calls placed by the REST API: one outbound leg per request (a CDR with direction `outbound-api`,
 * status callbacks 0..3), the app's RCML run on it once answered, and live modification of any call
 * in the registry.
 */
export function createApiCalls(deps: ApiCallDeps): { originate(p: OriginateParams): Promise<OriginateOutcome>; modify(sid: string, change: CallChange): Promise<ChangeOutcome> } {
  const { dialer } = deps;
  const log = deps.log.child({ module: 'api-call' });

  async function originate(p: OriginateParams): Promise<OriginateOutcome> {
    const { target, to } = targetOf(p.to, p.credentials);
    const problems: Notification[] = [];
    const branches = await branchesFor([target], dialer, (n) => problems.push(n));
    // A Client registered several times is rung at its first binding only (one CDR per API call).
    const branch = branches[0];
    if (branch === undefined) return { ok: false, message: problems[0]?.message ?? `To "${p.to}" cannot be reached` };
    let endpoint: Endpoint;
    try {
      endpoint = await dialer.media.allocate(newOutboundKey());
    } catch (err) {
      log.error({ err }, 'no media endpoint for an API call');
      return { ok: false, message: 'No media endpoint is available for a new call' };
    }
    const queued = queueCall(dialer, { accountSid: p.accountSid, direction: 'outbound-api', from: p.from, to, parentCallSid: null }, branch, endpoint);
    await dialer.records.flush();
    const record = await dialer.store.calls.findBySid(queued.call.sid);
    if (record === undefined) {
      endpoint.close();
      return { ok: false, message: 'The call record could not be written' };
    }
    start(queued, target, p);
    return { ok: true, record };
  }

  /** Rings the call; the app runs on it once answered. */
  function start(queued: QueuedCall, target: DialTarget, p: OriginateParams): void {
    const { call } = queued;
    let app: AppTarget = { url: p.url, method: p.method, fallback: p.fallback };
    launch(dialer, queued, {
      origin: { numberSid: null, peerToPeer: false, caller: null, party: { client: target.kind === 'client' ? target.login : null, user: call.to } },
      statusCallback: p.statusCallback === null ? null : { ...p.statusCallback, events: ALL_EVENTS },
      ringTimeoutMs: p.timeoutSeconds * 1000,
      live: (handle) => ({
        call,
        hangup: () => handle.hangup(),
        mute: (muted) => handle.mute(muted),
        // Before the answer there is nothing to stop: the new app simply replaces the one to run.
        redirect: (next) => {
          if (UNANSWERED.has(call.status)) app = next;
          else handle.redirect(next);
        },
      }),
      onAnswered: (handle) => void handle.run({ kind: 'app', app }),
      log: log.child({ callSid: call.sid }),
    });
  }

  async function modify(sid: string, change: CallChange): Promise<ChangeOutcome> {
    const entry = dialer.registry.get(sid);
    if (entry === undefined || entry.call.ended) return 'not-live';
    if (change.status === 'completed') {
      entry.hangup();
      return 'applied';
    }
    if (change.status === 'canceled') {
      // Restcomm leaves calls past ringing alone here; `completed` is the way to end them.
      if (UNANSWERED.has(entry.call.status)) entry.hangup();
      return 'applied';
    }
    if (change.redirect !== undefined) {
      entry.redirect(change.redirect);
      return 'applied';
    }
    if (change.mute !== undefined && entry.call.status === 'in-progress') {
      await entry.mute(change.mute);
      await dialer.store.calls.update(sid, { muted: change.mute ? 1 : 0, date_updated: new Date().toISOString() });
    }
    return 'applied';
  }

  return { originate, modify };
}
