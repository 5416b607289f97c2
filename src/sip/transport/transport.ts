import type { Clock } from '../../clock.js';
import type { Logger } from '../../log.js';
import {
  SipParseError,
  createRequest,
  createResponse,
  parseMessage,
  serialize,
  withHeader,
  withTopViaParams,
  formatVia,
  type SipMessage,
  type SipRequest,
} from '../message/index.js';
import { TcpPool, type TcpConnectionInfo } from './tcp.js';
import type { SipSource, SipTarget, Transport, TransportStats } from './types.js';
import { UdpEndpoint } from './udp.js';

/** RFC 3261 18.1.1: a request this much larger than the path MTU allowance must not go over UDP. */
export const UDP_REQUEST_LIMIT = 1300;

export interface TransportOptions {
  readonly host: string;
  /** 0 picks an ephemeral port (UDP first, then TCP on the same number when it is free). */
  readonly port: number;
  readonly advertisedHost: string;
  readonly log: Logger;
  readonly clock: Clock;
  readonly tcpIdleMs: number;
  readonly maxTcpConnections: number;
}


function isKeepAlive(data: Buffer): boolean {
  for (const b of data) if (b !== 13 && b !== 10) return false;
  return true;
}

/** Forces a response's lazily parsed views: a malformed response is dropped here, once (RFC 3261 18.1.2). */
function checkResponseViews(msg: SipMessage): void {
  void msg.vias;
  void msg.callId;
  void msg.cseq;
  void msg.from;
  void msg.to;
}

class SipTransport implements Transport {
  private listeners: Array<(msg: SipMessage, source: SipSource) => void> = [];
  private counters = { received: 0, sent: 0, parseErrors: 0 };
  private udp!: UdpEndpoint;
  private tcp!: TcpPool;

  constructor(private readonly opts: TransportOptions) {}

  async start(): Promise<void> {
    const log = this.opts.log;
    this.udp = await UdpEndpoint.bind(this.opts.host, this.opts.port, log, (data, from) =>
      this.receive(data, { transport: 'UDP', host: from.address, port: from.port, local: { host: this.opts.host, port: this.udp.port } }),
    );
    try {
      this.tcp = await TcpPool.listen({
        host: this.opts.host,
        port: this.udp.port,
        maxConnections: this.opts.maxTcpConnections,
        idleMs: this.opts.tcpIdleMs,
        clock: this.opts.clock,
        log,
        onFrame: (frame, conn) => this.receive(frame, this.tcpSource(conn)),
        onFramingError: (err, conn) => {
          this.counters.parseErrors++;
          log.debug({ err, conn: conn.id }, 'TCP stream cannot be framed; closing the connection');
        },
      });
    } catch (err) {
      await this.udp.close();
      throw err;
    }
  }

  private tcpSource(conn: TcpConnectionInfo): SipSource {
    return {
      transport: 'TCP',
      host: conn.remoteHost,
      port: conn.remotePort,
      connectionId: conn.id,
      local: { host: conn.localHost, port: conn.localPort },
    };
  }

  get udpPort(): number {
    return this.udp.port;
  }

  get tcpPort(): number {
    return this.tcp.port;
  }

  get advertisedHost(): string {
    return this.opts.advertisedHost;
  }

  onMessage(cb: (msg: SipMessage, source: SipSource) => void): void {
    this.listeners.push(cb);
  }

  hold(connectionId: string): void {
    this.tcp.hold(connectionId);
  }

  release(connectionId: string): void {
    this.tcp.release(connectionId);
  }

  private receive(data: Buffer, source: SipSource): void {
    if (isKeepAlive(data)) return;
    this.counters.received++;
    let msg: SipMessage;
    try {
      msg = parseMessage(data, { stream: source.transport === 'TCP' });
      if (msg.kind === 'response') checkResponseViews(msg);
    } catch (err) {
      this.rejectUnparsable(err, data, source);
      return;
    }
    if (msg.kind === 'request') {
      // The other typed views are checked by the stack's request validation, which names the fault.
      try {
        msg = this.stampVia(msg, source);
      } catch (err) {
        this.rejectBadVia(err, msg, source);
        return;
      }
    }
    for (const cb of this.listeners) {
      try {
        cb(msg, source);
      } catch (err) {
        this.opts.log.error({ err }, 'SIP message handler threw');
      }
    }
  }

