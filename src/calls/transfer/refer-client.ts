import { delay, type Clock, type Delay } from '../../clock.js';
import type { Logger } from '../../log.js';
import { formatUri, type SipRequest, type SipResponse } from '../../sip/message/index.js';
import type { ClientTransaction, Dialog, ServerTransaction } from '../../sip/stack-api.js';
import { answerChallenge, type UacCredentials } from '../uac-digest.js';

export interface ReferClientOptions {
  /** The dialog with the party that is asked to transfer itself (the far end of the current call). */
  readonly dialog: Dialog;
  /** Refer-To URI; URI headers (`?Replaces=...`) are kept as written. */
  readonly referTo: string;
  /** Referred-By value (RFC 3892); none when absent. */
  readonly referredBy?: string;
  /** Answer one digest challenge to the REFER with these. */
  readonly credentials?: UacCredentials | null;
  /** How long to wait for the final NOTIFY after the REFER was accepted, on `clock`. */
  readonly timeoutMs: number;
  readonly clock: Clock;
  readonly signal?: AbortSignal;
  readonly log: Logger;
}

export type ReferCallStatus = 'completed' | 'failed' | 'busy' | 'no-answer' | 'canceled';

/** What the RCML `<Refer>` verb reports as `ReferCallStatus` and `ReferSipResponseCode`. */
export interface ReferResult {
  readonly status: ReferCallStatus;
  /** The REFER's own final response when it was refused, else the last sipfrag status; 0 when nothing came back. */
  readonly sipResponseCode: number;
}

/** The call status a final SIP status stands for, as Dial reports it. */
export function statusForCode(code: number): ReferCallStatus {
  if (code >= 200 && code < 300) return 'completed';
  if (code === 486 || code === 600) return 'busy';
  if (code === 408 || code === 480) return 'no-answer';
  if (code === 487) return 'canceled';
  return 'failed';
}

const SIPFRAG_STATUS = /^SIP\/2\.0 ([1-6]\d\d)(?: [^\r\n]*)?\r?(?:\n|$)/;

/** The status line of a `message/sipfrag` body; null when it has none. */
export function sipfragStatus(body: Buffer): number | null {
  const m = SIPFRAG_STATUS.exec(body.toString('utf8'));
  return m ? Number(m[1]) : null;
}

function eventIs(req: SipRequest, referSeq: number): boolean {
  const value = req.headers.get('Event');
  if (value === undefined) return false;
  const [type = '', ...params] = value.split(';').map((p) => p.trim());
  if (type.toLowerCase() !== 'refer') return false;
  const id = params.find((p) => p.toLowerCase().startsWith('id='));
  return id === undefined || Number(id.slice(3)) === referSeq;
}

/**
 * Sends a REFER in a dialog and follows the implicit subscription it creates (RFC 3515). The call layer
 * offers every in-dialog NOTIFY to `receive()`; NOTIFYs of unknown subscriptions stay the dialog
 * layer's to answer 481.
 */
export class ReferClient {
  readonly result: Promise<ReferResult>;
  private resolveResult!: (r: ReferResult) => void;
  private referSeq = -1;
  private accepted = false;
  private lastFrag: number | null = null;
  private settled = false;
  private timer: Delay | null = null;
  private readonly log: Logger;
  private readonly onAbort = (): void => this.settle('canceled', this.lastFrag ?? 0);

  private constructor(private readonly opts: ReferClientOptions) {
    this.log = opts.log.child({ module: 'refer-client', callId: opts.dialog.id.callId });
    this.result = new Promise((resolve) => {
      this.resolveResult = resolve;
    });
  }

  static send(opts: ReferClientOptions): ReferClient {
    const client = new ReferClient(opts);
    client.start();
    return client;
  }

  private start(): void {
    if (this.opts.signal?.aborted) return this.settle('canceled', 0);
    this.opts.signal?.addEventListener('abort', this.onAbort, { once: true });
    this.opts.dialog.onTerminated(() => this.dialogEnded());
    if (this.opts.dialog.state === 'terminated') return this.settle('failed', 0);
    void this.sendRefer(null);
  }

