import type { Logger } from '../log.js';
import type { Endpoint } from '../media/media-server.js';
import type { CallStatus, DialOutcome, DialSpec, DialStatus, Notification } from '../rcml/call-control.js';
import type { DialEvent } from '../rcml/verbs.js';
import { newSid } from '../store/sid.js';
import { Call } from './call.js';
import type { CallOrigin, CallParty, DialObserver } from './call-party.js';
import type { CallRecords } from './call-records.js';
import type { CallRegistry } from './call-registry.js';
import { branchesFor, branchRequest, type Branch, type TargetDeps } from './dial-targets.js';
import { newOutboundKey, OutboundLeg } from './outbound-leg.js';
import type { StatusCallbacks } from './status-callbacks.js';
import type { Leg } from './leg.js';
import { DialBridge, type BridgeDeps } from './rooms/dial-bridge.js';
import { acceptTransfers } from './transfer/bridge-transfer.js';
import type { TargetOutcome } from './transfer/refer-handler.js';

export interface DialerDeps extends TargetDeps, BridgeDeps {
  readonly records: CallRecords;
  readonly registry: CallRegistry;
  readonly callbacks: StatusCallbacks;
  readonly ringbackFile: string;
  /** Prefix of every Call sid: `ID<32hex>-`. */
  readonly sidPrefix: string;
  /** Wraps a Dial leg into a live call (registry entry, control, app session on demand). */
  readonly newHandle: (call: Call, leg: Leg, origin: CallOrigin) => CallParty;
}

interface Ringing {
  readonly branch: Branch;
  readonly call: Call;
  readonly handle: CallParty;
  readonly leg: OutboundLeg;
  readonly endpoint: Endpoint;
  readonly event: (e: DialEvent) => void;
}

/** Final status of a leg from its INVITE's final response (spec voice.md 3.4). */
function failureStatus(status: number): CallStatus {
  if (status === 486 || status === 600 || status === 603) return 'busy';
  if (status === 408 || status === 480) return 'no-answer';
  return 'failed';
}

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

const sleep = (ms: number): { promise: Promise<void>; cancel: () => void } => {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
};

/** The sipfrag line a transferor sees for a Dial that no target answered. */
function failureLine(legs: readonly Ringing[], timedOut: boolean, signal: AbortSignal): TargetOutcome {
  if (signal.aborted) return { status: 487, reason: 'Request Terminated' };
  if (timedOut) return { status: 480, reason: 'Temporarily Unavailable' };
  const res = legs.map((r) => r.leg.lastResponse).find((r) => r !== null && r.status >= 300);
  return res ? { status: res.status, reason: res.reason } : { status: 480, reason: 'Temporarily Unavailable' };
}

/**
 * `<Dial>`: every branch rings in parallel with its own endpoint and CDR; the first 2xx wins and the
 * others are CANCELed; the winner is bridged to the caller (`DialBridge`, a room of two, which either
 * may transfer) until either side hangs up, `timeLimit` passes, the caller presses `*` with
 * hangupOnStar, or a transfer releases the bridge.
 */
export async function runDial(deps: DialerDeps, party: CallParty, spec: DialSpec, signal: AbortSignal, notify: (n: Notification) => void, observer: DialObserver | null): Promise<DialOutcome> {
  const log = deps.log.child({ module: 'dialer', callSid: party.call.sid });
  observer?.started();
  return dialAndBridge(deps, party, spec, signal, notify, observer, log);
}

async function dialAndBridge(deps: DialerDeps, party: CallParty, spec: DialSpec, signal: AbortSignal, notify: (n: Notification) => void, observer: DialObserver | null, log: Logger): Promise<DialOutcome> {
  const branches = await branchesFor(spec.targets, deps, notify);
  const none: DialOutcome = { status: 'failed', dialCallSid: null, callDuration: 0, ringDuration: null, recordingUrl: null, publicRecordingUrl: null, sip: null };
  if (branches.length === 0 || signal.aborted) {
    observer?.settled(signal.aborted ? { status: 487, reason: 'Request Terminated' } : { status: 404, reason: 'Not Found' });
    return signal.aborted ? { ...none, status: 'canceled' } : none;
  }

  const legs: Ringing[] = [];
  for (const branch of branches) {
    let endpoint: Endpoint;
    try {
      endpoint = await deps.media.allocate(newOutboundKey());
    } catch (err) {
      log.error({ err }, 'no media endpoint for a Dial branch');
      continue;
    }
    legs.push(startBranch(deps, party, branch, endpoint, spec, log, observer));
  }
  if (legs.length === 0) {
    observer?.settled({ status: 500, reason: 'Server Internal Error' });
    return none;
  }

  const ringback = party.endpoint.play({ file: deps.ringbackFile }, { loop: 0 });
  const timeout = sleep(spec.timeout * 1000);
  let winner: Ringing | null = null;
  let timedOut = false;
  await Promise.race([
    Promise.all(legs.map(async (r) => {
      const result = await r.leg.result;
      if (result.answered && winner === null && !signal.aborted && !timedOut) winner = r;
    })).then(() => undefined),
    new Promise<void>((resolve) => {
      for (const r of legs) void r.leg.result.then((res) => { if (res.answered) resolve(); });
    }),
    timeout.promise.then(() => { timedOut = true; }),
    aborted(signal),
  ]);
  timeout.cancel();
  ringback.stop();
  const chosen = winner as Ringing | null;
  for (const r of legs) {
    if (r === chosen) continue;
    if (!r.call.ended) r.call.setStatus(timedOut ? 'no-answer' : 'canceled');
    r.leg.hangup();
  }
  if (chosen === null) {
    observer?.settled(failureLine(legs, timedOut, signal));
    return unanswered(legs, timedOut, signal);
  }
  return bridged(deps, party, chosen, spec, signal, observer);
}

