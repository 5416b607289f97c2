/**
 * Run-time failures of a designer project, one code per cause (Notification `error_code`, documented in
 * `docs/designer-runtime.md`). A step throws `StepFailure`; the controller logs it, reports it and answers
 * with the fallback document.
 */
export const FAILURE = {
  /** The target names a module the project does not have. */
  missingModule: 15100,
  /** The target names a step its module does not have. */
  missingStep: 15101,
  /** A step of a kind this node does not know. */
  unknownStepKind: 15102,
  /** An action came back for a step that has no module to continue with (Dial `nextModule`, Record `next`, ...). */
  noNextModule: 15103,
  /** More module switches in one request than `MAX_REROUTES`: steps that route to each other. */
  rerouteLoop: 15104,
  /** The caller gave invalid input to a Gather `MAX_GATHER_ATTEMPTS` times. */
  gatherAttempts: 15105,
  /** A step lacks a field it needs at run time (a state saved without validation). */
  badStep: 15106,
  /** External Service: no answer within the timeout, and no `onTimeout`. */
  serviceTimeout: 15110,
  /** External Service: status 400-599, and no `exceptionNext`. */
  serviceStatus: 15111,
  /** External Service: the answer is not JSON although assignments or routing read it. */
  serviceJson: 15112,
  /** External Service: an assignment or the routing value is not where the extractor looks. */
  serviceValue: 15113,
  /** External Service: the request could not be made (bad URL, connection refused). */
  serviceRequest: 15114,
  /** External Service: fixed routing without a `next` module. */
  serviceRoute: 15115,
  /** Control: a numeric comparison of something that is not a number. */
  controlNotNumeric: 15120,
  /** Control: a condition expression naming an unknown condition, or a regular expression that does not compile. */
  controlExpression: 15121,
  /** An error of this node's code rather than of the project (a bug): still answered with the fallback. */
  internal: 15199,
} as const;

export type FailureCode = (typeof FAILURE)[keyof typeof FAILURE];

export class StepFailure extends Error {
  constructor(
    readonly code: FailureCode,
    message: string,
  ) {
    super(message);
    this.name = 'StepFailure';
  }
}
