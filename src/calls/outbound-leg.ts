import type { Logger } from '../log.js';
import type { Endpoint, MediaSessionKey } from '../media/media-server.js';
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
 * The Call-ID and From tag of a call we are about to place: its media session is keyed by them, so
 * they exist before the endpoint is allocated and the leg sends its INVITE with them.
 */
export function newOutboundKey(): MediaSessionKey {
  return { callId: generateCallId(), tag: generateTag() };
}

/**
 * The SIP side of a call we place (UAC): INVITE offering our endpoint's SDP, provisional responses,
 * digest retry, ACK of the 2xx, CANCEL, BYE and in-dialog requests. A 2xx that arrives after we gave up
 * is ACKed and then BYEd (RFC 3261 15). Its Call-ID and From tag are its endpoint's key.
 */
export class OutboundLeg implements Leg {
  readonly callId: string;
  private readonly fromTag: string;
  /** Our offer, made once: a digest retry sends it again. */
  private sdp = '';
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
    this.callId = endpointRef.key.callId;
    this.fromTag = endpointRef.key.tag;
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

  /** Sends the INVITE with the endpoint's offer; rejects when it cannot be built or sent. */
  async start(): Promise<void> {
    this.sdp = await this.endpointRef.offer();
    this.send();
  }

  private send(authorization?: readonly [string, string]): void {
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
      body: this.sdp,
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
    this.endpointRef.applyAnswer(res.body.toString('utf8')).then(
      () => {
        serveInDialog(dialog, {
          endpoint: () => this.endpointRef,
          notify: (req, tx) => this.pendingRefer.receive(req, tx),
          refer: () => this.referHandler,
        });
        this.settle({ answered: true });
      },
      (err: unknown) => {
        this.log.info({ err, callId: this.callId }, 'answer SDP refused; ending the leg');
        dialog.sendRequest('BYE');
        this.settle({ answered: false, status: 488, response: res });
      },
    );
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
        this.send([res.status === 401 ? 'Authorization' : 'Proxy-Authorization', value]);
        return;
      }
    }
    this.settle({ answered: false, status: res.status, response: res });
    this.end('local');
  }

  /** The far end answered our INVITE: nothing to send. */
  async answer(): Promise<void> {}

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
