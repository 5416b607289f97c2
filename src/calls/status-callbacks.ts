import { request } from 'undici';
import type { Logger } from '../log.js';
import type { CallStatus } from '../rcml/call-control.js';
import { baseParameters } from '../rcml/parameters.js';
import type { DialEvent, HttpMethod } from '../rcml/verbs.js';
import type { Call } from './call.js';
import { transferEventParameters, type TransferEvent } from './transfer/transfer-event.js';

const SEQUENCE: Record<DialEvent, number> = { initiated: 0, ringing: 1, answered: 2, completed: 3 };
const TIMEOUT_MS = 10_000;

/** RFC 2822 date as Restcomm's `EEE, dd MMM YYYY HH:mm:ss Z`. */
function rfc2822(d: Date): string {
  return d.toUTCString().replace('GMT', '+0000');
}

/** Sends a transfer event of `transferee` to a number's status callback; resolves when the request is done. */
export type TransferEventSender = (transferee: Call, event: TransferEvent) => Promise<void>;

/**
 * The number status callback of each call that has one, for its transfers: a transfer is reported to the
 * number the original call arrived on, whichever leg refers. Weak, so a finished call is forgotten.
 */
const transferSenders = new WeakMap<Call, TransferEventSender>();

/** Where the transfers of `call` (the original inbound call) are reported; undefined when its number has no status callback. */
export function transferEventSender(call: Call): TransferEventSender | undefined {
  return transferSenders.get(call);
}

/**
 * Fire-and-forget status callbacks: a number's (spec voice.md 2.4, base parameters, each status once)
 * and a Dial noun's (2.5, each event once, with SequenceNumber). A failing callback is logged only: it
 * must never change the call.
 */
export class StatusCallbacks {
  private readonly log: Logger;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly instanceId: string,
    log: Logger,
  ) {
    this.log = log.child({ module: 'status-callbacks' });
  }

  /** Sends every later status of `call` to the number's status callback, each once. */
  followNumber(call: Call, url: string, method: HttpMethod): void {
    const sent = new Set<CallStatus>();
    const send = (status: CallStatus): void => {
      if (sent.has(status)) return;
      sent.add(status);
      this.send(url, method, baseParameters({ ...call.info(), status }, this.instanceId, {}));
    };
    send(call.status);
    call.onStatus((_c, status) => send(status));
    transferSenders.set(call, (transferee, event) => this.transferEvent(transferee, url, method, event));
  }

  /** Sends the Dial-noun events of a leg that the noun asked for. */
  followDialLeg(leg: Call, url: string, method: HttpMethod, events: readonly DialEvent[]): (event: DialEvent) => void {
    const sent = new Set<DialEvent>();
    return (event) => {
      if (!events.includes(event) || sent.has(event)) return;
      sent.add(event);
      const params: Record<string, string> = {
        InstanceId: this.instanceId,
        AccountSid: leg.accountSid,
        CallSid: leg.sid,
        From: leg.from,
        To: leg.to,
        Direction: leg.direction,
        CallerName: leg.from,
        ForwardedFrom: leg.forwardedFrom ?? 'null',
        ParentCallSid: leg.parentCallSid ?? 'null',
        CallStatus: event,
        Timestamp: rfc2822(new Date()),
        CallbackSource: 'call-progress-events',
        SequenceNumber: String(SEQUENCE[event]),
      };
      if (event === 'completed') params.CallDuration = String(leg.talkSeconds());
      this.send(url, method, params);
    };
  }

  /**
   * Sends one state change of a transfer of `transferee` (its base parameters, `CallStatus` as it is now,
   * plus the transfer's). Resolves when the request is done, so a transfer's events can be sent in order.
   */
  private transferEvent(transferee: Call, url: string, method: HttpMethod, event: TransferEvent): Promise<void> {
    return this.send(url, method, baseParameters(transferee.info(), this.instanceId, transferEventParameters(event)));
  }

  private send(url: string, method: HttpMethod, params: Record<string, string>): Promise<void> {
    const form = new URLSearchParams(params).toString();
    const target = method === 'GET' ? `${url}${url.includes('?') ? '&' : '?'}${form}` : url;
    const p = request(target, {
      method,
      headersTimeout: TIMEOUT_MS,
      bodyTimeout: TIMEOUT_MS,
      ...(method === 'POST' ? { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form } : {}),
    })
      .then(async (res) => {
        await res.body.dump();
        if (res.statusCode >= 400) this.log.info({ url, status: res.statusCode }, 'status callback answered with an error');
      })
      .catch((err: unknown) => this.log.info({ err, url }, 'status callback failed'));
    this.inFlight.add(p);
    void p.then(() => this.inFlight.delete(p));
    return p;
  }

  /** Waits for the callbacks already sent (node shutdown, tests). */
  async flush(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }
}
