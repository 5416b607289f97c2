import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { realClock, type Clock } from '../clock.js';
import { SipDialog, dialogKey } from './dialog/dialog.js';
import {
  createResponse,
  generateBranch,
  generateTag,
  parseNameAddr,
  serialize,
  withHeader,
  withPrependedVia,
  type RandomSource,
  type SipMessage,
  type SipRequest,
  type SipResponse,
} from './message/index.js';
import { responseFault, validateRequest } from './message/validate.js';
import { DIALOG_ONLY_METHODS, allowValue, isSipMethod, type OutOfDialogMethod, type SipMethod } from './methods.js';
import type { ClientTransaction, Dialog, HandleOptions, RequestHandler, ServerTransaction, SipStack, SipStackStats } from './stack-api.js';
import { StackClientTransaction } from './transaction/client.js';
import { clientKey, serverKey } from './transaction/key.js';
import { StackServerTransaction } from './transaction/server.js';
import { DEFAULT_TIMERS, type TimerValues } from './transaction/types.js';
import { UDP_REQUEST_LIMIT, createTransport } from './transport/transport.js';
import { responseTarget, uriTarget } from './transport/routing.js';
import type { SipSource, SipTarget, Transport, TransportName } from './transport/types.js';

export type * from './stack-api.js';

export interface SipStackOptions {
  readonly config: Config;
  readonly log: Logger;
  readonly clock?: Clock;
  /** Randomness for branches and tags (tests make them predictable). */
  readonly random?: RandomSource;
  readonly timers?: TimerValues;
  /** Idle TCP connections are closed after this long; default 5 minutes. */
  readonly tcpIdleMs?: number;
  /** Default 10 000. */
  readonly maxTcpConnections?: number;
  /** Seconds put in Retry-After of the overload 503; default 5. */
  readonly retryAfterSeconds?: number;
  /** Answer UDP requests at their source address:port even without `rport` (default false: RFC 3261 18.2.2). */
  readonly symmetricResponses?: boolean;
}

const DIALOG_ONLY = new Set<string>(DIALOG_ONLY_METHODS);
/**
 * Extensions advertised in Supported and accepted in Require: only what the node really does. `replaces`
 * (attended transfer) and `timer` (session timers) are not implemented, and phones that see them offered
 * would rely on them.
 */
const SUPPORTED_EXTENSIONS = ['norefersub'];
const ACCEPT = ['application/sdp', 'message/sipfrag', 'application/dtmf-relay'];

interface Registration {
  readonly method: OutOfDialogMethod;
  readonly handler: RequestHandler;
  readonly inDialog: readonly SipMethod[];
}

type RequestFilter = (req: SipRequest, source: SipSource) => boolean;

class Stack implements SipStack {
  private readonly serverTxs = new Map<string, StackServerTransaction>();
  /**
   * Server transactions the TU has not answered yet: the overload measure. Answered ones only wait out
   * their retransmission timers (Timer J/K, up to 32 s) and cost nothing, so they must not count.
   */
  private readonly unanswered = new Set<StackServerTransaction>();
  private readonly clientTxs = new Map<string, StackClientTransaction>();
  private readonly dialogs = new Map<string, SipDialog>();
  private readonly handlers = new Map<string, Registration>();
  private requestFilter: RequestFilter | null = null;
  private readonly clock: Clock;
  private readonly timers: TimerValues;
  private readonly log: Logger;

  constructor(
    private readonly transport: Transport,
    private readonly opts: SipStackOptions,
  ) {
    this.clock = opts.clock ?? realClock;
    this.timers = opts.timers ?? DEFAULT_TIMERS;
    this.log = opts.log.child({ module: 'sip' });
    transport.onMessage((msg, source) => this.dispatch(msg, source));
  }

  get udpPort(): number {
    return this.transport.udpPort;
  }

  get tcpPort(): number {
    return this.transport.tcpPort;
  }

  get advertisedHost(): string {
    return this.transport.advertisedHost;
  }

  handle(method: OutOfDialogMethod, handler: RequestHandler, options: HandleOptions = {}): void {
    if (this.handlers.has(method)) throw new Error(`a handler for ${method} is already registered`);
    this.handlers.set(method, { method, handler, inDialog: options.inDialog ?? [] });
  }

  setRequestFilter(shouldDrop: RequestFilter): void {
    this.requestFilter = shouldDrop;
  }

