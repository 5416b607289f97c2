import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import type { Logger } from '../../log.js';

/**
 * Receive buffer asked of the kernel. The default (~208 KB) overflows in bursts of a few hundred calls per
 * second and every drop costs a retransmission 500 ms later; Linux caps the request at
 * `net.core.rmem_max`, which docs/sip.md tells operators to raise.
 */
const RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;

/** The UDP side of the SIP transport: one socket, datagrams in and out. */
export class UdpEndpoint {
  private constructor(
    private readonly socket: Socket,
    readonly host: string,
  ) {}

  static async bind(host: string, port: number, log: Logger, onDatagram: (data: Buffer, from: RemoteInfo) => void): Promise<UdpEndpoint> {
    const socket = createSocket({ type: host.includes(':') ? 'udp6' : 'udp4', reuseAddr: false });
    socket.on('message', onDatagram);
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, host, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    // ICMP errors surface as socket errors on some platforms; a SIP node must not die of them.
    socket.on('error', (err) => log.debug({ err }, 'UDP socket error'));
    socket.setRecvBufferSize(RECEIVE_BUFFER_BYTES);
    log.debug({ receiveBuffer: socket.getRecvBufferSize() }, 'UDP receive buffer');
    return new UdpEndpoint(socket, host);
  }

  get port(): number {
    return this.socket.address().port;
  }

  send(bytes: Buffer, host: string, port: number): Promise<void> {
    return new Promise((resolve, reject) => this.socket.send(bytes, port, host, (err) => (err ? reject(err) : resolve())));
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}
