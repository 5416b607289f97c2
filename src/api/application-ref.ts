import { isSid } from '../store/sid.js';
import type { Store } from '../store/store.js';
import { badRequest } from './errors.js';

/**
 * The sid of the application `value` names for the account: an Application sid, or the FriendlyName of
 * exactly one application the account can see (its own or a global one), so a Visual Designer
 * application can be attached by its name. Anything else is a 400 naming `field`.
 */
export async function applicationRef(store: Pick<Store, 'applications'>, accountSid: string, field: string, value: string): Promise<string> {
  if (isSid(value, 'AP')) {
    if (await store.applications.findVisible(accountSid, value)) return value;
    throw badRequest(`${field} ${value} is not an application of this account`);
  }
  const sid = await applicationByName(store, accountSid, field, value);
  if (sid === undefined) throw badRequest(`${field} "${value}" is neither the sid nor the name of an application of this account`);
  return sid;
}

/** The sid of the one visible application named `name`; undefined when none has it; 400 when several do. */
export async function applicationByName(store: Pick<Store, 'applications'>, accountSid: string, field: string, name: string): Promise<string | undefined> {
  const found = await store.applications.findVisibleByName(accountSid, name);
  if (found.length > 1) throw badRequest(`${field} "${name}" is the name of ${found.length} applications of this account: give the application's sid`);
  return found[0]?.sid;
}
