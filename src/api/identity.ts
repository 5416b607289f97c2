import type { FastifyRequest } from 'fastify';
import type { Account } from '../store/schema.js';
import { ApiError } from './errors.js';

const callers = new WeakMap<FastifyRequest, Account>();

export function setCaller(request: FastifyRequest, account: Account): void {
  callers.set(request, account);
}

/** The authenticated account of this request (set by the authentication hook). */
export function callerOf(request: FastifyRequest): Account {
  const account = callers.get(request);
  if (account === undefined) throw new ApiError(401, null, { headers: { 'WWW-Authenticate': 'Basic realm="Restcomm realm"' } });
  return account;
}
