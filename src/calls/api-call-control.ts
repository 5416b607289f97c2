import type { Logger } from '../log.js';
import type { Endpoint } from '../media/media-server.js';
import type {
  CallControl,
  CallInfo,
  DialOutcome,
  DialSpec,
  GatherOutcome,
  GatherSpec,
  Notification,
  RecordOutcome,
  RecordSpec,
  ReferOutcome,
  SayOptions,
} from '../rcml/call-control.js';
import type { Call } from './call.js';
import type { ControlDeps } from './call-control.js';
import { runDial } from './dialer.js';
import { gatherOn, pauseFor, playOn, recordOn, sayOn } from './media-verbs.js';
import type { OutboundLeg } from './outbound-leg.js';

/**
 * The RCML interpreter's view of a call placed by the REST API: the far end already answered our
 * INVITE, so answering is a no-op and every way of ending it (Hangup, Reject, an app failure) is a BYE.
 */
export class ApiCallControl implements CallControl {
  private readonly log: Logger;

  constructor(
    private readonly call: Call,
    private readonly leg: OutboundLeg,
    private readonly deps: ControlDeps,
  ) {
    this.log = deps.log.child({ module: 'api-call-control', callSid: call.sid });
  }

  private get endpoint(): Endpoint {
    const ep = this.call.endpoint;
    if (ep === null) throw new Error(`call ${this.call.sid} has no media endpoint`);
    return ep;
  }

  info(): CallInfo {
    return this.call.info();
  }

  async answer(): Promise<void> {}

  async reject(): Promise<void> {
    await this.hangup();
  }

  async hangup(): Promise<void> {
    if (this.call.ended) return;
    this.call.setStatus(this.call.status === 'in-progress' ? 'completed' : 'canceled');
    this.leg.hangup();
  }

  async fail(): Promise<void> {
    await this.hangup();
  }

  dial(spec: DialSpec, signal: AbortSignal): Promise<DialOutcome> {
    return runDial(this.deps.dialer, { call: this.call, endpoint: this.endpoint }, spec, signal, (n) => this.notify(n));
  }

  play(url: string, loop: number, signal: AbortSignal): Promise<void> {
    return playOn(this.endpoint, url, loop, signal);
  }

  async sendDigits(digits: string, signal: AbortSignal): Promise<void> {
    if (!signal.aborted) await this.endpoint.sendDigits(digits);
  }

  say(text: string, options: SayOptions, signal: AbortSignal): Promise<void> {
    return sayOn(this.endpoint, text, options, signal);
  }

  pause(seconds: number, signal: AbortSignal): Promise<void> {
    return pauseFor(seconds, signal);
  }

  gather(spec: GatherSpec, signal: AbortSignal): Promise<GatherOutcome> {
    return gatherOn(this.endpoint, spec, signal);
  }

  record(spec: RecordSpec, signal: AbortSignal): Promise<RecordOutcome> {
    return recordOn(this.endpoint, spec, {
      store: this.deps.store, dataDir: this.deps.dataDir, publicUrl: this.deps.publicUrl, accountSid: this.call.accountSid, callSid: this.call.sid,
    }, signal);
  }

  async refer(): Promise<ReferOutcome> {
    this.notify({ code: 11001, log: 1, message: 'REFER from RCML is not available on this node yet' });
    return { status: 'failed', sipResponseCode: 0 };
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
