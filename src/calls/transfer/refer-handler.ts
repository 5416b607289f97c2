import { delay, type Clock } from '../../clock.js';
import type { Logger } from '../../log.js';
import type { SipRequest } from '../../sip/message/index.js';
import type { Dialog, ServerTransaction } from '../../sip/stack-api.js';
import type { Refer } from '../../store/refers.js';
import type { Store } from '../../store/store.js';
import { partyName, referParameters, resolveReferApp, type LegIdentity, type ReferApp } from './refer-app.js';
import { readReferRequest, type ReferRequest } from './refer-request.js';
import { ReferSubscription } from './refer-subscription.js';
import type { TransferEvent } from './transfer-event.js';

/** The call a REFER arrived on, as the call layer describes it. */
export interface TransferCall {
  readonly accountSid: string;
  /** The referring leg's call (Bob). */
  readonly transferorCallSid: string;
  /** The other leg's call (Alice): the one handed to the refer app. */
  readonly transfereeCallSid: string;
  /** Number the original inbound call arrived on; null when none. */
  readonly phoneNumberSid: string | null;
  readonly peerToPeer: boolean;
  /** Peer-to-peer: the client that placed the call, whose (or whose account's) refer app is used. */
  readonly callerClient?: string | null;
  readonly transferor: LegIdentity;
  readonly transferee: LegIdentity;
}

/** How the transfer target ended up: `200 OK` once the transferee talks to it, else the failure line. */
export interface TargetOutcome {
  readonly status: number;
  readonly reason: string;
  /** The leg bridged to the transferee, on success. */
  readonly targetCallSid?: string;
  /** The transferee hung up before the outcome: nobody is reconnected. */
  readonly transfereeEnded?: boolean;
}

/**
 * What the call layer does for a transfer; everything SIP-facing (validation, 202, NOTIFYs, the Refers
 * log, refusals) stays in `handleRefer`.
 */
export interface TransferHost {
  /** The call, or null when this call may not be transferred (a 403). */
  describe(): TransferCall | null;
  /**
   * Detaches the transferee from its current app without hanging it up and starts `app` on it with the
   * standard parameters plus `parameters`. Reports the target's provisional responses through
   * `progress` and resolves with the target's outcome; the app keeps running after that (its Dial action).
   */
  runReferApp(app: Exclude<ReferApp, { kind: 'refused' }>, parameters: Record<string, string>, refer: ReferRequest, progress: (status: number, reason: string) => void): Promise<TargetOutcome>;
  /** RFC 5589 6.3: the target failed while the transferor is still there: drop the refer app and bridge the transferee back to it. */
  reconnect(): void;
  /** Ends the transferor's leg with BYE (after the final NOTIFY was answered). */
  hangupTransferor(): void;
  /** Stores a Notification for the transferor's call. */
  notify(n: { code: number; log: 0 | 1; message: string }): void;
  /** Reports a state change of the transfer (the number's status callback); events arrive in order. */
  report?(event: TransferEvent): void;
}

export interface ReferHandlerDeps {
  readonly store: Pick<Store, 'numbers' | 'applications' | 'clients' | 'accounts' | 'refers'>;
  readonly log: Logger;
  /** The subscription's timers and the transferor's BYE grace run on it. */
  readonly clock: Clock;
  /**
   * After a successful final NOTIFY, how long the transferor gets to send its own BYE (RFC 5589 6.1 has
   * the transferor hang up; linphone, baresip and most desk phones do) before Dialtone sends one;
   * default 2000 ms. Avoids crossing BYEs.
   */
  readonly transferorByeGraceMs?: number;
}

/**
 * Calls with a transfer under way, claimed synchronously when a REFER is accepted for checking: the refer
 * application lookup is asynchronous, and two REFERs in that window (one per leg, or two from one phone)
 * would otherwise both hand the transferee to a refer app.
 */
const transferring = new Set<string>();

/** Resolves when the dialog ends or `ms` passed on `clock`; true when it ended. */
function endedWithin(dialog: Dialog, ms: number, clock: Clock): Promise<boolean> {
  if (dialog.state === 'terminated') return Promise.resolve(true);
  const wait = delay(clock, ms);
  return new Promise((resolve) => {
    void wait.promise.then(() => resolve(false));
    dialog.onTerminated(() => {
      wait.cancel();
      resolve(true);
    });
  });
}

/** Refers log writes must never break the call; a failed one is logged and dropped. */
async function logged<T>(log: Logger, p: Promise<T>): Promise<T | null> {
  try {
    return await p;
  } catch (err) {
    log.error({ err }, 'Refers log write failed');
    return null;
  }
}

/**
 * Handles a REFER received in `dialog` (the transferor's leg), RFC 5589 flow 6.1: 400 for a bad
 * Refer-To, 403 for a call that may not be transferred, 404 with a Reason when no refer application is
 * configured; otherwise 202 at once, the NOTIFY sequence while the refer app reaches the target, BYE to
 * the transferor once the final NOTIFY is answered (if it did not hang up itself meanwhile), or the
 * transferee back to the transferor (6.3).
 * Resolves when the transfer attempt is settled.
 */
