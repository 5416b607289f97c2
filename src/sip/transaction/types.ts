import type { Clock } from '../../clock.js';
import type { SipMessage, SipRequest, SipResponse } from '../message/types.js';

/** RFC 3261 §17 base timer values in milliseconds (T1 = RTT estimate, T2 = max non-INVITE retransmit interval, T4 = max network lifetime). */
export interface TimerValues {
  readonly t1: number;
  readonly t2: number;
  readonly t4: number;
}

export const DEFAULT_TIMERS: TimerValues = { t1: 500, t2: 4000, t4: 5000 };

/** What a transaction needs from below: a clock, its timer values, and a way to put one message on its flow. */
export interface TransactionEnv {
  readonly clock: Clock;
  readonly timers: TimerValues;
  /** True over TCP: nothing is retransmitted and the wait timers (D, I, J, K) are zero. */
  readonly reliable: boolean;
  send(msg: SipMessage): void;
}

export type ClientState = 'calling' | 'trying' | 'proceeding' | 'completed' | 'accepted' | 'terminated';
export type ServerState = 'trying' | 'proceeding' | 'completed' | 'confirmed' | 'accepted' | 'terminated';

export interface ClientTransactionEvents {
  /** Every response the TU must see: provisionals, the final one, and (INVITE) 2xx retransmissions. */
  onResponse(res: SipResponse): void;
  /** Timer B or F fired: no final response arrived in 64·T1. */
  onTimeout(): void;
  onTerminated(): void;
}

export interface ServerTransactionEvents {
  /** Timer H fired: a non-2xx final answer to an INVITE was never acknowledged. */
  onTimeout(): void;
  onTerminated(): void;
}

/** Builds the ACK a client INVITE transaction sends for a non-2xx final response (RFC 3261 17.1.1.3). */
export type AckBuilder = (invite: SipRequest, response: SipResponse) => SipRequest;
