import type {
  CallControl,
  CallFailure,
  CallInfo,
  CallStatus,
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
} from '../../src/rcml/call-control.js';

/** One thing the interpreter asked the call to do. */
export type Action =
  | { op: 'answer' }
  | { op: 'reject'; reason: string }
  | { op: 'hangup' }
  | { op: 'fail'; failure: CallFailure }
  | { op: 'dial'; spec: DialSpec }
  | { op: 'play'; url: string; loop: number }
  | { op: 'sendDigits'; digits: string }
  | { op: 'say'; text: string; options: SayOptions }
  | { op: 'pause'; seconds: number }
  | { op: 'gather'; spec: GatherSpec }
  | { op: 'record'; spec: RecordSpec }
  | { op: 'refer'; target: ReferTarget };

/** Produces an outcome; may call `call.callerHangup()` to simulate the caller leaving meanwhile. */
type Script<S, O> = (spec: S, call: ScriptedCall) => O;

export interface Scripts {
  dial?: Script<DialSpec, DialOutcome>;
  gather?: Script<GatherSpec, GatherOutcome>;
  record?: Script<RecordSpec, RecordOutcome>;
  refer?: Script<ReferTarget, ReferOutcome>;
}

/**
 * A CallControl for interpreter tests until the real call layer exists: it records every request and
 * answers from scripts. State changes follow the real rules (answer → in-progress, reject → busy, ...).
 */
export class ScriptedCall implements CallControl {
  readonly actions: Action[] = [];
  readonly notifications: Notification[] = [];
  private status: CallStatus;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly scripts: Scripts = {},
    private readonly overrides: Partial<CallInfo> = {},
  ) {
    this.status = overrides.status ?? 'ringing';
  }

  info(): CallInfo {
    return {
      sid: 'CA00000000000000000000000000000001',
      accountSid: 'AC00000000000000000000000000000001',
      apiVersion: '2012-04-24',
      from: 'bob',
      to: '1111',
      direction: 'inbound',
      callerName: null,
      forwardedFrom: null,
      createdAt: new Date('2024-01-02T03:04:05.000Z'),
      answeredAt: null,
      sipHeaders: { 'X-Custom': 'v1' },
      parentCallSid: null,
      ...this.overrides,
      status: this.status,
    };
  }

  /** The remote party hangs up. */
  callerHangup(): void {
    this.status = 'completed';
    for (const l of [...this.listeners]) l();
  }

  ops(): string[] {
    return this.actions.map((a) => a.op);
  }

  async answer(): Promise<void> {
    this.actions.push({ op: 'answer' });
    this.status = 'in-progress';
  }

  async reject(reason: 'busy' | 'rejected'): Promise<void> {
    this.actions.push({ op: 'reject', reason });
    this.status = 'busy';
  }

  async hangup(): Promise<void> {
    this.actions.push({ op: 'hangup' });
    this.status = 'completed';
  }

  async fail(failure: CallFailure): Promise<void> {
    this.actions.push({ op: 'fail', failure });
    this.status = 'failed';
  }

  async dial(spec: DialSpec): Promise<DialOutcome> {
    this.actions.push({ op: 'dial', spec });
    const s = this.scripts.dial;
    return s ? s(spec, this) : { status: 'no-answer', dialCallSid: null, callDuration: 0, ringDuration: null, recordingUrl: null, publicRecordingUrl: null, sip: null };
  }

  async play(url: string, loop: number): Promise<void> {
    this.actions.push({ op: 'play', url, loop });
  }

  async sendDigits(digits: string): Promise<void> {
    this.actions.push({ op: 'sendDigits', digits });
  }

  async say(text: string, options: SayOptions): Promise<void> {
    this.actions.push({ op: 'say', text, options });
  }

  async pause(seconds: number): Promise<void> {
    this.actions.push({ op: 'pause', seconds });
  }

  async gather(spec: GatherSpec): Promise<GatherOutcome> {
    this.actions.push({ op: 'gather', spec });
    const s = this.scripts.gather;
    return s ? s(spec, this) : { digits: '', speechResult: null };
  }

  async record(spec: RecordSpec): Promise<RecordOutcome> {
    this.actions.push({ op: 'record', spec });
    const s = this.scripts.record;
    return s ? s(spec, this) : { recordingUrl: null, publicRecordingUrl: null, duration: 0, digits: '' };
  }

  async refer(target: ReferTarget): Promise<ReferOutcome> {
    this.actions.push({ op: 'refer', target });
    const s = this.scripts.refer;
    return s ? s(target, this) : { status: 'failed', sipResponseCode: 0 };
  }

  onHangup(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  notify(notification: Notification): void {
    this.notifications.push(notification);
  }
}
