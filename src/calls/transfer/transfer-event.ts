/** A transfer's state as the number's status callback reports it (`TransferStatus`). */
export type TransferStatus = 'in-progress' | 'completed' | 'failed';

/** One state change of a transfer attempt (one Refers entry), for the `transfer-events` status callback. */
export interface TransferEvent {
  readonly referSid: string;
  readonly status: TransferStatus;
  /** Party names as in the refer app's parameters. */
  readonly transferor: string;
  readonly transferee: string;
  readonly referTarget: string;
  readonly transferorCallSid: string;
  /** The new leg bridged to the transferee; known once the transfer completed. */
  readonly targetCallSid: string | null;
  /** The sipfrag status of the last NOTIFY sent (final events; null when none was sent). */
  readonly notifyStatus: number | null;
  readonly failureReason: string | null;
}

/** `SequenceNumber` per state: callbacks go out concurrently with others, the app orders them by this. */
const SEQUENCE: Record<TransferStatus, number> = { 'in-progress': 0, completed: 1, failed: 1 };

/** The request parameters a transfer event adds to the transferee call's base parameters. */
export function transferEventParameters(e: TransferEvent): Record<string, string> {
  const params: Record<string, string> = {
    CallbackSource: 'transfer-events',
    SequenceNumber: String(SEQUENCE[e.status]),
    ReferSid: e.referSid,
    TransferStatus: e.status,
    Transferor: e.transferor,
    Transferee: e.transferee,
    ReferTarget: e.referTarget,
    TransferorCallSid: e.transferorCallSid,
  };
  if (e.targetCallSid !== null) params.TransferTargetCallSid = e.targetCallSid;
  if (e.notifyStatus !== null) params.NotifyStatus = String(e.notifyStatus);
  if (e.failureReason !== null) params.FailureReason = e.failureReason;
  return params;
}