  contact(transport: TransportName, user?: string): string {
    const userPart = user === undefined ? '' : `${user}@`;
    return `<sip:${userPart}${this.advertisedHost}:${this.udpPort}${transport === 'TCP' ? ';transport=tcp' : ''}>`;
  }

  private branch(): string {
    return this.opts.random ? generateBranch(this.opts.random) : generateBranch();
  }

  // ---- inbound ----

  private dispatch(msg: SipMessage, source: SipSource): void {
    if (msg.kind === 'response') this.receiveResponse(msg);
    else this.receiveRequest(msg, source);
  }

  private receiveResponse(res: SipResponse): void {
    const fault = responseFault(res);
    if (fault !== null) {
      this.log.debug({ fault, status: res.status }, 'response dropped');
      return;
    }
    const key = clientKey(res);
    const tx = key === null ? undefined : this.clientTxs.get(key);
    if (tx) tx.receive(res);
    else this.log.debug({ status: res.status, callId: res.callId }, 'response matches no transaction; dropped');
  }

  private statelessReply(req: SipRequest, source: SipSource, status: number, reason: string, headers: ReadonlyArray<readonly [string, string]> = []): void {
    if (req.method === 'ACK') return;
    let target: SipTarget = source;
    try {
      target = responseTarget(req, source, this.opts.symmetricResponses === true);
    } catch {
      // A broken Via leaves only the address the request came from.
    }
    const res = createResponse(req, status, reason, { headers, toTag: generateTag() });
    this.transport.send(res, target).catch((err: unknown) => this.log.debug({ err }, 'stateless response failed'));
  }

  private receiveRequest(req: SipRequest, source: SipSource): void {
    if (this.dropped(req, source)) return;
    const failure = validateRequest(req, { supportedExtensions: SUPPORTED_EXTENSIONS, acceptedContentTypes: [...ACCEPT, 'multipart/mixed'], knownSchemes: ['sip', 'sips', 'tel'] });
    if (failure !== null) {
      this.log.debug({ status: failure.status, reason: failure.reason, method: req.method }, 'request rejected by validation');
      this.statelessReply(req, source, failure.status, failure.reason, failure.headers ?? []);
      return;
    }
    const key = serverKey(req);
    if (key === null) return;
    const existing = this.serverTxs.get(key);
    if (existing) {
      if (req.method === 'ACK' && existing.state !== 'completed') this.routeAck(req);
      else existing.receive(req);
      return;
    }
    if (req.method === 'ACK') {
      this.routeAck(req);
      return;
    }
    const toTag = req.to.params.get('tag');
    const isNew = (req.method === 'INVITE' || req.method === 'REGISTER') && !toTag;
    if (isNew && this.unanswered.size >= this.opts.config.sipMaxPendingTransactions) {
      this.log.warn({ unanswered: this.unanswered.size, method: req.method }, 'overload: answering 503');
      this.statelessReply(req, source, 503, 'Service Unavailable', [['Retry-After', String(this.opts.retryAfterSeconds ?? 5)]]);
      return;
    }
    const tx = new StackServerTransaction(req, source, key, {
      transport: this.transport,
      clock: this.clock,
      timers: this.timers,
      log: this.log,
      symmetricResponses: this.opts.symmetricResponses === true,
      onTerminated: (t) => {
        if (this.serverTxs.get(t.key) === t) this.serverTxs.delete(t.key);
        this.unanswered.delete(t);
      },
    });
    this.serverTxs.set(key, tx);
    this.unanswered.add(tx);
    tx.onResponseSent((res) => {
      if (res.status >= 200) this.unanswered.delete(tx);
    });
    if (req.method === 'INVITE') tx.respond(100);
    try {
      this.route(req, tx, source, toTag ?? null);
    } catch (err) {
      this.log.error({ err, method: req.method }, 'request handler threw');
      if (!tx.answered) tx.respond(500, 'Server Internal Error');
    }
  }

  /** In-dialog requests always pass: a call set up before its source was blocked must still end cleanly. */
  private dropped(req: SipRequest, source: SipSource): boolean {
    if (this.requestFilter === null || req.method === 'ACK' || req.to.params.has('tag')) return false;
    if (!this.requestFilter(req, source)) return false;
    this.log.debug({ method: req.method, source: `${source.transport}:${source.host}:${source.port}` }, 'request dropped by filter');
    return true;
  }

