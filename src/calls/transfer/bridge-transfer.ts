import type { DialSpec, DialTarget } from '../../rcml/call-control.js';
import { formatNameAddr } from '../../sip/message/index.js';
import type { CallParty } from '../call-party.js';
import type { ReferHandler } from '../usages/call-usages.js';
import { DialBridge, type BridgeDeps } from '../rooms/dial-bridge.js';
import { transferEventSender } from '../status-callbacks.js';
import type { ReferApp } from './refer-app.js';
import { handleRefer, type TargetOutcome, type TransferCall, type TransferHost } from './refer-handler.js';
import type { ReferRequest } from './refer-request.js';
import type { TransferEvent } from './transfer-event.js';

/** A transfer of this many seconds is as long as a Dial may last (spec voice.md `timeLimit` default). */
const TIME_LIMIT = 14_400;
/** How long a directly dialled Refer-To target (peer-to-peer transfer) rings. */
const DIRECT_TIMEOUT = 30;

const NO_CALLBACKS = { url: null, method: 'POST', statusCallback: null, statusCallbackMethod: 'POST', statusCallbackEvent: [] } as const;

/** An activity that keeps the call up doing nothing until it is replaced or the call ends. */
const PARKED = {
  kind: 'task',
  run: (signal: AbortSignal) => new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  }),
} as const;

/**
 * While `bridge` lasts, a REFER from either of its calls is a blind transfer of the other one: set by
 * whoever bridged them (a Dial, a transfer's reconnect), not by the bridge. Returns the detach, which
 * leaves a call alone when another bridge has set its handler since.
 */
export function acceptTransfers(deps: BridgeDeps, bridge: DialBridge): () => void {
  const log = deps.log.child({ module: 'bridge', callSid: bridge.caller.call.sid, calleeSid: bridge.callee.call.sid });
  const attached = [bridge.caller, bridge.callee].map((referrer) => {
    const handler: ReferHandler = (dialog, req, tx) => {
      const host = new BridgeTransfer(deps, bridge, referrer);
      handleRefer({ store: deps.store, log, clock: deps.clock }, dialog, req, tx, host).catch((err: unknown) => log.error({ err }, 'transfer failed'));
    };
    referrer.leg.referHandler = handler;
    return { referrer, handler };
  });
  return () => {
    for (const { referrer, handler } of attached) if (referrer.leg.referHandler === handler) referrer.leg.referHandler = null;
  };
}

/**
 * The `TransferHost` of a Dial bridge for the leg that sent the REFER (the transferor); the other
 * leg is the transferee, whichever side of the Dial each is. The transferee's app session is handed
 * the refer app; the transferor's session (if it has one) waits, parked, for the outcome.
 */
