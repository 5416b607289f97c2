import { connect, createServer, type Server, type Socket } from 'node:net';
import type { Clock, TimerHandle } from '../../clock.js';
import type { Logger } from '../../log.js';
import { SipStreamFramer } from '../message/framer.js';

export interface TcpOptions {
  readonly host: string;
  readonly port: number;
  readonly maxConnections: number;
  /** Close a connection after this long without traffic, unless something holds it. */
  readonly idleMs: number;
  readonly clock: Clock;
  readonly log: Logger;
  onFrame(frame: Buffer, conn: TcpConnectionInfo): void;
  /** The framer threw: the stream can no longer be delimited, so the connection is closed after this. */
  onFramingError(err: unknown, conn: TcpConnectionInfo): void;
}

export interface TcpConnectionInfo {
  readonly id: string;
  readonly remoteHost: string;
  readonly remotePort: number;
  readonly localHost: string;
  readonly localPort: number;
}

interface Conn extends TcpConnectionInfo {
  localHost: string;
  localPort: number;
  readonly socket: Socket;
  readonly framer: SipStreamFramer;
  holds: number;
  idle: TimerHandle | null;
  ready: Promise<void>;
}

function flowKey(host: string, port: number): string {
  return `${host}:${port}`;
}

/**
 * The TCP side of the SIP transport: one listener plus a pool of connections, inbound and outbound,
 * found by id or by remote host:port so that responses and later requests reuse an open flow.
 */
export class TcpPool {
  private readonly byId = new Map<string, Conn>();
  private readonly byFlow = new Map<string, Conn>();
  private nextId = 1;
  private closed = false;

  private constructor(
    private readonly server: Server,
    private readonly opts: TcpOptions,
  ) {}

  static async listen(opts: TcpOptions): Promise<TcpPool> {
    const server = createServer();
    const pool = new TcpPool(server, opts);
    server.on('connection', (socket) => pool.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port, opts.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (err) => opts.log.error({ err }, 'TCP listener error'));
    return pool;
  }

  get port(): number {
    const addr = this.server.address();
    return typeof addr === 'object' && addr ? addr.port : 0;
  }

  get connectionCount(): number {
    return this.byId.size;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** Keeps a connection from idling out while a transaction on it is open; pair with `release`. */
  hold(id: string): void {
    const c = this.byId.get(id);
    if (c) c.holds++;
  }

  release(id: string): void {
    const c = this.byId.get(id);
    if (!c) return;
    c.holds = Math.max(0, c.holds - 1);
    this.touch(c);
  }

  private accept(socket: Socket): void {
    if (this.closed || this.byId.size >= this.opts.maxConnections) {
      this.opts.log.warn({ remote: socket.remoteAddress, limit: this.opts.maxConnections }, 'TCP connection refused: limit reached');
      socket.destroy();
      return;
    }
    this.register(socket, Promise.resolve(), socket.remoteAddress ?? '', socket.remotePort ?? 0);
  }

  private register(socket: Socket, ready: Promise<void>, remoteHost: string, remotePort: number): Conn {
    const conn: Conn = {
      id: `tcp-${this.nextId++}`,
      socket,
      // RFC 5626 keep-alive: a double-CRLF ping gets a single-CRLF pong.
      framer: new SipStreamFramer({ onPing: () => socket.write('\r\n') }),
      remoteHost,
      remotePort,
      localHost: socket.localAddress ?? '',
      localPort: socket.localPort ?? 0,
      holds: 0,
      idle: null,
      ready,
    };
    this.byId.set(conn.id, conn);
    this.byFlow.set(flowKey(conn.remoteHost, conn.remotePort), conn);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(conn, chunk));
    socket.on('error', (err) => this.opts.log.debug({ err, conn: conn.id }, 'TCP connection error'));
    socket.on('close', () => this.forget(conn));
    this.touch(conn);
    return conn;
  }

  private onData(conn: Conn, chunk: Buffer): void {
    this.touch(conn);
    for (const frame of conn.framer.push(chunk)) {
      if (Buffer.isBuffer(frame)) this.opts.onFrame(frame, conn);
      else {
        this.opts.onFramingError(frame, conn);
        conn.socket.destroy();
        return;
      }
    }
  }

  private touch(conn: Conn): void {
    if (conn.idle !== null) this.opts.clock.clearTimeout(conn.idle);
    conn.idle = this.opts.clock.setTimeout(() => {
      conn.idle = null;
      if (conn.holds > 0) this.touch(conn);
      else {
        this.opts.log.debug({ conn: conn.id }, 'TCP connection idle, closing');
        conn.socket.destroy();
        this.forget(conn);
      }
    }, this.opts.idleMs);
  }

  private forget(conn: Conn): void {
    if (conn.idle !== null) this.opts.clock.clearTimeout(conn.idle);
    conn.idle = null;
    if (this.byId.get(conn.id) === conn) this.byId.delete(conn.id);
    const key = flowKey(conn.remoteHost, conn.remotePort);
    if (this.byFlow.get(key) === conn) this.byFlow.delete(key);
  }

  /**
   * Writes bytes on the named connection if it is open, else on any open connection to host:port,
   * else on a new outbound one. Resolves with the id of the connection used.
   */
  async send(bytes: Buffer, host: string, port: number, connectionId?: string): Promise<string> {
    let conn = connectionId === undefined ? undefined : this.byId.get(connectionId);
    conn ??= this.byFlow.get(flowKey(host, port));
    conn ??= this.open(host, port);
    await conn.ready;
    this.touch(conn);
    const c = conn;
    await new Promise<void>((resolve, reject) => c.socket.write(bytes, (err) => (err ? reject(err) : resolve())));
    return c.id;
  }

  private open(host: string, port: number): Conn {
    if (this.closed) throw new Error('TCP transport is closed');
    if (this.byId.size >= this.opts.maxConnections) throw new Error(`TCP connection limit (${this.opts.maxConnections}) reached`);
    const socket = connect({ host, port });
    const ready = new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('error', reject);
    });
    const conn = this.register(socket, ready, host, port);
    ready.then(
      () => {
        conn.localHost = socket.localAddress ?? '';
        conn.localPort = socket.localPort ?? 0;
      },
      () => this.forget(conn),
    );
    return conn;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const c of [...this.byId.values()]) {
      c.socket.destroy();
      this.forget(c);
    }
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
