import { delay, type Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { Endpoint } from '../media/media-server.js';
import type { CallDirection, CallStatus } from '../rcml/call-control.js';
import type { DialEvent, HttpMethod } from '../rcml/verbs.js';
import type { SipStack } from '../sip/stack-api.js';
import { newSid } from '../store/sid.js';
import { Call } from './call.js';
import type { CallOrigin, CallParty } from './call-party.js';
import type { CallRecords } from './call-records.js';
import type { CallRegistry, LiveCall } from './call-registry.js';
import { branchRequest, type Branch } from './dial-targets.js';
import type { Leg } from './leg.js';
import { OutboundLeg } from './outbound-leg.js';
import type { StatusCallbacks } from './status-callbacks.js';

export interface LaunchDeps {
  readonly stack: SipStack;
  readonly records: CallRecords;
  readonly registry: CallRegistry;
  readonly callbacks: StatusCallbacks;
  readonly clock: Clock;
  /** Prefix of every Call sid: `ID<32hex>-`. */
  readonly sidPrefix: string;
  /** Wraps a leg into a live call (control, app session on demand). */
  readonly newHandle: (call: Call, leg: Leg, origin: CallOrigin) => CallParty;
}

/** The CDR side of a call the node places: who places it and to whom. */
export interface OutboundCallInit {
  readonly accountSid: string;
  readonly direction: Extract<CallDirection, 'outbound-dial' | 'outbound-api'>;
  /** The caller id: the CDR's From and the INVITE's. */
  readonly from: string;
  /** The CDR's To. */
  readonly to: string;
  readonly parentCallSid: string | null;
}

/** A call created for one branch, its CDR being written, its INVITE not sent yet. */
export interface QueuedCall {
  readonly call: Call;
  readonly branch: Branch;
  readonly endpoint: Endpoint;
}

export interface LaunchOptions {
  readonly origin: CallOrigin;
  /** Referred-By of the INVITE (RFC 3892) when the call is a transferee's Dial; none otherwise. */
  readonly referredBy?: string | null;
  /** The requested call progress events go to `url`; null for none. */
  readonly statusCallback: { readonly url: string; readonly method: HttpMethod; readonly events: readonly DialEvent[] } | null;
  /**
   * Milliseconds of ringing before the call is given up `no-answer` (on the clock); null when the caller
   * times it out itself (a Dial rings all its branches against one timeout).
   */
  readonly ringTimeoutMs: number | null;
  /** What the registry holds for the call; the handle itself by default. */
  readonly live?: (handle: CallParty) => LiveCall;
  /** A 180 or 183 came in; the call is `ringing` already. */
  readonly onRinging?: () => void;
  /** The far end answered; the call is `in-progress` already. */
  readonly onAnswered?: (handle: CallParty) => void;
  readonly log: Logger;
}

/** A leg on its way: ringing, answered or ended, as its call's status says. */
export interface LaunchedCall extends QueuedCall {
  readonly leg: OutboundLeg;
  readonly handle: CallParty;
  /** Gives up on the call (CANCEL when still unanswered) with `status` unless it has ended already. */
  abandon(status: 'no-answer' | 'canceled'): void;
}

/** Final status of a call from its INVITE's final non-2xx response (spec voice.md 3.4). */
export function failureStatus(status: number): CallStatus {
  if (status === 486 || status === 600 || status === 603) return 'busy';
  if (status === 408 || status === 480) return 'no-answer';
  return 'failed';
}

/** A `queued` Call to `branch` on `endpoint`, its CDR tracked from now on. */
export function queueCall(deps: LaunchDeps, init: OutboundCallInit, branch: Branch, endpoint: Endpoint): QueuedCall {
  const call = new Call({
    sid: deps.sidPrefix + newSid('CA'),
    accountSid: init.accountSid,
    direction: init.direction,
    from: init.from,
    to: init.to,
    callerName: null,
    forwardedFrom: null,
    sipHeaders: {},
    parentCallSid: init.parentCallSid,
    phoneNumberSid: null,
    initialStatus: 'queued',
  });
  call.endpoint = endpoint;
  deps.records.track(call);
  return { call, branch, endpoint };
}

/**
 * Sends the INVITE of a queued call and keeps the call in step with it: `ringing` on 180/183,
 * `in-progress` on the answer, the final status from the failure response (`failureStatus`), the
 * status callbacks, the registry entry, and the endpoint closed once the call ended.
 */
export function launch(deps: LaunchDeps, queued: QueuedCall, opts: LaunchOptions): LaunchedCall {
  const { call, branch, endpoint } = queued;
  const sc = opts.statusCallback;
  const event = sc === null ? () => undefined : deps.callbacks.followDialLeg(call, sc.url, sc.method, sc.events);
  const leg = new OutboundLeg(deps.stack, endpoint, branchRequest(branch, call.from, call, opts.referredBy ?? null), opts.log);
  const handle = deps.newHandle(call, leg, opts.origin);
  deps.registry.add(opts.live?.(handle) ?? handle);
  const abandon = (status: 'no-answer' | 'canceled'): void => {
    if (!call.ended) call.setStatus(status);
    leg.hangup();
  };
  const ring = opts.ringTimeoutMs === null ? null : delay(deps.clock, opts.ringTimeoutMs);
  void ring?.promise.then(() => {
    if (!call.ended && call.answeredAt === null) abandon('no-answer');
  });
  call.onStatus((c) => {
    if (!c.ended) return;
    ring?.cancel();
    event('completed');
    endpoint.close();
    deps.registry.remove(c.sid);
  });
  leg.onRinging(() => {
    call.setStatus('ringing');
    event('ringing');
    opts.onRinging?.();
  });
  leg.onEnd(() => {
    if (!call.ended) call.setStatus(call.answeredAt === null ? 'failed' : 'completed');
  });
  void leg.result.then((res) => {
    if (!res.answered) {
      if (!call.ended) call.setStatus(failureStatus(res.status));
      return;
    }
    if (call.ended) return;
    call.setStatus('in-progress');
    event('answered');
    opts.onAnswered?.(handle);
  });
  leg.start().then(() => event('initiated'), (err: unknown) => {
    opts.log.error({ err, uri: branch.requestUri }, 'INVITE could not be sent');
    call.setStatus('failed');
  });
  return { ...queued, leg, handle, abandon };
}
