import type { SipMessage } from '../message/types.js';

export type TransportName = 'UDP' | 'TCP';

/** Where to send a message. `connectionId` names an open TCP connection to reuse if it is still up. */
export interface SipTarget {
  readonly transport: TransportName;
  readonly host: string;
  readonly port: number;
  readonly connectionId?: string;
}

/** Where a message came from, and on which local address:port it arrived. */
export interface SipSource extends SipTarget {
  readonly local: { readonly host: string; readonly port: number };
}

/**
 * UDP and TCP behind one face. Received requests already carry `received`/`rport` on their top Via;
 * messages that fail to parse never reach `onMessage` (requests get a 400, responses are dropped).
 */
export interface Transport {
  /** Serializes and sends; resolves with the target actually used (a UDP request over 1300 bytes goes over TCP). */
  send(msg: SipMessage, target: SipTarget): Promise<SipTarget>;
  onMessage(cb: (msg: SipMessage, source: SipSource) => void): void;
  /** Keeps a TCP connection open past its idle timeout while a transaction uses it; pair with `release`. */
  hold(connectionId: string): void;
  release(connectionId: string): void;
  readonly udpPort: number;
  readonly tcpPort: number;
  /** Host written into Via, Contact and Record-Route. */
  readonly advertisedHost: string;
  stats(): TransportStats;
  close(): Promise<void>;
}

export interface TransportStats {
  readonly tcpConnections: number;
  readonly received: number;
  readonly sent: number;
  /** Messages that failed to parse (requests answered 400 or dropped, responses dropped). */
  readonly parseErrors: number;
}
