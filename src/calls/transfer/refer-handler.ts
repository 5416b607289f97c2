import type { Logger } from '../../log.js';
import type { SipRequest } from '../../sip/message/index.js';
import type { Dialog, ServerTransaction } from '../../sip/stack-api.js';
import type { Store } from '../../store/store.js';
import { partyName, referParameters, resolveReferApp, type LegIdentity, type ReferApp } from './refer-app.js';
import { readReferRequest, type ReferRequest } from './refer-request.js';
import { ReferSubscription } from './refer-subscription.js';

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
}

export interface ReferHandlerDeps {
  readonly store: Pick<Store, 'numbers' | 'applications' | 'clients' | 'accounts' | 'refers'>;
  readonly log: Logger;
  /**
   * After a successful final NOTIFY, how long the transferor gets to send its own BYE (RFC 5589 6.1 has
   * the transferor hang up; linphone, baresip and most desk phones do) before Dialtone sends one;
   * default 2000 ms. Avoids crossing BYEs.
   */
  readonly transferorByeGraceMs?: number;
}

/** Resolves when the dialog ends or `ms` passed; true when it ended. */
function endedWithin(dialog: Dialog, ms: number): Promise<boolean> {
  if (dialog.state === 'terminated') return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    dialog.onTerminated(() => {
      clearTimeout(timer);
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
    await logged(log, deps.store.refers.create({ ...base, status: 'failed', failureReason: `${app.status} ${app.notification.message}` }));
    return;
  }
  const sub = ReferSubscription.accept({ dialog, tx, referSub: refer.referSub, log });
  const row = logged(log, deps.store.refers.create({
    ...base,
    status: 'in-progress',
    referUrl: app.kind === 'rcml' ? app.referUrl : null,
    referMethod: app.kind === 'rcml' ? app.method : null,
    referApplicationSid: app.kind === 'rcml' ? app.referApplicationSid : null,
  }));
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
  if (succeeded && transferorUp && !(await endedWithin(dialog, deps.transferorByeGraceMs ?? 2000))) host.hangupTransferor();
  if (!succeeded && transferorUp) host.reconnect();
  const change = {
    status: succeeded ? ('completed' as const) : ('failed' as const),
    notifyStatus: end.lastSentStatus,
    failureReason: succeeded ? null : `${outcome.status} ${outcome.reason}${transferorUp ? '; transferee reconnected to the transferor' : ''}`,
  };
  const created = await row;
  if (created !== null) await logged(log, deps.store.refers.update(created.sid, change));
}
