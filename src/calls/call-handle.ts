import type { Endpoint } from '../media/media-server.js';
import type { Call } from './call.js';
import { CallLegControl, type ControlDeps } from './call-control.js';
import type { CallOrigin, CallParty } from './call-party.js';
import type { AppTarget } from './call-registry.js';
import { AppSession, type Activity } from './app-session.js';
import type { Leg } from './leg.js';
import type { CallRoom } from './rooms/call-room.js';

/** Notification code of a call hung up because its peer stopped sending media (docs/voice.md). */
export const RTP_TIMEOUT_CODE = 13950;

/** Application failure on a call still ringing (spec 1.1): what its caller receives. */
const SETUP_FAILED = { status: 500, reason: 'Problem to setup the call' } as const;

/**
 * One live call of any direction: its state, its SIP leg, its control, its app session (opened the
 * first time the call is handed an activity: at once for inbound and API calls, for a Dial leg only
 * when it is redirected or becomes a transferee) and the room it is in. When the session has nothing
 * left to do the call is ended, whatever its direction.
 */
export class CallHandle implements CallParty {
  readonly control: CallLegControl;
  /** The room this call is a member of (a Dial bridge), set by the room. */
  room: CallRoom | null = null;
  /** LCM Mute: kept across rooms (a transfer) until unmuted. */
  muted = false;
  /**
   * While this call is the transferee of a transfer: the REFER's Referred-By, which every INVITE its
   * Dials send carries (RFC 3892 3, as a B2BUA may), so the target's phone can show who transferred.
   */
  referredBy: string | null = null;
  private sessionRef: AppSession | null = null;
  private finished: Promise<void> = Promise.resolve();

  constructor(
    readonly call: Call,
    readonly leg: Leg,
    readonly origin: CallOrigin,
    private readonly deps: ControlDeps,
  ) {
    this.control = new CallLegControl(this, deps);
    // Every direction becomes in-progress with its endpoint attached, and the endpoint is never swapped.
    const off = call.onStatus((c, status) => {
      if (status === 'in-progress') c.endpoint?.onInactive(() => this.mediaLost());
      if (c.ended) off();
    });
  }

  /** The peer vanished without a BYE (crash, lost network, NAT binding gone): end the call as if it had. */
  private mediaLost(): void {
    if (this.call.ended) return;
    const { rtpTimeout } = this.deps.dialer.config;
    const message = `No RTP or RTCP from the peer for ${rtpTimeout} s: call hung up`;
    this.deps.log.info({ callSid: this.call.sid, rtpTimeout }, 'RTP timeout, hanging up');
    this.control.notify({ code: RTP_TIMEOUT_CODE, log: 1, message });
    this.hangup();
  }

  get endpoint(): Endpoint {
    const ep = this.call.endpoint;
    if (ep === null) throw new Error(`call ${this.call.sid} has no media endpoint`);
    return ep;
  }

  /** The session, when one is running. */
  get session(): AppSession | null {
    return this.sessionRef?.running === true ? this.sessionRef : null;
  }

  /**
   * Hands the call to `activity` in place of what it does now, without hanging it up; it leaves its
   * room first (a Dial leg's caller's Dial ends as if the leg had hung up, minus the BYE). Resolves
   * when that activity has ended.
   */
  run(activity: Activity): Promise<void> {
    void this.room?.leave(this);
    let session = this.session;
    if (session === null) {
      session = new AppSession(this.control, this.deps.instanceId, this.deps.log.child({ callSid: this.call.sid }), this.deps.appFetch);
      this.sessionRef = session;
      const ended = session.redirect(activity);
      this.finished = session.done.then(() => this.end());
      return ended;
    }
    return session.redirect(activity);
  }

  /** Resolves once the session (if any) has ended and the call with it. */
  get ended(): Promise<void> {
    return this.finished;
  }

  /** LCM `Url`. A Dial leg still ringing is left alone: its app would have nobody to talk to yet. */
  redirect(app: AppTarget): void {
    if (this.call.direction === 'outbound-dial' && this.call.status !== 'in-progress') return;
    void this.run({ kind: 'app', app });
  }

  hangup(): void {
    void this.control.hangup();
  }

  async mute(muted: boolean): Promise<void> {
    this.muted = muted;
    await this.room?.update(this);
  }

  private async end(): Promise<void> {
    if (this.call.ended) return;
    if (this.call.status === 'ringing' && this.call.direction === 'inbound') await this.control.fail(SETUP_FAILED);
    else await this.control.hangup();
  }
}