function startBranch(deps: DialerDeps, party: CallParty, branch: Branch, endpoint: Endpoint, spec: DialSpec, log: Logger, observer: DialObserver | null): Ringing {
  const parent = party.call;
  const call = new Call({
    sid: deps.sidPrefix + newSid('CA'),
    accountSid: parent.accountSid,
    direction: 'outbound-dial',
    from: spec.callerId,
    to: branch.to,
    callerName: null,
    forwardedFrom: null,
    sipHeaders: {},
    parentCallSid: parent.sid,
    phoneNumberSid: null,
    initialStatus: 'queued',
  });
  call.endpoint = endpoint;
  const noun = branch.noun;
  const event = noun.kind !== 'conference' && noun.statusCallback !== null
    ? deps.callbacks.followDialLeg(call, noun.statusCallback, noun.statusCallbackMethod, noun.statusCallbackEvent)
    : () => undefined;
  deps.records.track(call);
  const leg = new OutboundLeg(deps.stack, endpoint, branchRequest(branch, spec.callerId, call, party.referredBy), log);
  const handle = deps.newHandle(call, leg, {
    numberSid: party.origin.numberSid,
    peerToPeer: party.origin.peerToPeer,
    caller: party.origin.caller,
    party: { client: noun.kind === 'client' ? noun.login : null, user: branch.to },
  });
  deps.registry.add(handle);
  leg.onRinging(() => {
    call.setStatus('ringing');
    event('ringing');
    observer?.ringing();
  });
  void leg.result.then((res) => {
    if (res.answered) {
      call.setStatus('in-progress');
      event('answered');
    } else if (!call.ended) call.setStatus(failureStatus(res.status));
  });
  leg.onEnd(() => {
    if (!call.ended) call.setStatus(call.answeredAt === null ? 'failed' : 'completed');
  });
  call.onStatus((c) => {
    if (!c.ended) return;
    event('completed');
    endpoint.close();
    deps.registry.remove(c.sid);
  });
  leg.start().then(() => event('initiated'), (err: unknown) => {
    log.error({ err, uri: branch.requestUri }, 'Dial branch could not be sent');
    call.setStatus('failed');
  });
  return { branch, call, handle, leg, endpoint, event };
}

function unanswered(legs: readonly Ringing[], timedOut: boolean, signal: AbortSignal): DialOutcome {
  const statuses = legs.map((r) => r.call.status);
  let status: DialStatus;
  if (signal.aborted) status = 'canceled';
  else if (statuses.includes('busy')) status = 'busy';
  else if (timedOut || statuses.includes('no-answer')) status = 'no-answer';
  else status = 'failed';
  const last = legs[legs.length - 1];
  return {
    status,
    dialCallSid: last?.call.sid ?? null,
    callDuration: 0,
    ringDuration: last ? last.call.ringSeconds() : null,
    recordingUrl: null,
    publicRecordingUrl: null,
    sip: last && last.branch.sip ? sipDetails(last) : null,
  };
}

function sipDetails(r: Ringing): DialOutcome['sip'] {
  const res = r.leg.lastResponse;
  const headers: Record<string, string> = {};
  for (const [name, value] of res?.headers.entries() ?? []) if (/^x-/i.test(name)) headers[name] = value;
  return { callId: r.leg.callId, responseCode: res?.status ?? 0, headers };
}

async function bridged(deps: DialerDeps, party: CallParty, r: Ringing, spec: DialSpec, signal: AbortSignal, observer: DialObserver | null): Promise<DialOutcome> {
  const bridge = new DialBridge(deps, party, r.handle);
  const record = spec.record
    ? { store: deps.store, publicUrl: deps.config.publicUrl, accountSid: party.call.accountSid, callSid: party.call.sid }
    : undefined;
  const detach = acceptTransfers(deps, bridge);
  const held = bridge.hold({ timeLimit: spec.timeLimit, hangupOnStar: spec.hangupOnStar, ...(record ? { record } : {}) }, signal);
  observer?.settled({ status: 200, reason: 'OK' });
  await held;
  detach();
  return {
    status: 'completed',
    dialCallSid: r.call.sid,
    callDuration: r.call.talkSeconds(),
    ringDuration: r.call.ringSeconds(),
    recordingUrl: bridge.recordingUrl,
    publicRecordingUrl: bridge.recordingUrl,
    sip: r.branch.sip ? sipDetails(r) : null,
  };
}
