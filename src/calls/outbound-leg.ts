import type { Logger } from '../log.js';
import type { Endpoint } from '../media/media-server.js';
import { createRequest, generateCallId, generateTag } from '../sip/message/index.js';
import type { SipResponse } from '../sip/message/types.js';
import type { ClientTransaction, Dialog, SipStack, SipTarget } from '../sip/stack-api.js';
import { ADVERTISED, serveInDialog, type ReferHandler } from './usages/call-usages.js';
import { PendingRefer, type Leg, type LegEnd, type ReferOptions } from './leg.js';
import type { ReferResult } from './transfer/refer-client.js';
import { answerChallenge, type UacCredentials } from './uac-digest.js';

export interface OutboundRequest {
  readonly requestUri: string;
  /** From and To as name-addr values, without tags. */
  readonly from: string;
  readonly to: string;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  /** Where to send it instead of the Request-URI (outbound proxy, a NATed registration). */
  readonly target?: SipTarget;
  readonly credentials?: UacCredentials | null;
}

/** How the INVITE ended: answered (dialog up), or its final non-2xx status (408 for a timeout). */
export type InviteResult = { readonly answered: true } | { readonly answered: false; readonly status: number; readonly response: SipResponse | null };

/**
 * The SIP side of a call we place (UAC): INVITE offering our endpoint's SDP, provisional responses,
 * digest retry, ACK of the 2xx, CANCEL, BYE and in-dialog requests. A 2xx that arrives after we gave up
 * is ACKed and then BYEd (RFC 3261 15).
 */
export class OutboundLeg implements Leg {
  readonly callId = generateCallId();
  private readonly fromTag = generateTag();
  private tx: ClientTransaction | null = null;
  private dialog: Dialog | null = null;
  private cseq = 1;
  private authRetried = false;
  private abandoned = false;
  private finished: LegEnd | null = null;
  private ringingListeners: Array<() => void> = [];
  private endListeners: Array<(how: LegEnd) => void> = [];
  private settle: (r: InviteResult) => void = () => undefined;
  /** Settles once: answered, or the final failure. */
  readonly result: Promise<InviteResult>;
  /** The last final response (for DialSipResponseCode and X- headers). */
  lastResponse: SipResponse | null = null;
  private rang = false;
  private readonly pendingRefer = new PendingRefer();
  referHandler: ReferHandler | null = null;

  constructor(
    private readonly stack: SipStack,
    private endpointRef: Endpoint,
    private readonly request: OutboundRequest,
    private readonly log: Logger,
  ) {
    this.result = new Promise((resolve) => {
      this.settle = resolve;
    });
  }

  set endpoint(ep: Endpoint) {
    this.endpointRef = ep;
  }

  onRinging(listener: () => void): void {
    this.ringingListeners.push(listener);
  }

  get ended(): LegEnd | null {
    return this.finished;
  }

  onEnd(listener: (how: LegEnd) => void): void {
    if (this.finished !== null) listener(this.finished);
    else this.endListeners.push(listener);
  }

  start(authorization?: readonly [string, string]): void {
    const sdp = this.endpointRef.offer();
    const req = createRequest({
      method: 'INVITE',
      uri: this.request.requestUri,
      headers: [
        ['From', `${this.request.from};tag=${this.fromTag}`],
        ['To', this.request.to],
        ['Call-ID', this.callId],
        ['CSeq', `${this.cseq} INVITE`],
        ['Contact', this.stack.contact(this.request.target?.transport ?? 'UDP')],
        ...ADVERTISED,
        ['Content-Type', 'application/sdp'],
        ...this.request.headers,
        ...(authorization ? [authorization] : []),
      ],
      body: sdp,
    });
    const tx = this.stack.sendRequest(req, this.request.target);
    this.tx = tx;
    tx.onResponse((res) => this.onResponse(tx, res));
    void tx.final.then((res) => {
      if (res.status >= 300) this.onFailure(res);
    });
  }

  private onResponse(tx: ClientTransaction, res: SipResponse): void {
    if (res.status < 200) {
      if ((res.status === 180 || res.status === 183) && !this.rang) {
        this.rang = true;
        for (const l of this.ringingListeners) l();
      }
      return;
    }
    if (res.status >= 300 || this.dialog !== null) return;
    this.lastResponse = res;
    const dialog = this.stack.createUacDialog(tx, res);
    this.dialog = dialog;
    dialog.ack(res.cseq.seq);
    dialog.onTerminated((reason) => this.end(reason === 'bye-received' ? 'remote-bye' : reason === 'bye-sent' ? 'local' : 'lost'));
    if (this.abandoned) {
      dialog.sendRequest('BYE');
      return;
    }
    try {
      this.endpointRef.applyAnswer(res.body.toString('utf8'));
    } catch (err) {
      this.log.info({ err, callId: this.callId }, 'answer SDP refused; ending the leg');
      dialog.sendRequest('BYE');
      this.settle({ answered: false, status: 488, response: res });
      return;
    }
    serveInDialog(dialog, {
      endpoint: () => this.endpointRef,
      notify: (req, tx) => this.pendingRefer.receive(req, tx),
      refer: () => this.referHandler,
    });
    this.settle({ answered: true });
  }

  private onFailure(res: SipResponse): void {
    this.lastResponse = res;
    const challenge = res.status === 401 ? res.headers.get('WWW-Authenticate') : res.status === 407 ? res.headers.get('Proxy-Authenticate') : undefined;
    const creds = this.request.credentials;
    if (challenge !== undefined && creds && !this.authRetried && !this.abandoned) {
      const value = answerChallenge(challenge, creds, 'INVITE', this.request.requestUri);
      if (value !== null) {
        this.authRetried = true;
        this.cseq++;
        this.start([res.status === 401 ? 'Authorization' : 'Proxy-Authorization', value]);
        return;
      }
    }
    this.settle({ answered: false, status: res.status, response: res });
    this.end('local');
  }

  /** The far end answered our INVITE: nothing to send. */
  answer(): void {}

  /** A placed call cannot be declined any more: ending it is a hangup. */
  reject(): void {
    this.hangup();
  }

  refer(opts: ReferOptions): Promise<ReferResult> {
    return this.pendingRefer.send(this.dialog, opts, this.log);
  }

  /** Gives up on an unanswered INVITE (CANCEL), or hangs up an answered one (BYE). */
  hangup(): void {
    if (this.dialog !== null) {
      if (this.dialog.state !== 'terminated') this.dialog.sendRequest('BYE');
      return;
    }
    if (this.abandoned) return;
    this.abandoned = true;
    this.tx?.cancel();
  }

  private end(how: LegEnd): void {
    if (this.finished !== null) return;
    this.finished = how;
    const listeners = this.endListeners;
    this.endListeners = [];
    for (const l of listeners) l(how);
  }
}
