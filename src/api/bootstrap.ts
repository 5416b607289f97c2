import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/store.js';
import { ADMIN_ACCOUNT_SID, API_VERSION, DEFAULT_ORGANIZATION_SID, md5hex } from '../store/sid.js';
import { passwordScore } from './password-strength.js';

export class BootstrapError extends Error {}

/**
 * Seeds Restcomm's default administrator on first start (spec §1.7). With `adminPassword` set, that
 * password replaces `RestComm` and the account starts `active`, so automated set-ups need no manual step.
 */
export async function bootstrapAdministrator(store: Store, config: Config, log: Logger): Promise<void> {
  const blog = log.child({ module: 'bootstrap' });
  const password = config.adminPassword;
  if (password !== null) {
    const score = passwordScore(password);
    if (score === null || score < 50) {
      throw new BootstrapError(
        `DIALTONE_ADMIN_PASSWORD is too weak (score ${score ?? 'invalid'}, at least 50 needed: mix upper and lower case, digits and symbols, 8+ characters)`,
      );
    }
  }
  if (await store.accounts.findBySid(ADMIN_ACCOUNT_SID)) {
    if (password !== null) blog.info('administrator already exists; DIALTONE_ADMIN_PASSWORD only applies at first start');
    return;
  }
  const now = new Date().toISOString();
  await store.accounts.insert({
    sid: ADMIN_ACCOUNT_SID,
    parent_sid: null,
    organization_sid: DEFAULT_ORGANIZATION_SID,
    friendly_name: 'Default Administrator Account',
    email_address: 'administrator@company.com',
    type: 'Full',
    status: password === null ? 'uninitialized' : 'active',
    role: 'Administrator',
    auth_token: md5hex(password ?? 'RestComm'),
    api_version: API_VERSION,
    date_created: now,
    date_updated: now,
  });
  blog.info({ status: password === null ? 'uninitialized' : 'active' }, 'created the default administrator account');
}
