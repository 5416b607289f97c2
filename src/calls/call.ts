import type { CallDirection, CallInfo, CallStatus } from '../rcml/call-control.js';
import type { Endpoint } from '../media/media-server.js';
import { API_VERSION } from '../store/sid.js';

export const FINAL_STATUSES: ReadonlySet<CallStatus> = new Set(['completed', 'busy', 'failed', 'no-answer', 'canceled']);

export interface CallInit {
  readonly sid: string;
  readonly accountSid: string;
  readonly direction: CallDirection;
  readonly from: string;
  readonly to: string;
  readonly callerName: string | null;
  readonly forwardedFrom: string | null;
  readonly sipHeaders: Readonly<Record<string, string>>;
  readonly parentCallSid: string | null;
  readonly phoneNumberSid: string | null;
  readonly initialStatus: CallStatus;
}

export type CallListener = (call: Call, status: CallStatus) => void;

/**
 * One leg's call state, independent of SIP: status with the RFC-free state machine of spec voice.md
 * 3.5, the timestamps the CDR needs, and the media endpoint currently attached. Leg and interpreter
 * objects hold a Call; a Call holds neither, so either can be replaced (transfer, live modification).
 */
export class Call {
  readonly sid: string;
  readonly accountSid: string;
  readonly direction: CallDirection;
  readonly from: string;
  readonly to: string;
  readonly callerName: string | null;
  readonly forwardedFrom: string | null;
  readonly sipHeaders: Readonly<Record<string, string>>;
  readonly parentCallSid: string | null;
  readonly phoneNumberSid: string | null;
  readonly createdAt = new Date();
  private current: CallStatus;
  answeredAt: Date | null = null;
  endedAt: Date | null = null;
  endpoint: Endpoint | null = null;
  private readonly listeners: CallListener[] = [];

  constructor(init: CallInit) {
    this.sid = init.sid;
    this.accountSid = init.accountSid;
    this.direction = init.direction;
    this.from = init.from;
    this.to = init.to;
    this.callerName = init.callerName;
    this.forwardedFrom = init.forwardedFrom;
    this.sipHeaders = init.sipHeaders;
    this.parentCallSid = init.parentCallSid;
    this.phoneNumberSid = init.phoneNumberSid;
    this.current = init.initialStatus;
  }

  get status(): CallStatus {
    return this.current;
  }

  get ended(): boolean {
    return FINAL_STATUSES.has(this.current);
  }

  /** Listeners run synchronously on every change, in registration order. */
  onStatus(listener: CallListener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /** Moves to `next`; a final status is never left, and repeating the current one is a no-op. Returns whether it changed. */
  setStatus(next: CallStatus): boolean {
    if (this.ended || next === this.current) return false;
    if (next === 'in-progress') this.answeredAt = new Date();
    if (FINAL_STATUSES.has(next)) {
      this.endedAt = new Date();
      // A call that ends before anyone answered was never in progress, so "completed" would lie.
      if (next === 'completed' && this.answeredAt === null) next = 'canceled';
    }
    this.current = next;
    for (const l of [...this.listeners]) l(this, next);
    return true;
  }

  /** Whole seconds talked (answer to end), 0 when never answered. */
  talkSeconds(): number {
    if (this.answeredAt === null) return 0;
    return Math.round(((this.endedAt ?? new Date()).getTime() - this.answeredAt.getTime()) / 1000);
  }

  /** Whole seconds from creation to answer, or to the end when never answered. */
  ringSeconds(): number {
    const until = this.answeredAt ?? this.endedAt ?? new Date();
    return Math.round((until.getTime() - this.createdAt.getTime()) / 1000);
  }

  info(): CallInfo {
    return {
      sid: this.sid,
      accountSid: this.accountSid,
      apiVersion: API_VERSION,
      from: this.from,
      to: this.to,
      direction: this.direction,
      status: this.current,
      callerName: this.callerName,
      forwardedFrom: this.forwardedFrom,
      createdAt: this.createdAt,
      answeredAt: this.answeredAt,
      sipHeaders: this.sipHeaders,
      parentCallSid: this.parentCallSid,
    };
  }
}
