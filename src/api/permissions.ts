import type { Account } from '../store/schema.js';

export type Action = 'Create' | 'Read' | 'Modify' | 'Delete';
export type Target = 'Accounts' | 'Clients' | 'Applications' | 'IncomingPhoneNumbers' | 'Notifications' | 'Refers' | 'Calls' | 'Recordings';

/** Restcomm's default `security-roles` (spec §1.8), limited to the resources this API serves. */
const ROLES: Readonly<Record<string, Readonly<Record<Target, readonly Action[]>>>> = {
  Developer: {
    Accounts: ['Create', 'Read', 'Modify', 'Delete'],
    Clients: ['Create', 'Read', 'Modify', 'Delete'],
    Applications: ['Create', 'Read', 'Modify', 'Delete'],
    IncomingPhoneNumbers: ['Create', 'Read', 'Modify', 'Delete'],
    Notifications: ['Read'],
    Refers: ['Read'],
    Calls: ['Create', 'Read', 'Modify', 'Delete'],
    Recordings: ['Read', 'Delete'],
  },
};

export const ADMINISTRATOR = 'Administrator';

/** Administrator passes every check; a role that is not configured passes none. */
export function isPermitted(account: Account, action: Action, target: Target): boolean {
  if (account.role === ADMINISTRATOR) return true;
  return ROLES[account.role]?.[target].includes(action) ?? false;
}
