import type { Logger } from '../../log.js';
import { createResponse, type SipRequest, type SipResponse } from '../message/index.js';
import type { ClientTransaction } from '../stack-api.js';
import type { SipTarget, Transport } from '../transport/types.js';
import type { Clock } from '../../clock.js';
import { ackForNon2xx, cancelFor } from './ack.js';
import { InviteClientTransaction } from './invite-client.js';
import { NonInviteClientTransaction } from './non-invite-client.js';
import type { TimerValues, TransactionEnv } from './types.js';

export interface ClientDeps {
  readonly transport: Transport;
  readonly clock: Clock;
  readonly timers: TimerValues;
  readonly log: Logger;
  onTerminated(tx: StackClientTransaction): void;
  /** Starts the CANCEL's own non-INVITE client transaction towards the INVITE's target. */
  sendCancel(cancel: SipRequest, target: SipTarget): void;
}

/**
 * A client transaction as the TU sees it. `request` must already carry the stack's top Via; the
 * transport of `target` decides reliability (the caller applies the 1300-byte rule beforehand).
 */
export class StackClientTransaction implements ClientTransaction {
  readonly machine: InviteClientTransaction | NonInviteClientTransaction;
  readonly final: Promise<SipResponse>;
  readonly target: Promise<SipTarget>;
  private resolveFinal!: (res: SipResponse) => void;
  private resolveTarget!: (t: SipTarget) => void;
  private readonly callbacks: Array<(res: SipResponse) => void> = [];
  private usedTarget: SipTarget;
  private gotProvisional = false;
  private cancelState: 'none' | 'wanted' | 'sent' = 'none';
  private settled = false;

  constructor(
    readonly request: SipRequest,
    target: SipTarget,
    readonly key: string,
    private readonly deps: ClientDeps,
  ) {
    this.usedTarget = target;
    this.final = new Promise((resolve) => (this.resolveFinal = resolve));
    this.target = new Promise((resolve) => (this.resolveTarget = resolve));
    let first = true;
    const env: TransactionEnv = {
      clock: deps.clock,
      timers: deps.timers,
      reliable: target.transport === 'TCP',
      send: (msg) => {
        const isFirst = first;
        first = false;
        deps.transport.send(msg, this.usedTarget).then(
          (used) => {
            this.usedTarget = used;
            if (used.connectionId !== undefined && isFirst) deps.transport.hold(used.connectionId);
            if (isFirst) this.resolveTarget(used);
          },
          (err: unknown) => {
            deps.log.debug({ err, target: this.usedTarget }, 'sending a request failed');
            if (isFirst) this.resolveTarget(this.usedTarget);
            this.settle(createResponse(request, 503, 'Service Unavailable - Transport Failure'));
            this.machine.terminate();
          },
        );
      },
    };
    const events = {
      onResponse: (res: SipResponse) => this.deliver(res),
      onTimeout: () => this.settle(createResponse(request, 408, 'Request Timeout')),
      onTerminated: () => {
        if (this.usedTarget.connectionId !== undefined) deps.transport.release(this.usedTarget.connectionId);
        deps.onTerminated(this);
      },
    };
    this.machine = request.method === 'INVITE'
      ? new InviteClientTransaction(request, env, ackForNon2xx, events)
      : new NonInviteClientTransaction(request, env, events);
  }

  /** The target in use: after the first send it names the TCP connection, if any. */
  get currentTarget(): SipTarget {
    return this.usedTarget;
  }

  start(): void {
    this.machine.start();
  }

  private deliver(res: SipResponse): void {
    if (res.status < 200) {
      this.gotProvisional = true;
      if (this.cancelState === 'wanted') this.sendCancel();
    }
    // Over a snapshot: a listener added while this response is delivered (the UAC dialog created from
    // this 2xx) must not receive it too, or it would take it for a retransmission and ACK it again.
    for (const cb of [...this.callbacks]) cb(res);
    if (res.status >= 200) this.settle(res);
  }

  private settle(res: SipResponse): void {
    if (this.settled) return;
    this.settled = true;
    this.resolveFinal(res);
  }

  onResponse(cb: (res: SipResponse) => void): void {
    this.callbacks.push(cb);
  }

  cancel(): void {
    if (this.request.method !== 'INVITE' || this.settled || this.cancelState !== 'none') return;
    this.cancelState = 'wanted';
    // RFC 3261 9.1: a CANCEL must wait for a provisional response; deliver() sends it then.
    if (this.gotProvisional) this.sendCancel();
  }

  private sendCancel(): void {
    if (this.settled) return;
    this.cancelState = 'sent';
    this.deps.sendCancel(cancelFor(this.request), this.usedTarget);
  }

  receive(res: SipResponse): void {
    this.machine.receive(res);
  }

  terminate(): void {
    this.machine.terminate();
  }
}