  private route(req: SipRequest, tx: StackServerTransaction, source: SipSource, toTag: string | null): void {
    if (req.method === 'CANCEL') {
      const key = serverKey(req, 'INVITE');
      const invite = key === null ? undefined : this.serverTxs.get(key);
      if (!invite) {
        tx.respond(481, 'Call/Transaction Does Not Exist');
        return;
      }
      tx.respond(200);
      invite.cancel(req);
      return;
    }
    if (toTag !== null) {
      const dialog = this.dialogs.get(dialogKey(req.callId, toTag, req.from.params.get('tag') ?? ''));
      if (dialog) dialog.receive(req, tx);
      else tx.respond(481, 'Call/Transaction Does Not Exist');
      return;
    }
    if (!isSipMethod(req.method)) {
      tx.respond(501, 'Not Implemented', { headers: [['Allow', this.allow()]] });
      return;
    }
    if (DIALOG_ONLY.has(req.method)) {
      tx.respond(481, 'Call/Transaction Does Not Exist');
      return;
    }
    const registered = this.handlers.get(req.method);
    if (registered) registered.handler(req, tx, source);
    else if (req.method === 'OPTIONS') tx.respond(200, 'OK', { headers: this.capabilities() });
    else tx.respond(405, 'Method Not Allowed', { headers: [['Allow', this.allow()]] });
  }

  /** OPTIONS (answered here unless registered), what is registered, and what its dialogs answer. */
  private allow(): string {
    return allowValue(['OPTIONS', ...[...this.handlers.values()].flatMap((r) => [r.method, ...r.inDialog])]);
  }

  private capabilities(): Array<[string, string]> {
    return [
      ['Allow', this.allow()],
      ['Accept', ACCEPT.join(', ')],
      ['Supported', SUPPORTED_EXTENSIONS.join(', ')],
    ];
  }

  private routeAck(ack: SipRequest): void {
    const dialog = this.dialogs.get(dialogKey(ack.callId, ack.to.params.get('tag') ?? '', ack.from.params.get('tag') ?? ''));
    if (dialog) dialog.receiveAck(ack);
    else this.log.debug({ callId: ack.callId }, 'ACK matches no dialog; dropped');
  }

  // ---- outbound ----

  /** Adds our top Via (and Max-Forwards), choosing TCP when the request would be too big for UDP. */
  private stamp(req: SipRequest, target: SipTarget): { req: SipRequest; target: SipTarget } {
    const base = req.headers.has('Max-Forwards') ? req : withHeader(req, 'Max-Forwards', '70');
    const branch = this.branch();
    const via = (t: TransportName): string => `SIP/2.0/${t} ${this.advertisedHost}:${this.udpPort};branch=${branch};rport`;
    let out = withPrependedVia(base, via(target.transport));
    if (target.transport === 'UDP' && serialize(out).length > UDP_REQUEST_LIMIT) {
      target = { transport: 'TCP', host: target.host, port: target.port };
      out = withPrependedVia(base, via('TCP'));
    }
    return { req: out, target };
  }

  private defaultTarget(req: SipRequest): SipTarget {
    const route = req.headers.getAll('Route')[0];
    return uriTarget(route === undefined ? req.uri : parseNameAddr(route, 'Route').uri);
  }

  sendRequest(req: SipRequest, target?: SipTarget): ClientTransaction {
    const stamped = this.stamp(req, target ?? this.defaultTarget(req));
    return this.startClient(stamped.req, stamped.target);
  }

  private startClient(req: SipRequest, target: SipTarget): StackClientTransaction {
    const key = clientKey(req);
    if (key === null) throw new Error('request has no Via branch');
    const tx = new StackClientTransaction(req, target, key, {
      transport: this.transport,
      clock: this.clock,
      timers: this.timers,
      log: this.log,
      onTerminated: (t) => {
        if (this.clientTxs.get(t.key) === t) this.clientTxs.delete(t.key);
      },
      sendCancel: (cancel, t) => {
        this.startClient(cancel, t);
      },
    });
    this.clientTxs.set(key, tx);
    tx.start();
    return tx;
  }

  private sendAck(ack: SipRequest, target: SipTarget): { req: SipRequest; target: SipTarget } {
    const stamped = this.stamp(ack, target);
    this.transport.send(stamped.req, stamped.target).catch((err: unknown) => this.log.debug({ err }, 'sending ACK failed'));
    return stamped;
  }

  // ---- dialogs ----

