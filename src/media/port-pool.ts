import { createSocket, type Socket } from 'node:dgram';

export interface PortPair {
  readonly rtp: Socket;
  readonly rtcp: Socket;
  readonly port: number;
}

function bind(socket: Socket, port: number, address: string): Promise<boolean> {
  return new Promise((resolve) => {
    const onError = (): void => resolve(false);
    socket.once('error', onError);
    socket.bind(port, address, () => {
      socket.off('error', onError);
      resolve(true);
    });
  });
}

/**
 * Even RTP ports with RTCP on the next odd one, in a configured range. Ports another process holds are
 * skipped, so several nodes (or test suites) can share a range.
 */
export class PortPool {
  private readonly inUse = new Set<number>();
  private cursor: number;
  private readonly first: number;
  private readonly last: number;

  constructor(range: { min: number; max: number }, private readonly address: string) {
    this.first = range.min % 2 === 0 ? range.min : range.min + 1;
    this.last = range.max % 2 === 0 ? range.max - 2 : range.max - 1;
    if (this.last < this.first) throw new Error(`RTP port range ${range.min}-${range.max} holds no even/odd pair`);
    // A random start spreads concurrent nodes over the range instead of all fighting for the first port.
    const pairs = (this.last - this.first) / 2 + 1;
    this.cursor = this.first + 2 * Math.floor(Math.random() * pairs);
  }

  get size(): number {
    return this.inUse.size;
  }

  async allocate(): Promise<PortPair> {
    const pairs = (this.last - this.first) / 2 + 1;
    for (let i = 0; i < pairs; i++) {
      const port = this.cursor;
      this.cursor = this.cursor + 2 > this.last ? this.first : this.cursor + 2;
      if (this.inUse.has(port)) continue;
      this.inUse.add(port);
      const rtp = createSocket('udp4');
      const rtcp = createSocket('udp4');
      if ((await bind(rtp, port, this.address)) && (await bind(rtcp, port + 1, this.address))) {
        return { rtp, rtcp, port };
      }
      this.inUse.delete(port);
      closeQuietly(rtp);
      closeQuietly(rtcp);
    }
    throw new Error(`no free RTP port pair in ${this.first}-${this.last + 1}`);
  }

  release(pair: PortPair): void {
    closeQuietly(pair.rtp);
    closeQuietly(pair.rtcp);
    this.inUse.delete(pair.port);
  }
}

function closeQuietly(s: Socket): void {
  try {
    s.close();
  } catch {
    // Closing a socket that never bound throws ERR_SOCKET_DGRAM_NOT_RUNNING; there is nothing to free.
  }
}