export async function handleRefer(deps: ReferHandlerDeps, dialog: Dialog, req: SipRequest, tx: ServerTransaction, host: TransferHost): Promise<void> {
  const log = deps.log.child({ module: 'transfer', callId: dialog.id.callId });
  const reading = readReferRequest(req);
  if (reading.kind === 'refused') {
    tx.respond(reading.refusal.status, reading.refusal.reason, { headers: [['Event', 'refer']] });
    return;
  }
  const { refer } = reading;
  const call = host.describe();
  if (call === null) {
    tx.respond(403, 'Forbidden - This call may not be transferred', { headers: [['Event', 'refer']] });
    return;
  }
  const sids = [call.transferorCallSid, call.transfereeCallSid];
  if (sids.some((sid) => transferring.has(sid))) {
    tx.respond(403, 'Forbidden - A transfer of this call is already in progress', { headers: [['Event', 'refer']] });
    return;
  }
  for (const sid of sids) transferring.add(sid);
  const release = (): void => {
    for (const sid of sids) transferring.delete(sid);
  };
  try {
    await transfer(deps, log, dialog, tx, host, call, refer, release);
  } finally {
    release();
  }
}

/** The accepted part of `handleRefer`; `release` lets the calls be transferred again once the outcome is known. */
async function transfer(deps: ReferHandlerDeps, log: Logger, dialog: Dialog, tx: ServerTransaction, host: TransferHost, call: TransferCall, refer: ReferRequest, release: () => void): Promise<void> {
  const base = {
    accountSid: call.accountSid,
    callSid: call.transfereeCallSid,
    transferorCallSid: call.transferorCallSid,
    transferor: partyName(call.transferor),
    transferee: partyName(call.transferee),
    referTarget: refer.referTarget,
  };
  let app: ReferApp;
  try {
    app = await resolveReferApp(deps.store, call);
  } catch (err) {
    log.error({ err }, 'refer application lookup failed');
    tx.respond(500, 'Server Internal Error - Refer application lookup failed', { headers: [['Event', 'refer'], ['Retry-After', '5']] });
    return;
  }
  if (app.kind === 'refused') {
    tx.respond(app.status, app.reasonPhrase, { headers: [['Event', 'refer'], ['Reason', app.reasonHeader]] });
    host.notify(app.notification);
    const refused = await logged(log, deps.store.refers.create({ ...base, status: 'failed', failureReason: `${app.status} ${app.notification.message}` }));
    if (refused !== null) host.report?.(event(refused, { status: 'failed', notifyStatus: null, failureReason: refused.failure_reason }));
    return;
  }
  const sub = ReferSubscription.accept({ dialog, tx, referSub: refer.referSub, log, clock: deps.clock });
  const row = logged(log, deps.store.refers.create({
    ...base,
    status: 'in-progress',
    referUrl: app.kind === 'rcml' ? app.referUrl : null,
    referMethod: app.kind === 'rcml' ? app.method : null,
    referApplicationSid: app.kind === 'rcml' ? app.referApplicationSid : null,
  }));
  void row.then((created) => {
    if (created !== null) host.report?.(event(created, { status: 'in-progress', notifyStatus: null, failureReason: null }));
  });
  let outcome: TargetOutcome;
  try {
    outcome = await host.runReferApp(app, referParameters(call.transferor, call.transferee, refer), refer, (status, reason) => sub.progress(status, reason));
  } catch (err) {
    log.error({ err }, 'refer app failed to start');
    outcome = { status: 500, reason: 'Server Internal Error' };
  }
  const end = await sub.finish(outcome.status, outcome.reason);
  const succeeded = outcome.status >= 200 && outcome.status < 300;
  const transferorUp = dialog.state !== 'terminated';
  const reconnected = !succeeded && transferorUp && outcome.transfereeEnded !== true;
  if (reconnected) host.reconnect();
  release();
  // The transferee left before the outcome: the transferor would be left on a call to nobody.
  if (!succeeded && transferorUp && !reconnected) host.hangupTransferor();
  if (succeeded && transferorUp && !(await endedWithin(dialog, deps.transferorByeGraceMs ?? 2000, deps.clock))) host.hangupTransferor();
  const change = {
    status: succeeded ? ('completed' as const) : ('failed' as const),
    notifyStatus: end.lastSentStatus,
    failureReason: succeeded ? null : `${outcome.status} ${outcome.reason}${reconnected ? '; transferee reconnected to the transferor' : ''}`,
  };
  const created = await row;
  if (created === null) return;
  await logged(log, deps.store.refers.update(created.sid, change));
  host.report?.(event(created, { ...change, targetCallSid: outcome.targetCallSid ?? null }));
}

/** A transfer event for the Refers entry `row` in the state `change`. */
function event(row: Refer, change: Pick<TransferEvent, 'status' | 'notifyStatus' | 'failureReason'> & { readonly targetCallSid?: string | null }): TransferEvent {
  return {
    referSid: row.sid,
    transferor: row.transferor ?? '',
    transferee: row.transferee ?? '',
    referTarget: row.refer_target ?? '',
    transferorCallSid: row.transferor_call_sid ?? '',
    targetCallSid: null,
    ...change,
  };
}
