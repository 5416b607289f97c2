import { randomBytes } from 'node:crypto';

/** Source of random bytes; injectable so tests and simulations can be deterministic. */
export type RandomSource = (size: number) => Buffer;

/** RFC 3261 8.1.1.7: branches start with the magic cookie so RFC 3261 matching applies. */
export const BRANCH_COOKIE = 'z9hG4bK';

export function generateBranch(random: RandomSource = randomBytes): string {
  return `${BRANCH_COOKIE}${random(12).toString('base64url')}`;
}

/** 64 random bits are well above the 32 RFC 3261 19.3 asks for. */
export function generateTag(random: RandomSource = randomBytes): string {
  return random(8).toString('hex');
}

export function generateCallId(random: RandomSource = randomBytes, host?: string): string {
  const id = random(16).toString('base64url');
  return host === undefined ? id : `${id}@${host}`;
}
