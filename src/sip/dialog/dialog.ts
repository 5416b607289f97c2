import type { Logger } from '../../log.js';
import type { Clock } from '../../clock.js';
import { createRequest, parseNameAddr, type NameAddr, type SipRequest, type SipResponse, type SipUri } from '../message/index.js';
import type { ClientTransaction, Dialog, DialogId, DialogState, MessageExtra, ServerTransaction } from '../stack-api.js';
import { Reliable2xx } from '../transaction/reliable-2xx.js';
import type { TimerValues } from '../transaction/types.js';
import { uriTarget } from '../transport/routing.js';
import type { SipTarget, Transport } from '../transport/types.js';
import { dialogRouting } from './routing.js';
import { DialogUsages, type DialogUsage } from './usages.js';

export interface DialogDeps {
  readonly transport: Transport;
  readonly clock: Clock;
  readonly timers: TimerValues;
  readonly log: Logger;
  /** Adds the stack's Via and starts a client transaction. */
  sendRequest(req: SipRequest, target: SipTarget): ClientTransaction;
  /** Adds the stack's Via and sends an ACK for a 2xx, which is not a transaction; returns what was sent. */
  sendAck(ack: SipRequest, target: SipTarget): { req: SipRequest; target: SipTarget };
  contact(transport: SipTarget['transport']): string;
  onTerminated(dialog: SipDialog): void;
}

export interface DialogInit {
  readonly role: 'uac' | 'uas';
  readonly state: 'early' | 'confirmed';
  readonly id: DialogId;
  /** From (UAC) or To (UAS) header value with our tag, used as From on our requests. */
  readonly localHeader: string;
  /** The peer's header value with its tag, used as To on our requests. */
  readonly remoteHeader: string;
  readonly remoteTarget: SipUri;
  readonly routeSet: readonly string[];
  readonly localSeq: number;
  readonly remoteSeq: number | null;
  readonly flow: SipTarget;
  /** UAC: the 2xx the dialog was created from; the TU ACKs it, so the dialog never re-ACKs that one. */
  readonly creating2xx?: SipResponse;
}

/** Methods whose request and 2xx replace the remote target (RFC 3261 12.2, RFC 3311). */
const TARGET_REFRESH = new Set(['INVITE', 'UPDATE']);
const CARRIES_CONTACT = new Set(['INVITE', 'UPDATE', 'SUBSCRIBE', 'NOTIFY', 'REFER']);

function contactUri(msg: SipRequest | SipResponse): SipUri | null {
  const value = msg.headers.getAll('Contact')[0];
  if (value === undefined) return null;
  try {
    return parseNameAddr(value, 'Contact').uri;
  } catch {
    return null;
  }
}

export class SipDialog implements Dialog {
  readonly id: DialogId;
  readonly role: 'uac' | 'uas';
  readonly localUri: NameAddr;
  readonly remoteUri: NameAddr;
  readonly flow: SipTarget;
  state: DialogState;
  remoteTarget: SipUri;
  routeSet: readonly string[];
  localSeq: number;
  remoteSeq: number | null;
  private readonly localHeader: string;
  private readonly remoteHeader: string;
  private readonly usages: DialogUsages;
  private readonly ackCallbacks: Array<(ack: SipRequest) => void> = [];
  private readonly terminatedCallbacks: Array<(reason: string) => void> = [];
  private readonly acks = new Map<number, { ack: SipRequest; target: SipTarget }>();
  private pending2xx: { cseq: number; sender: Reliable2xx } | null = null;
  private readonly creating2xx: SipResponse | null;

  constructor(
    init: DialogInit,
    private readonly deps: DialogDeps,
  ) {
    this.id = init.id;
    this.role = init.role;
    this.state = init.state;
    this.localUri = parseNameAddr(init.localHeader, 'From');
    this.remoteUri = parseNameAddr(init.remoteHeader, 'To');
    this.localHeader = init.localHeader;
    this.remoteHeader = init.remoteHeader;
    this.remoteTarget = init.remoteTarget;
    this.routeSet = init.routeSet;
    this.localSeq = init.localSeq;
    this.remoteSeq = init.remoteSeq;
    this.flow = init.flow;
    this.creating2xx = init.creating2xx ?? null;
    this.usages = new DialogUsages(deps.log);
  }

