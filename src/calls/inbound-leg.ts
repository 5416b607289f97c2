import type { Logger } from '../log.js';
import { SdpNegotiationError, type Endpoint } from '../media/media-server.js';
import type { SipRequest } from '../sip/message/types.js';
import type { Dialog, ServerTransaction, SipStack } from '../sip/stack-api.js';
import { ADVERTISED, serveInDialog, type ReferHandler } from './usages/call-usages.js';
import { PendingRefer, type Leg, type LegEnd, type ReferOptions } from './leg.js';
import { hasSdp } from './sip-dtmf.js';
import type { ReferResult } from './transfer/refer-client.js';

/**
 * The SIP side of an inbound call (UAS): 180, 200 with our SDP (or a late offer answered in the ACK),
 * final failures, BYE, CANCEL, and in-dialog requests. Knows nothing of RCML or CDRs.
 */
export class InboundLeg implements Leg {
  private dialog: Dialog | null = null;
  private endListeners: Array<(how: LegEnd) => void> = [];
  private finished: LegEnd | null = null;
  private endpointRef: Endpoint | null = null;
  private readonly pendingRefer = new PendingRefer();
  referHandler: ReferHandler | null = null;

  constructor(
    private readonly stack: SipStack,
    readonly invite: SipRequest,
    private readonly tx: ServerTransaction,
    /** Headers put on every response (X-RestComm-CallSid, ...). */
    private readonly responseHeaders: ReadonlyArray<readonly [string, string]>,
    private readonly log: Logger,
  ) {
    tx.onCancel(() => this.end('canceled'));
  }

  get ended(): LegEnd | null {
    return this.finished;
  }

  onEnd(listener: (how: LegEnd) => void): void {
    if (this.finished !== null) listener(this.finished);
    else this.endListeners.push(listener);
  }

  ring(): void {
    if (!this.tx.answered) this.tx.respond(180, 'Ringing', { headers: this.responseHeaders });
  }

  /**
   * 200 OK with the endpoint's SDP. Rejects with `SdpNegotiationError` after answering 488 when the
   * offer cannot be accepted; resolves once the 200 is sent (the ACK arrives through the dialog), or at
   * once when the INVITE ended meanwhile (CANCEL).
   */
  async answer(endpoint: Endpoint): Promise<void> {
    if (this.dialog !== null || this.finished !== null || this.tx.answered) return;
    this.endpointRef = endpoint;
    const lateOffer = !hasSdp(this.invite);
    let sdp: string;
    try {
      sdp = lateOffer ? await endpoint.offer() : await endpoint.answer(this.invite.body.toString('utf8'));
    } catch (err) {
      if (err instanceof SdpNegotiationError) {
        this.reject(488, `Not Acceptable Here - ${err.reason}`);
      }
      throw err;
    }
    if (this.dialog !== null || this.finished !== null || this.tx.answered) return;
    const res = this.tx.respond(200, 'OK', {
      headers: [['Contact', this.stack.contact(this.tx.source.transport)], ...ADVERTISED, ['Content-Type', 'application/sdp'], ...this.responseHeaders],
      body: sdp,
    });
    const dialog = this.stack.createUasDialog(this.invite, this.tx, res);
    this.dialog = dialog;
    dialog.onAck((ack) => {
      const ep = this.endpointRef;
      if (!hasSdp(ack) || ep === null) return;
      // RFC 3264 leaves no way to refuse an answer in an ACK: end the session instead.
      ep.applyAnswer(ack.body.toString('utf8')).catch((err: unknown) => {
        this.log.info({ err }, 'answer in ACK refused; hanging up');
        this.hangup();
      });
    });
    serveInDialog(dialog, {
      endpoint: () => this.endpointRef,
      notify: (req, tx) => this.pendingRefer.receive(req, tx),
      refer: () => this.referHandler,
    });
    dialog.onTerminated((reason) => this.end(reason === 'bye-received' ? 'remote-bye' : reason === 'bye-sent' ? 'local' : 'lost'));
  }

  /** The endpoint that in-dialog requests (re-INVITE, INFO) act on; a transfer may swap it. */
  set endpoint(ep: Endpoint | null) {
    this.endpointRef = ep;
  }

  refer(opts: ReferOptions): Promise<ReferResult> {
    return this.pendingRefer.send(this.dialog, opts, this.log);
  }

  /** A final non-2xx response to an unanswered INVITE. */
  reject(status: number, reason: string, headers: ReadonlyArray<readonly [string, string]> = []): void {
    if (this.tx.answered || this.finished !== null) return;
    this.tx.respond(status, reason, { headers: [...headers, ...this.responseHeaders] });
    this.end('local');
  }

  /** BYE when answered, else 480 (spec: hangup on a ringing call). */
  hangup(): void {
    if (this.dialog !== null && this.dialog.state !== 'terminated') {
      this.dialog.sendRequest('BYE');
      return;
    }
    this.reject(480, 'Temporarily Unavailable');
  }

  private end(how: LegEnd): void {
    if (this.finished !== null) return;
    this.finished = how;
    const listeners = this.endListeners;
    this.endListeners = [];
    for (const l of listeners) l(how);
  }
}
