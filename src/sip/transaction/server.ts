import type { Logger } from '../../log.js';
import { createResponse, generateTag, type SipRequest, type SipResponse } from '../message/index.js';
import type { MessageExtra, ServerTransaction } from '../stack-api.js';
import { responseTarget } from '../transport/routing.js';
import type { SipSource, Transport } from '../transport/types.js';
import type { Clock } from '../../clock.js';
import { InviteServerTransaction } from './invite-server.js';
import { NonInviteServerTransaction } from './non-invite-server.js';
import type { ServerState, TimerValues, TransactionEnv } from './types.js';

export interface ServerDeps {
  readonly transport: Transport;
  readonly clock: Clock;
  readonly timers: TimerValues;
  readonly log: Logger;
  /** See `responseTarget`. */
  readonly symmetricResponses: boolean;
  onTerminated(tx: StackServerTransaction): void;
}

/**
 * A server transaction as the TU sees it: the RFC 3261 state machine plus response building, a stable
 * To tag, and CANCEL notification. Responses go where RFC 3261 18.2.2 / RFC 3581 say.
 */
export class StackServerTransaction implements ServerTransaction {
  readonly toTag: string;
  readonly machine: InviteServerTransaction | NonInviteServerTransaction;
  private readonly cancelCallbacks: Array<(cancel: SipRequest) => void> = [];
  private readonly sentCallbacks: Array<(res: SipResponse) => void> = [];

  constructor(
    readonly request: SipRequest,
    readonly source: SipSource,
    readonly key: string,
    deps: ServerDeps,
  ) {
    this.toTag = request.to.params.get('tag') ?? generateTag();
    const target = responseTarget(request, source, deps.symmetricResponses);
    const env: TransactionEnv = {
      clock: deps.clock,
      timers: deps.timers,
      reliable: source.transport === 'TCP',
      send: (msg) => {
        deps.transport.send(msg, target).catch((err: unknown) => deps.log.debug({ err, target }, 'sending a response failed'));
      },
    };
    const events = {
      onTimeout: () => deps.log.debug({ callId: request.callId }, 'no ACK for a non-2xx final response (Timer H)'),
      onTerminated: () => {
        if (source.connectionId !== undefined) deps.transport.release(source.connectionId);
        deps.onTerminated(this);
      },
    };
    if (source.connectionId !== undefined) deps.transport.hold(source.connectionId);
    this.machine = request.method === 'INVITE' ? new InviteServerTransaction(request, env, events) : new NonInviteServerTransaction(request, env, events);
  }

  get state(): ServerState {
    return this.machine.state;
  }

  get answered(): boolean {
    const s = this.machine.state;
    return s !== 'trying' && s !== 'proceeding';
  }

  respond(status: number, reason?: string, extra: MessageExtra = {}): SipResponse {
    const res = createResponse(this.request, status, reason, {
      headers: extra.headers ?? [],
      body: extra.body ?? Buffer.alloc(0),
      ...(status === 100 ? {} : { toTag: this.toTag }),
    });
    this.machine.respond(res);
    for (const cb of this.sentCallbacks) cb(res);
    if (status >= 200) {
      // The transaction lives on for up to 32 s to absorb retransmissions; it must not keep the call's
      // closures (and through them its media endpoint and records) reachable that long.
      this.sentCallbacks.length = 0;
      this.cancelCallbacks.length = 0;
    }
    return res;
  }

  onCancel(cb: (cancel: SipRequest) => void): void {
    this.cancelCallbacks.push(cb);
  }

  /** Internal: the dialog layer follows what the TU answers (to confirm or end an early dialog). */
  onResponseSent(cb: (res: SipResponse) => void): void {
    this.sentCallbacks.push(cb);
  }

  /** A CANCEL matched this INVITE; answers 487 if still unanswered. Returns whether it was cancelled. */
  cancel(cancel: SipRequest): boolean {
    if (this.request.method !== 'INVITE' || this.answered) return false;
    const callbacks = [...this.cancelCallbacks];
    this.respond(487);
    for (const cb of callbacks) cb(cancel);
    return true;
  }

  receive(req: SipRequest): void {
    this.machine.receive(req);
  }

  terminate(): void {
    this.machine.terminate();
  }
}