  get key(): string {
    return dialogKey(this.id.callId, this.id.localTag, this.id.remoteTag);
  }

  private build(method: string, cseq: number, extra: MessageExtra): { req: SipRequest; target: SipTarget } {
    const routing = dialogRouting(this.remoteTarget, this.routeSet);
    const headers: Array<readonly [string, string]> = routing.routes.map((r) => ['Route', r] as const);
    headers.push(
      ['Max-Forwards', '70'],
      ['From', this.localHeader],
      ['To', this.remoteHeader],
      ['Call-ID', this.id.callId],
      ['CSeq', `${cseq} ${method}`],
    );
    const extraHeaders = extra.headers ?? [];
    if (CARRIES_CONTACT.has(method) && !extraHeaders.some(([n]) => n.toLowerCase() === 'contact')) {
      headers.push(['Contact', this.deps.contact(this.flow.transport)]);
    }
    headers.push(...extraHeaders);
    const req = createRequest({ method, uri: routing.requestUri, headers, ...(extra.body === undefined ? {} : { body: extra.body }) });
    return { req, target: this.targetFor(routing.nextHop) };
  }

  /** The next hop, on the dialog's own flow when it leads to the same place (reusing its TCP connection). */
  private targetFor(hop: SipUri): SipTarget {
    const t = uriTarget(hop);
    const transport = hop.params.has('transport') ? t.transport : this.flow.transport;
    const same = t.host === this.flow.host && t.port === this.flow.port && transport === this.flow.transport;
    if (same && this.flow.connectionId !== undefined) return { ...t, transport, connectionId: this.flow.connectionId };
    return { ...t, transport };
  }

  sendRequest(method: string, extra: MessageExtra = {}): ClientTransaction {
    if (this.state === 'terminated') throw new Error(`dialog ${this.id.callId} is terminated`);
    if (method === 'ACK' || method === 'CANCEL') throw new Error(`${method} is not sent with dialog.sendRequest (use ack() or the transaction's cancel())`);
    this.localSeq++;
    const { req, target } = this.build(method, this.localSeq, extra);
    const tx = this.deps.sendRequest(req, target);
    tx.onResponse((res) => this.onOwnResponse(method, res));
    // RFC 5407 3.2.1: the TU learns at once that the dialog is over, but the stack keeps it reachable
    // until our BYE is answered, so a BYE crossing ours is answered 200 rather than 481.
    if (method === 'BYE') this.terminate('bye-sent', tx.final);
    return tx;
  }

  private onOwnResponse(method: string, res: SipResponse): void {
    if (this.state === 'terminated') return;
    if (res.status === 481 || res.status === 408) {
      this.terminate(`in-dialog ${method} answered ${res.status}`);
      return;
    }
    if (res.status >= 200 && res.status < 300) {
      if (TARGET_REFRESH.has(method)) this.refreshTarget(res);
      if (method === 'INVITE') this.reAck(res);
    }
  }

  private refreshTarget(msg: SipRequest | SipResponse): void {
    const uri = contactUri(msg);
    if (uri !== null) this.remoteTarget = uri;
  }

  /** A retransmitted 2xx means our ACK was lost: send it again (RFC 3261 13.2.2.4). */
  private reAck(res: SipResponse): void {
    if (res === this.creating2xx) return;
    const sent = this.acks.get(res.cseq.seq);
    if (sent) this.deps.transport.send(sent.ack, sent.target).catch((err: unknown) => this.deps.log.debug({ err }, 'ACK retransmission failed'));
  }

  ack(cseq: number, extra: MessageExtra = {}): void {
    if (this.state === 'terminated') return;
    const built = this.build('ACK', cseq, extra);
    const sent = this.deps.sendAck(built.req, built.target);
    this.acks.clear();
    this.acks.set(cseq, { ack: sent.req, target: sent.target });
  }

