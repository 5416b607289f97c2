import type { DialOutcome, DialSpec, Notification } from '../rcml/call-control.js';
import type { Activity, AppSession } from './app-session.js';
import type { LiveCall } from './call-registry.js';
import type { Leg } from './leg.js';
import type { RoomMember } from './rooms/call-room.js';
import type { LegIdentity } from './transfer/refer-app.js';
import type { TargetOutcome } from './transfer/refer-handler.js';

/** Where a call comes from, as far as transferring it goes. */
export interface CallOrigin {
  /** The number the original inbound call arrived on; the Dial legs it leads to inherit it. */
  readonly numberSid: string | null;
  /** A client-to-client call that went through no RCML application (inherited by its Dial legs). */
  readonly peerToPeer: boolean;
  /** Login of the client that placed the original call, when a client did (inherited by its Dial legs). */
  readonly caller: string | null;
  /** The party on this leg as a refer app names it. */
  readonly party: LegIdentity;
}

/** Follows one Dial for a transfer: the refer app's Dial reports its target's progress and outcome. */
export interface DialObserver {
  /** The Dial begins ringing its targets (it plays its own ringback from now). */
  started(): void;
  /** A target answered 180/183. */
  ringing(): void;
  /** `200 OK` once a target is bridged to the caller, else the failure line. */
  settled(outcome: TargetOutcome): void;
}

/** What the Dial, bridges and transfers ask of a call's control. */
export interface PartyControl {
  dial(spec: DialSpec, signal: AbortSignal): Promise<DialOutcome>;
  /** The next `<Dial>` on this call reports its progress to `observer` (a transfer following its target). */
  watchNextDial(observer: DialObserver): () => void;
  notify(n: Notification): void;
}

/**
 * A live call as the layers that connect calls see it (Dial, bridges, transfers): its SIP leg, its
 * endpoint, its room membership and its app session. `CallHandle` is the one implementation; this
 * interface keeps those modules from depending on it (and it on them).
 */
export interface CallParty extends LiveCall, RoomMember {
  readonly leg: Leg;
  readonly origin: CallOrigin;
  readonly control: PartyControl;
  /** The session, when one is running. */
  readonly session: AppSession | null;
  /** While this call is a transferee: the REFER's Referred-By, which the INVITEs of its Dials carry. */
  referredBy: string | null;
  /** Hands the call to `activity` in place of what it does now, without hanging it up. */
  run(activity: Activity): Promise<void>;
}