  /** RFC 3261 18.2.1 and RFC 3581: record where the request really came from on its top Via. */
  private stampVia(req: SipRequest, source: SipSource): SipRequest {
    const top = req.vias[0];
    if (!top) return req;
    const wantsRport = top.params.has('rport');
    if (!wantsRport && top.host === source.host) return req;
    return withTopViaParams(req, source.host, wantsRport ? source.port : null);
  }

  private rejectUnparsable(err: unknown, data: Buffer, source: SipSource): void {
    this.counters.parseErrors++;
    const e = err instanceof SipParseError ? err : new SipParseError(400, 'Bad Request - Malformed message');
    this.opts.log.debug({ reason: e.reason, source: `${source.transport}:${source.host}:${source.port}`, bytes: data.length }, 'unparsable SIP message');
    const p = e.partial;
    if (p.kind !== 'request' || p.method === 'ACK') return;
    // Without a Via the answer could not be matched by the client; other missing fields are tolerated.
    if (!p.headers.some(([name]) => name === 'Via')) return;
    let reply: Buffer;
    try {
      const stub = createRequest({ method: p.method ?? 'UNKNOWN', uri: 'sip:invalid', headers: p.headers });
      reply = serialize(createResponse(stub, e.status, e.reason));
    } catch (buildErr) {
      this.opts.log.debug({ err: buildErr }, 'cannot build a 400 for an unparsable request');
      return;
    }
    // The Via may be the broken part, so answer the address the bytes came from.
    this.sendBytes(reply, source).catch((sendErr: unknown) => this.opts.log.debug({ err: sendErr }, 'sending 400 failed'));
  }

  /** A request whose Via cannot be read: answered from its raw field lines, at the address it came from. */
  private rejectBadVia(err: unknown, req: SipRequest, source: SipSource): void {
    this.counters.parseErrors++;
    const reason = err instanceof SipParseError ? err.reason : 'Bad Request - Malformed Via';
    this.opts.log.debug({ reason, source: `${source.transport}:${source.host}:${source.port}` }, 'request with an unreadable Via');
    if (req.method === 'ACK' || !req.headers.has('Via')) return;
    this.sendBytes(serialize(createResponse(req, 400, reason)), source).catch((sendErr: unknown) => this.opts.log.debug({ err: sendErr }, 'sending 400 failed'));
  }

  async send(msg: SipMessage, target: SipTarget): Promise<SipTarget> {
    let bytes = serialize(msg);
    let used = target;
    if (msg.kind === 'request' && target.transport === 'UDP' && bytes.length > UDP_REQUEST_LIMIT) {
      used = { transport: 'TCP', host: target.host, port: target.port };
      bytes = serialize(this.retagVia(msg, 'TCP'));
    }
    return this.sendBytes(bytes, used);
  }

  /** Rewrites the transport of our own top Via after the 1300-byte rule moved a request to TCP. */
  private retagVia(req: SipRequest, transport: string): SipRequest {
    const top = req.vias[0];
    if (!top) return req;
    const first = req.headers.getAll('Via');
    const rest = first.slice(1);
    return withHeader(req, 'Via', [formatVia({ ...top, transport }), ...rest].join(', '));
  }

  private async sendBytes(bytes: Buffer, target: SipTarget): Promise<SipTarget> {
    this.counters.sent++;
    if (target.transport === 'UDP') {
      await this.udp.send(bytes, target.host, target.port);
      return target;
    }
    const connectionId = await this.tcp.send(bytes, target.host, target.port, target.connectionId);
    return { ...target, connectionId };
  }

  stats(): TransportStats {
    return { tcpConnections: this.tcp.connectionCount, ...this.counters };
  }

  async close(): Promise<void> {
    await Promise.all([this.udp.close(), this.tcp.close()]);
  }
}

/**
 * Binds UDP and TCP on the same port and returns the combined transport. With port 0 the UDP port is
 * ephemeral and TCP may find it taken, so that case retries a few times.
 */
export async function createTransport(opts: TransportOptions): Promise<Transport> {
  for (let attempt = 0; ; attempt++) {
    const t = new SipTransport(opts);
    try {
      await t.start();
      return t;
    } catch (err) {
      const inUse = (err as NodeJS.ErrnoException).code === 'EADDRINUSE';
      if (opts.port !== 0 || !inUse || attempt >= 20) throw err;
    }
  }
}
