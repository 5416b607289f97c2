/**
 * RVD's answer shapes (`RvdResponse`): `{"rvdStatus":"OK|INVALID|ERROR|NOT_FOUND","exception":{...},"payload":...}`
 * with nulls left out, and the error that carries one to the designer's error handler.
 */
import type { ValidationItem } from '../project/validate.js';

export type RvdStatus = 'OK' | 'INVALID' | 'ERROR' | 'NOT_FOUND';

export interface RvdException {
  readonly className: string;
  readonly message?: string;
  readonly [extra: string]: unknown;
}

export function rvdResponse(rvdStatus: RvdStatus, exception?: RvdException, payload?: unknown): Record<string, unknown> {
  return { rvdStatus, ...(exception === undefined ? {} : { exception }), ...(payload === undefined ? {} : { payload }) };
}

/** RVD's report of a project that failed validation (`ValidationException` with its `jsonSchemaReport`). */
export function invalidProject(items: readonly ValidationItem[]): Record<string, unknown> {
  return rvdResponse('INVALID', {
    className: 'ValidationException',
    jsonSchemaReport: { success: false, errorItems: items.map((i) => ({ level: i.level, summary: i.summary, failurePath: i.failurePath })) },
  });
}

/** An answer other than 200: `body` null is an empty body (RVD's 401). */
export class RvdError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`designer answer ${status}`);
  }
}

const error = (status: number, rvdStatus: RvdStatus, className: string, message: string): RvdError =>
  new RvdError(status, rvdResponse(rvdStatus, { className, message }));

/** 400 naming what is wrong; `className` is RVD's exception name where it has one. */
export const badRequest = (message: string, className = 'InvalidServiceParameters'): RvdError => error(400, 'ERROR', className, message);
export const projectNotFound = (sid: string): RvdError => error(404, 'NOT_FOUND', 'ProjectDoesNotExist', `project ${sid} does not exist`);
export const notFound = (className: string, message: string): RvdError => error(404, 'NOT_FOUND', className, message);
export const forbidden = (message: string): RvdError => error(403, 'ERROR', 'ForbiddenResourceException', message);
export const conflict = (message: string): RvdError => error(409, 'ERROR', 'ApplicationAlreadyExists', message);
/** RVD's 401 has no body and, so that browsers show the designer's own login, no `WWW-Authenticate`. */
export const unauthorized = (): RvdError => new RvdError(401, null);