  private dialogDeps() {
    return {
      transport: this.transport,
      clock: this.clock,
      timers: this.timers,
      log: this.log,
      sendRequest: (req: SipRequest, target: SipTarget) => this.sendRequest(req, target),
      sendAck: (ack: SipRequest, target: SipTarget) => this.sendAck(ack, target),
      contact: (t: TransportName) => this.contact(t),
      onTerminated: (d: SipDialog) => {
        if (this.dialogs.get(d.key) === d) this.dialogs.delete(d.key);
      },
    };
  }

  private register(dialog: SipDialog): SipDialog {
    this.dialogs.get(dialog.key)?.terminate('replaced by a new dialog with the same id');
    this.dialogs.set(dialog.key, dialog);
    return dialog;
  }

  createUasDialog(invite: SipRequest, tx: ServerTransaction, response: SipResponse): Dialog {
    const remoteTarget = parseNameAddr(invite.headers.getAll('Contact')[0] ?? `<${invite.from.uri.raw}>`, 'Contact').uri;
    const target = responseTarget(invite, tx.source, this.opts.symmetricResponses === true);
    const dialog = this.register(
      new SipDialog(
        {
          role: 'uas',
          state: response.status >= 200 ? 'confirmed' : 'early',
          id: { callId: invite.callId, localTag: tx.toTag, remoteTag: invite.from.params.get('tag') ?? '' },
          localHeader: response.headers.get('To') ?? '',
          remoteHeader: invite.headers.get('From') ?? '',
          remoteTarget,
          routeSet: invite.headers.getAll('Record-Route'),
          localSeq: 0,
          remoteSeq: invite.cseq.seq,
          flow: tx.source,
        },
        this.dialogDeps(),
      ),
    );
    if (response.status >= 200 && response.status < 300) dialog.awaitAck(response, target);
    if (tx instanceof StackServerTransaction) tx.onResponseSent((res) => dialog.followAnswer(res, target));
    return dialog;
  }

  createUacDialog(tx: ClientTransaction, response: SipResponse): Dialog {
    const invite = tx.request;
    const contact = response.headers.getAll('Contact')[0];
    const remoteTarget = contact === undefined ? invite.uri : parseNameAddr(contact, 'Contact').uri;
    const flow = tx instanceof StackClientTransaction ? tx.currentTarget : this.defaultTarget(invite);
    const dialog = this.register(
      new SipDialog(
        {
          role: 'uac',
          state: response.status >= 200 ? 'confirmed' : 'early',
          id: { callId: invite.callId, localTag: invite.from.params.get('tag') ?? '', remoteTag: response.to.params.get('tag') ?? '' },
          localHeader: invite.headers.get('From') ?? '',
          remoteHeader: response.headers.get('To') ?? '',
          remoteTarget,
          routeSet: response.headers.getAll('Record-Route').reverse(),
          localSeq: invite.cseq.seq,
          remoteSeq: null,
          flow,
          ...(response.status >= 200 ? { creating2xx: response } : {}),
        },
        this.dialogDeps(),
      ),
    );
    tx.onResponse((res) => dialog.followInvite(res));
    return dialog;
  }

  stats(): SipStackStats {
    return {
      serverTransactions: this.serverTxs.size,
      unansweredServerTransactions: this.unanswered.size,
      clientTransactions: this.clientTxs.size,
      dialogs: this.dialogs.size,
      tcpConnections: this.transport.stats().tcpConnections,
      parseErrors: this.transport.stats().parseErrors,
    };
  }

  async close(): Promise<void> {
    for (const d of [...this.dialogs.values()]) d.terminate('stack closed');
    for (const t of [...this.serverTxs.values()]) t.terminate();
    for (const t of [...this.clientTxs.values()]) t.terminate();
    await this.transport.close();
  }
}

/** Starts the SIP node: UDP and TCP on `config.sipBind:config.sipPort` (0 = ephemeral, see `udpPort`). */
export async function createSipStack(opts: SipStackOptions): Promise<SipStack> {
  const transport = await createTransport({
    host: opts.config.sipBind,
    port: opts.config.sipPort,
    advertisedHost: opts.config.sipExternalAddress,
    log: opts.log.child({ module: 'sip-transport' }),
    clock: opts.clock ?? realClock,
    tcpIdleMs: opts.tcpIdleMs ?? 300_000,
    maxTcpConnections: opts.maxTcpConnections ?? 10_000,
  });
  return new Stack(transport, opts);
}
