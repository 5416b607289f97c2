import type { Store } from '../store/store.js';
import type { Account } from '../store/schema.js';
import { isSid } from '../store/sid.js';
import { forbidden, notFound } from './errors.js';
import { isPermitted, type Action, type Target } from './permissions.js';

/** True when `target` is `caller` or one of its descendants. */
export async function isInTree(store: Store, caller: Account, target: Account): Promise<boolean> {
  let current: Account | undefined = target;
  // Depth is at most three levels; the bound only guards against a corrupted parent cycle.
  for (let step = 0; step < 8 && current !== undefined; step++) {
    if (current.sid === caller.sid) return true;
    if (current.parent_sid === null) return false;
    current = await store.accounts.findBySid(current.parent_sid);
  }
  return false;
}

/**
 * The account named by `{AccountSid}` in a sub-resource path, after Restcomm's checks in its order:
 * permission (403), existence (404; also for a malformed SID), then the caller's tree (403).
 */
export async function operatedAccount(store: Store, caller: Account, urlSid: string, action: Action, target: Target): Promise<Account> {
  if (!isPermitted(caller, action, target)) throw forbidden(`${action}:${target} is not allowed for role ${caller.role}`);
  const account = urlSid === caller.sid ? caller : isSid(urlSid, 'AC') ? await store.accounts.findBySid(urlSid) : undefined;
  if (account === undefined) throw notFound(`Account ${urlSid}`);
  if (!(await isInTree(store, caller, account))) throw forbidden(`Account ${urlSid} is outside the caller's account tree`);
  return account;
}