export class BridgeTransfer implements TransferHost {
  private readonly transferee: CallParty;
  private reconnected = false;
  /** The transfer's events, one after the other: each waits for the previous callback request. */
  private reports: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: BridgeDeps,
    private readonly bridge: DialBridge,
    private readonly transferor: CallParty,
  ) {
    this.transferee = bridge.caller === transferor ? bridge.callee : bridge.caller;
  }

  describe(): TransferCall | null {
    if (!this.bridge.bridged || this.bridge.transferring) return null;
    const { transferor, transferee } = this;
    return {
      accountSid: transferee.call.accountSid,
      transferorCallSid: transferor.call.sid,
      transfereeCallSid: transferee.call.sid,
      phoneNumberSid: transferee.origin.numberSid ?? transferor.origin.numberSid,
      peerToPeer: transferee.origin.peerToPeer && transferor.origin.peerToPeer,
      callerClient: this.bridge.caller.origin.caller,
      transferor: transferor.origin.party,
      transferee: transferee.origin.party,
    };
  }

  async runReferApp(app: Exclude<ReferApp, { kind: 'refused' }>, parameters: Record<string, string>, refer: ReferRequest, progress: (status: number, reason: string) => void): Promise<TargetOutcome> {
    this.bridge.transferring = true;
    // Both calls are out of the room from here: the transferee's next room is the refer app's.
    const released = this.bridge.release();
    // Synchronously, before the released Dial resolves: its caller's app must not go on to the Dial action.
    if (this.transferor.session !== null) void this.transferor.run(PARKED);
    const transferee = this.transferee;
    const activity = app.kind === 'rcml'
      ? { kind: 'app' as const, app: { url: app.url, method: app.method, fallback: null }, extraParameters: parameters }
      : { kind: 'task' as const, run: async (signal: AbortSignal) => { await transferee.control.dial(await this.directDial(refer), signal); } };
    await released;
    if (transferee.call.ended) return { status: 487, reason: 'Request Terminated', transfereeEnded: true };
    // Every INVITE the refer app's Dials send carries it, without `cid`: that points at a signed body
    // (the RFC 3892 Referred-By token), which is not passed on.
    if (refer.referredBy !== undefined) {
      const params = new Map(refer.referredBy.params);
      params.delete('cid');
      transferee.referredBy = formatNameAddr({ ...refer.referredBy, params });
    }
    // The transferee hears ringback from now on, not silence, until the refer app's Dial rings its own.
    const ringback = transferee.endpoint.play({ file: this.deps.ringbackFile }, { loop: 0 });
    return new Promise<TargetOutcome>((resolve) => {
      let settled = false;
      const finish = (outcome: TargetOutcome): void => {
        if (settled) return;
        settled = true;
        ringback.stop();
        unwatch();
        // Synchronously, before the refer app reads its Dial's outcome: with the transferor still there
        // its remaining RCML is dropped (RFC 5589 6.3), else it decides what happens to the transferee.
        if (outcome.status >= 300 && !this.transferor.call.ended) this.reconnect();
        // The refer app's Dial has just bridged the transferee: the other member of its room is the target.
        const target = transferee.room?.members.find((m) => m !== transferee);
        resolve({
          ...outcome,
          ...(outcome.status < 300 && target !== undefined ? { targetCallSid: target.call.sid } : {}),
          ...(transferee.call.ended ? { transfereeEnded: true } : {}),
        });
      };
      const unwatch = transferee.control.watchNextDial({
        started: () => ringback.stop(),
        ringing: () => progress(180, 'Ringing'),
        settled: finish,
      });
      void transferee.run(activity).then(() => {
        // Every Dial of the refer app named the transferor (its action's too); later apps do not.
        transferee.referredBy = null;
        finish(transferee.call.ended ? { status: 487, reason: 'Request Terminated' } : { status: 603, reason: 'Decline' });
      });
    });
  }

  reconnect(): void {
    const { deps, transferee, transferor } = this;
    if (this.reconnected || transferee.call.ended || transferor.call.ended) return;
    this.reconnected = true;
    // RFC 5589 6.3: the refer app is dropped and the two parties talk again, as a bridge with no app
    // (which may be transferred again).
    void transferee.run({
      kind: 'task',
      run: async (signal) => {
        const bridge = new DialBridge(deps, transferee, transferor);
        const detach = acceptTransfers(deps, bridge);
        await bridge.hold({ timeLimit: TIME_LIMIT, hangupOnStar: false }, signal);
        detach();
      },
    });
  }

  hangupTransferor(): void {
    this.transferor.hangup();
  }

  notify(n: { code: number; log: 0 | 1; message: string }): void {
    this.transferor.control.notify(n);
  }

  /** To the status callback of the number the original call arrived on (whichever leg that is), if it has one. */
  report(event: TransferEvent): void {
    const send = transferEventSender(this.transferee.call) ?? transferEventSender(this.transferor.call);
    if (send === undefined) return;
    const transferee = this.transferee.call;
    this.reports = this.reports.then(() => send(transferee, event));
  }

  /** Peer-to-peer transfer: the Refer-To target dialled as `<Dial>` would (a client of the account, a number, or the SIP URI). */
  private async directDial(refer: ReferRequest): Promise<DialSpec> {
    const user = refer.target.user;
    let target: DialTarget;
    if (refer.target.scheme === 'tel' && user !== null) target = { kind: 'number', number: user, headers: {}, sendDigits: null, ...NO_CALLBACKS };
    else {
      const client = user === null ? undefined : await this.deps.store.clients.findClientByLogin(user);
      target = client !== undefined && client.account_sid === this.transferee.call.accountSid
        ? { kind: 'client', login: client.login, headers: {}, ...NO_CALLBACKS }
        : { kind: 'sip', uri: refer.dialUri, headers: {}, username: null, password: null, ...NO_CALLBACKS };
    }
    return { targets: [target], timeout: DIRECT_TIMEOUT, timeLimit: TIME_LIMIT, callerId: this.transferee.call.from, record: false, hangupOnStar: false };
  }
}