  private async sendRefer(authorization: readonly [string, string] | null): Promise<void> {
    const headers: Array<[string, string]> = [['Refer-To', `<${this.opts.referTo}>`]];
    if (this.opts.referredBy !== undefined) headers.push(['Referred-By', this.opts.referredBy]);
    if (authorization !== null) headers.push([authorization[0], authorization[1]]);
    let tx: ClientTransaction;
    try {
      tx = this.opts.dialog.sendRequest('REFER', { headers });
    } catch (err) {
      this.log.info({ err }, 'REFER not sent');
      return this.settle('failed', 0);
    }
    this.referSeq = tx.request.cseq.seq;
    const res = await tx.final;
    if (this.settled) return;
    if (res.status >= 200 && res.status < 300) return this.referAccepted(res);
    const retry = authorization === null ? this.challengeAnswer(res, tx.request) : null;
    if (retry !== null) return this.sendRefer(retry);
    this.log.info({ status: res.status }, 'REFER refused');
    this.settle('failed', res.status);
  }

  private challengeAnswer(res: SipResponse, req: SipRequest): readonly [string, string] | null {
    const creds = this.opts.credentials;
    if ((res.status !== 401 && res.status !== 407) || creds === null || creds === undefined) return null;
    const challenge = res.headers.get(res.status === 401 ? 'WWW-Authenticate' : 'Proxy-Authenticate');
    if (challenge === undefined) return null;
    const answer = answerChallenge(challenge, creds, 'REFER', req.uri.raw || formatUri(req.uri));
    if (answer === null) return null;
    return [res.status === 401 ? 'Authorization' : 'Proxy-Authorization', answer];
  }

  private referAccepted(res: SipResponse): void {
    this.accepted = true;
    // RFC 4488: the referee declined the subscription, so no NOTIFY will tell how the transfer went.
    if (res.headers.get('Refer-Sub')?.trim().toLowerCase() === 'false') return this.settle('completed', res.status);
    if (this.lastFrag !== null && this.lastFrag >= 200) return this.settle(statusForCode(this.lastFrag), this.lastFrag);
    this.timer = delay(this.opts.clock, this.opts.timeoutMs);
    void this.timer.promise.then(() => this.settle('no-answer', this.lastFrag ?? 0));
  }

  /** Takes an in-dialog NOTIFY if it reports on this REFER (and answers it); false otherwise. */
  receive(req: SipRequest, tx: ServerTransaction): boolean {
    if (req.method !== 'NOTIFY' || this.referSeq < 0 || !eventIs(req, this.referSeq)) return false;
    const status = sipfragStatus(req.body);
    if (status === null) {
      tx.respond(400, 'Bad Request - NOTIFY body is not a message/sipfrag status line');
      return true;
    }
    tx.respond(200);
    if (this.settled) return true;
    this.lastFrag = status;
    const terminated = (req.headers.get('Subscription-State') ?? '').trim().toLowerCase().startsWith('terminated');
    if (status >= 200) {
      if (this.accepted) this.settle(statusForCode(status), status);
    } else if (terminated && this.accepted) {
      this.settle(/reason=timeout/i.test(req.headers.get('Subscription-State') ?? '') ? 'no-answer' : 'failed', status);
    }
    return true;
  }

  /**
   * A referee that does not notify typically hangs up once it has called the target; after an accepted
   * REFER without a failure report, that is taken as success.
   */
  private dialogEnded(): void {
    if (this.settled) return;
    if (!this.accepted) return this.settle('failed', this.lastFrag ?? 0);
    this.settle('completed', this.lastFrag !== null && this.lastFrag >= 200 ? this.lastFrag : 202);
  }

  private settle(status: ReferCallStatus, code: number): void {
    if (this.settled) return;
    this.settled = true;
    this.timer?.cancel();
    this.opts.signal?.removeEventListener('abort', this.onAbort);
    this.resolveResult({ status, sipResponseCode: code });
  }
}