  /** UAC: a response to the dialog-creating INVITE (the dialog follows its transaction). */
  followInvite(res: SipResponse): void {
    if (this.state === 'terminated' || res.status < 200) return;
    if (res.status >= 300) {
      if (this.state === 'early') this.terminate(`INVITE answered ${res.status}`);
      return;
    }
    if ((res.to.params.get('tag') ?? '') !== this.id.remoteTag) return;
    if (this.state === 'early') {
      this.state = 'confirmed';
      this.routeSet = res.headers.getAll('Record-Route').reverse();
      this.refreshTarget(res);
    } else this.reAck(res);
  }

  /** UAS: what the TU sent on the dialog-creating INVITE's transaction. */
  followAnswer(res: SipResponse, target: SipTarget): void {
    if (this.state === 'terminated' || res.status < 200) return;
    if (res.status >= 300) {
      this.terminate(`INVITE answered ${res.status}`);
      return;
    }
    this.state = 'confirmed';
    this.awaitAck(res, target);
  }

  /** Retransmits our 2xx until the ACK with its CSeq arrives; without one the session is ended with a BYE. */
  awaitAck(res: SipResponse, target: SipTarget): void {
    this.pending2xx?.sender.stop();
    const sender = new Reliable2xx(
      res,
      {
        clock: this.deps.clock,
        timers: this.deps.timers,
        reliable: target.transport === 'TCP',
        send: (msg) => {
          this.deps.transport.send(msg, target).catch((err: unknown) => this.deps.log.debug({ err }, '2xx retransmission failed'));
        },
      },
      () => {
        this.deps.log.info({ callId: this.id.callId }, 'no ACK for our 2xx within 64*T1; ending the dialog with BYE');
        if (this.state !== 'terminated') this.sendRequest('BYE');
      },
    );
    this.pending2xx = { cseq: res.cseq.seq, sender };
    sender.start();
  }

  /** An ACK for a 2xx (its own transaction, so it arrives here rather than at the INVITE's). */
  receiveAck(ack: SipRequest): void {
    if (this.pending2xx && this.pending2xx.cseq === ack.cseq.seq) {
      this.pending2xx.sender.acked();
      this.pending2xx = null;
    }
    for (const cb of this.ackCallbacks) cb(ack);
  }

  /** A request inside this dialog, on its server transaction. */
  receive(req: SipRequest, tx: ServerTransaction): void {
    if (this.state === 'terminated') {
      // Only reachable while our own BYE is unanswered: the peer's BYE crossed it.
      if (req.method === 'BYE') tx.respond(200);
      else tx.respond(481, 'Call/Transaction Does Not Exist - the dialog is being ended');
      return;
    }
    if (this.remoteSeq !== null && req.cseq.seq < this.remoteSeq) {
      tx.respond(500, 'Server Internal Error - CSeq lower than the previous request', { headers: [['Retry-After', '0']] });
      return;
    }
    this.remoteSeq = req.cseq.seq;
    if (TARGET_REFRESH.has(req.method)) this.refreshTarget(req);
    if (req.method === 'BYE') {
      tx.respond(200);
      this.terminate('bye-received');
      return;
    }
    this.usages.serve(req, tx, this);
  }

  addUsage(usage: DialogUsage): () => void {
    return this.usages.add(usage);
  }

  onAck(cb: (ack: SipRequest) => void): void {
    this.ackCallbacks.push(cb);
  }

  onTerminated(cb: (reason: string) => void): void {
    this.terminatedCallbacks.push(cb);
  }

  /**
   * Ends the dialog for the TU now; the stack forgets it now or, with `forgetAfter`, once that settles
   * (the answer to our BYE), so in-dialog requests still find it meanwhile.
   */
  terminate(reason = 'terminated locally', forgetAfter?: Promise<unknown>): void {
    if (this.state === 'terminated') return;
    this.state = 'terminated';
    this.pending2xx?.sender.stop();
    this.pending2xx = null;
    if (forgetAfter === undefined) this.deps.onTerminated(this);
    else void forgetAfter.then(() => this.deps.onTerminated(this));
    for (const cb of this.terminatedCallbacks) {
      try {
        cb(reason);
      } catch (err) {
        this.deps.log.error({ err }, 'dialog onTerminated callback threw');
      }
    }
  }
}

export function dialogKey(callId: string, localTag: string, remoteTag: string): string {
  return `${callId}|${localTag}|${remoteTag}`;
}
