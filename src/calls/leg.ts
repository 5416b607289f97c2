import type { Logger } from '../log.js';
import type { Endpoint } from '../media/media-server.js';
import type { SipRequest } from '../sip/message/types.js';
import type { Dialog, ServerTransaction } from '../sip/stack-api.js';
import type { ReferHandler } from './usages/refer.js';
import { ReferClient, type ReferClientOptions, type ReferResult } from './transfer/refer-client.js';

export type LegEnd =
  /** The caller CANCELed before the final response. */
  | 'canceled'
  /** The peer sent BYE. */
  | 'remote-bye'
  /** We ended it (BYE sent, or a final non-2xx). */
  | 'local'
  /** The dialog died without a BYE: 2xx never ACKed, in-dialog 408/481. */
  | 'lost';

export type ReferOptions = Omit<ReferClientOptions, 'dialog' | 'log'>;

/** The SIP side of one call as the call control drives it, whichever side sent the INVITE. */
export interface Leg {
  readonly ended: LegEnd | null;
  onEnd(listener: (how: LegEnd) => void): void;
  /**
   * An inbound leg sends its 200 OK with the endpoint's SDP (rejects with `SdpNegotiationError` after
   * a 488); a leg we placed was answered by the far end already: no-op.
   */
  answer(endpoint: Endpoint): Promise<void>;
  /** A final non-2xx to an unanswered inbound INVITE; a leg we placed is hung up instead. */
  reject(status: number, reason: string, headers?: ReadonlyArray<readonly [string, string]>): void;
  /** BYE once answered; otherwise whatever ends the INVITE (480, CANCEL). */
  hangup(): void;
  /** RCML `<Refer>`: REFER to the far end and follow the NOTIFYs of its subscription. */
  refer(opts: ReferOptions): Promise<ReferResult>;
  /** Set while the call may be transferred (a bridged Dial); REFERs are refused 403 otherwise. */
  referHandler: ReferHandler | null;
}

/** A leg's RCML `<Refer>` in progress: at most one; the leg offers it every in-dialog NOTIFY. */
export class PendingRefer {
  private client: ReferClient | null = null;

  send(dialog: Dialog | null, opts: ReferOptions, log: Logger): Promise<ReferResult> {
    if (dialog === null || dialog.state === 'terminated') return Promise.resolve({ status: 'failed', sipResponseCode: 0 });
    const client = ReferClient.send({ ...opts, dialog, log });
    this.client = client;
    return client.result.finally(() => {
      if (this.client === client) this.client = null;
    });
  }

  receive(req: SipRequest, tx: ServerTransaction): boolean {
    return this.client?.receive(req, tx) ?? false;
  }
}
