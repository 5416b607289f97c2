import { createHash, randomUUID } from 'node:crypto';

/** Restcomm SID prefixes (spec §1.6) plus Dialtone's own `RF` for Refers. */
export type SidPrefix = 'AC' | 'AP' | 'CL' | 'NO' | 'PN' | 'RE' | 'RG' | 'RF' | 'CA' | 'ID' | 'OR';

export function md5hex(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

/** PREFIX + 32 lowercase hex digits. */
export function newSid(prefix: SidPrefix): string {
  return prefix + randomUUID().replaceAll('-', '');
}

/** Restcomm derives an account's SID from its e-mail address, so it is the same on every node. */
export function accountSidForEmail(email: string): string {
  return 'AC' + md5hex(email.toLowerCase());
}

const SID = /^[a-zA-Z0-9]{34}$/;

/** True when `text` is a well-formed SID, optionally with the given prefix. */
export function isSid(text: string, prefix?: SidPrefix): boolean {
  return SID.test(text) && (prefix === undefined || text.startsWith(prefix));
}

export const ADMIN_ACCOUNT_SID = 'ACae6e420f425248d6a26948c17a9e2acf';
export const DEFAULT_ORGANIZATION_SID = 'ORafbe225ad37541eba518a74248f0ac4c';
export const API_VERSION = '2012-04-24';
