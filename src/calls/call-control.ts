import { pause } from '../clock.js';
import type { Logger } from '../log.js';
import type { Endpoint } from '../media/media-server.js';
import { SdpNegotiationError } from '../media/media-server.js';
import type {
  CallControl,
  CallFailure,
  CallInfo,
  DialOutcome,
  DialSpec,
  GatherOutcome,
  GatherSpec,
  Notification,
  RecordOutcome,
  RecordSpec,
  ReferOutcome,
  ReferTarget,
  SayOptions,
} from '../rcml/call-control.js';
import type { Store } from '../store/store.js';
import type { AppFetchPolicy } from './app-url.js';
import type { CallParty, DialObserver, PartyControl } from './call-party.js';
import { runDial, type DialerDeps } from './dialer.js';
import { gatherOn, playOn, recordOn, sayOn } from './media-verbs.js';

export interface ControlDeps {
  readonly dialer: DialerDeps;
  readonly store: Store;
  readonly publicUrl: string;
  readonly instanceId: string;
  /** How apps are reached: relative URLs against the node, extra headers for the node's own designer. */
  readonly appFetch: AppFetchPolicy;
  readonly log: Logger;
}

/** How long `<Refer>` waits for the final NOTIFY once the REFER was accepted. */
const REFER_TIMEOUT_MS = 60_000;

/** Spec 3.5: the media engine failing on an inbound call. */
const MEDIA_FAILURE = { status: 569, reason: 'Problem to setup services' } as const;

/**
 * The RCML interpreter's view of a call, whichever side placed it: SIP through the call's `Leg` (an
 * inbound leg answers and rejects; on a leg we placed, answered by the far end, answering is a no-op and
 * every way of ending it is a BYE), media through the call's endpoint, state on the Call. Status
 * changes happen here, so CDRs follow from one place.
 */
export class CallLegControl implements CallControl, PartyControl {
  private readonly log: Logger;
  private readonly dialWatchers: DialObserver[] = [];

  constructor(
    private readonly handle: CallParty,
    private readonly deps: ControlDeps,
  ) {
    this.log = deps.log.child({ module: 'call-control', callSid: handle.call.sid });
  }

  private get call(): CallParty['call'] {
    return this.handle.call;
  }

  private get endpoint(): Endpoint {
    const ep = this.call.endpoint;
    if (ep === null) throw new Error(`call ${this.call.sid} has no media endpoint`);
    return ep;
  }

  info(): CallInfo {
    return this.call.info();
  }

  async answer(): Promise<void> {
    const { leg } = this.handle;
    // Only an inbound call is answered by us; a ringing call we placed waits for the far end.
    if (this.call.direction !== 'inbound' || this.call.status !== 'ringing' || leg.ended !== null) return;
    try {
      await leg.answer(this.endpoint);
    } catch (err) {
      if (!(err instanceof SdpNegotiationError)) {
        this.log.error({ err }, 'answer failed');
        leg.reject(MEDIA_FAILURE.status, MEDIA_FAILURE.reason);
      }
      this.call.setStatus('failed');
      return;
    }
    this.call.setStatus('in-progress');
  }

  async reject(reason: 'busy' | 'rejected'): Promise<void> {
    if (this.call.status !== 'ringing') return this.hangup();
    this.call.setStatus('busy');
    if (reason === 'busy') this.handle.leg.reject(486, 'Busy Here');
    else this.handle.leg.reject(603, 'Decline');
  }

  async hangup(): Promise<void> {
    if (this.call.ended) return;
    this.call.setStatus(this.call.status === 'in-progress' ? 'completed' : 'canceled');
    this.handle.leg.hangup();
  }

  async fail(failure: CallFailure): Promise<void> {
    if (this.call.status !== 'ringing') return this.hangup();
    this.call.setStatus('failed');
    this.handle.leg.reject(failure.status, failure.status === 404 ? 'Not Found' : 'Server Internal Error', [['Reason', `SIP;cause=${failure.status};text="${failure.reason}"`]]);
  }

  /** The next `<Dial>` on this call reports its progress to `observer` (a transfer following its target). */
  watchNextDial(observer: DialObserver): () => void {
    this.dialWatchers.push(observer);
    return () => {
      const i = this.dialWatchers.indexOf(observer);
      if (i >= 0) this.dialWatchers.splice(i, 1);
    };
  }

  dial(spec: DialSpec, signal: AbortSignal): Promise<DialOutcome> {
    return runDial(this.deps.dialer, this.handle, spec, signal, (n) => this.notify(n), this.dialWatchers.shift() ?? null);
  }

  play(url: string, loop: number, signal: AbortSignal): Promise<void> {
    return playOn(this.endpoint, url, loop, signal, (n) => this.notify(n));
  }

  async sendDigits(digits: string, signal: AbortSignal): Promise<void> {
    if (!signal.aborted) await this.endpoint.sendDigits(digits);
  }

  say(text: string, options: SayOptions, signal: AbortSignal): Promise<void> {
    return sayOn(this.endpoint, text, options, signal, (n) => this.notify(n));
  }

  pause(seconds: number, signal: AbortSignal): Promise<void> {
    return pause(this.deps.dialer.clock, seconds * 1000, signal);
  }

  gather(spec: GatherSpec, signal: AbortSignal): Promise<GatherOutcome> {
    return gatherOn(this.endpoint, this.deps.dialer.clock, spec, signal, (n) => this.notify(n));
  }

  record(spec: RecordSpec, signal: AbortSignal): Promise<RecordOutcome> {
    return recordOn(this.endpoint, spec, {
      store: this.deps.store, publicUrl: this.deps.publicUrl, accountSid: this.call.accountSid, callSid: this.call.sid,
    }, signal);
  }

  refer(target: ReferTarget, signal: AbortSignal): Promise<ReferOutcome> {
    const headers = Object.entries(target.headers).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
    const referTo = headers.length === 0 ? target.uri : `${target.uri}${target.uri.includes('?') ? '&' : '?'}${headers.join('&')}`;
    const credentials = target.username !== null && target.password !== null ? { username: target.username, password: target.password } : null;
    return this.handle.leg.refer({ referTo, credentials, timeoutMs: REFER_TIMEOUT_MS, clock: this.deps.dialer.clock, signal });
  }

  onHangup(listener: () => void): () => void {
    if (this.call.ended) {
      listener();
      return () => undefined;
    }
    return this.call.onStatus((c) => {
      if (c.ended) listener();
    });
  }

  notify(n: Notification): void {
    this.log.info({ code: n.code }, n.message);
    this.deps.store.notifications
      .addNotification({
        accountSid: this.call.accountSid,
        callSid: this.call.sid,
        log: n.log,
        errorCode: n.code,
        messageText: n.message,
        requestUrl: n.requestUrl ?? null,
        requestMethod: n.requestMethod ?? null,
        responseBody: n.responseBody ?? null,
      })
      .catch((err: unknown) => this.log.error({ err }, 'notification not stored'));
  }
}
