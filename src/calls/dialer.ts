import { delay } from '../clock.js';
import type { Logger } from '../log.js';
import type { Endpoint } from '../media/media-server.js';
import type { DialOutcome, DialSpec, DialStatus, Notification } from '../rcml/call-control.js';
import type { CallParty, DialObserver } from './call-party.js';
import { branchesFor, type Branch, type TargetDeps } from './dial-targets.js';
import { launch, queueCall, type LaunchDeps, type LaunchedCall } from './outbound-launch.js';
import { newOutboundKey } from './outbound-leg.js';
import { DialBridge, type BridgeDeps } from './rooms/dial-bridge.js';
import { acceptTransfers } from './transfer/bridge-transfer.js';
import type { TargetOutcome } from './transfer/refer-handler.js';

export interface DialerDeps extends TargetDeps, BridgeDeps, LaunchDeps {}

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

/** The sipfrag line a transferor sees for a Dial that no target answered. */
function failureLine(legs: readonly LaunchedCall[], timedOut: boolean, signal: AbortSignal): TargetOutcome {
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

  const legs: LaunchedCall[] = [];
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
  const timeout = delay(deps.clock, spec.timeout * 1000);
  let winner: LaunchedCall | null = null;
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
  const chosen = winner as LaunchedCall | null;
  for (const r of legs) if (r !== chosen) r.abandon(timedOut ? 'no-answer' : 'canceled');
  if (chosen === null) {
    observer?.settled(failureLine(legs, timedOut, signal));
    return unanswered(legs, timedOut, signal);
  }
  return bridged(deps, party, chosen, spec, signal, observer);
}

function startBranch(deps: DialerDeps, party: CallParty, branch: Branch, endpoint: Endpoint, spec: DialSpec, log: Logger, observer: DialObserver | null): LaunchedCall {
  const parent = party.call;
  const noun = branch.noun;
  const queued = queueCall(deps, { accountSid: parent.accountSid, direction: 'outbound-dial', from: spec.callerId, to: branch.to, parentCallSid: parent.sid }, branch, endpoint);
  return launch(deps, queued, {
    origin: {
      numberSid: party.origin.numberSid,
      peerToPeer: party.origin.peerToPeer,
      caller: party.origin.caller,
      party: { client: noun.kind === 'client' ? noun.login : null, user: branch.to },
    },
    referredBy: party.referredBy,
    statusCallback: noun.kind !== 'conference' && noun.statusCallback !== null
      ? { url: noun.statusCallback, method: noun.statusCallbackMethod, events: noun.statusCallbackEvent }
      : null,
    ringTimeoutMs: null,
    onRinging: () => observer?.ringing(),
    log,
  });
}

function unanswered(legs: readonly LaunchedCall[], timedOut: boolean, signal: AbortSignal): DialOutcome {
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

function sipDetails(r: LaunchedCall): DialOutcome['sip'] {
  const res = r.leg.lastResponse;
  const headers: Record<string, string> = {};
  for (const [name, value] of res?.headers.entries() ?? []) if (/^x-/i.test(name)) headers[name] = value;
  return { callId: r.leg.callId, responseCode: res?.status ?? 0, headers };
}

async function bridged(deps: DialerDeps, party: CallParty, r: LaunchedCall, spec: DialSpec, signal: AbortSignal, observer: DialObserver | null): Promise<DialOutcome> {
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
