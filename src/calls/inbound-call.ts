import type { Logger } from '../log.js';
import type { MediaServer } from '../media/media-server.js';
import type { DialSpec } from '../rcml/call-control.js';
import { parseNameAddr } from '../sip/message/index.js';
import type { SipRequest } from '../sip/message/types.js';
import type { ServerTransaction, SipStack } from '../sip/stack-api.js';
import { newSid } from '../store/sid.js';
import { Call } from './call.js';
import type { ControlDeps } from './call-control.js';
import { CallHandle } from './call-handle.js';
import type { CallRecords } from './call-records.js';
import type { CallRegistry } from './call-registry.js';
import { InboundLeg } from './inbound-leg.js';
import type { Route } from './routing.js';
import type { StatusCallbacks } from './status-callbacks.js';

export interface InboundDeps {
  readonly stack: SipStack;
  readonly media: MediaServer;
  readonly records: CallRecords;
  readonly registry: CallRegistry;
  readonly callbacks: StatusCallbacks;
  readonly control: ControlDeps;
  readonly instanceId: string;
  readonly sidPrefix: string;
  readonly log: Logger;
}

const MEDIA_FAILURE = { status: 569, reason: 'Problem to setup services' } as const;

/** The X-* and Diversion* headers of the INVITE, sent to the app as `SipHeader_<name>`. */
function appHeaders(req: SipRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of req.headers.entries()) if (/^(x-|diversion)/i.test(name)) out[name] = value;
  return out;
}

function diversionUser(req: SipRequest): string | null {
  const d = req.headers.get('Diversion');
  if (d === undefined) return null;
  try {
    return parseNameAddr(d, 'Diversion').uri.user;
  } catch {
    return null;
  }
}

/** The system app of a non-client calling a client (spec 3.2 step 9). */
function dialClientSpec(login: string, callerId: string): DialSpec {
  return {
    targets: [{ kind: 'client', login, headers: {}, url: null, method: 'POST', statusCallback: null, statusCallbackMethod: 'POST', statusCallbackEvent: [] }],
    timeout: 30,
    timeLimit: 14_400,
    callerId,
    record: false,
    hangupOnStar: false,
  };
}

/**
 * One inbound call from the routed INVITE to its end: 180, CDR, media endpoint, then its app session
 * (the RCML app, or the internal Dial-client app); on the way out every resource is released.
 * `callerClient` is the login of the calling Client when the caller authenticated as one.
 */
export async function runInboundCall(deps: InboundDeps, req: SipRequest, tx: ServerTransaction, route: Extract<Route, { kind: 'app' | 'dial-client' }>, callerClient: string | null): Promise<void> {
  const sid = deps.sidPrefix + newSid('CA');
  const log = deps.log.child({ callSid: sid });
  const leg = new InboundLeg(deps.stack, req, tx, [['X-RestComm-AccountSid', route.accountSid], ['X-RestComm-CallSid', sid]], log);
  leg.ring();
  const call = new Call({
    sid,
    accountSid: route.accountSid,
    direction: 'inbound',
    from: req.from.uri.user ?? req.from.uri.raw,
    to: req.uri.user ?? req.to.uri.user ?? req.uri.raw,
    callerName: req.from.displayName,
    forwardedFrom: diversionUser(req),
    sipHeaders: appHeaders(req),
    parentCallSid: null,
    phoneNumberSid: route.kind === 'app' ? route.phoneNumberSid : null,
    initialStatus: 'ringing',
  });
  deps.records.track(call);
  if (route.kind === 'app' && route.statusCallback !== null) deps.callbacks.followNumber(call, route.statusCallback.url, route.statusCallback.method);
  const handle = new CallHandle(call, leg, {
    numberSid: call.phoneNumberSid,
    peerToPeer: route.kind === 'dial-client',
    caller: callerClient,
    party: { client: callerClient, user: call.from },
  }, deps.control);
  const { control } = handle;
  deps.registry.add(handle);
  leg.onEnd((how) => {
    if (call.ended) return;
    if (how === 'canceled') call.setStatus('canceled');
    else call.setStatus(call.answeredAt === null ? 'failed' : 'completed');
  });
  try {
    try {
      call.endpoint = await deps.media.allocate({ callId: req.callId, tag: tx.toTag });
      leg.endpoint = call.endpoint;
    } catch (err) {
      log.error({ err }, 'no media endpoint for an inbound call');
      call.setStatus('failed');
      leg.reject(MEDIA_FAILURE.status, MEDIA_FAILURE.reason);
      return;
    }
    if (call.ended) return;
    if (route.kind === 'app') {
      void handle.run({ kind: 'app', app: route.app });
    } else {
      const spec = dialClientSpec(route.login, call.from);
      void handle.run({
        kind: 'task',
        run: async (signal) => {
          await control.answer();
          await control.dial(spec, signal);
        },
      });
    }
    await handle.ended;
  } catch (err) {
    log.error({ err }, 'inbound call failed');
  } finally {
    if (!call.ended) {
      if (call.status === 'ringing') await control.fail({ status: 500, reason: 'Problem to setup the call' });
      else await control.hangup();
    }
    call.endpoint?.close();
    deps.registry.remove(call.sid);
  }
}
