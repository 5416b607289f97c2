import { computeHa1 } from '../sip/auth/digest.js';
import type { DigestSecrets } from '../sip/auth/authenticator.js';
import type { ClientForAuth } from '../store/clients.js';

/** Restcomm's client `status` value for an enabled client. */
const CLIENT_ENABLED = 1;

/**
 * The digest secrets of a stored client, or null when it must not authenticate (disabled client,
 * account not active). Clients normally store the MD5 HA1; a `cleartext` password yields both HA1s.
 */
export function clientSecrets(client: ClientForAuth | undefined, realm: string): DigestSecrets | null {
  if (client === undefined || client.status !== CLIENT_ENABLED || client.account_status !== 'active') return null;
  switch (client.password_algorithm.toLowerCase()) {
    case 'md5':
      return { ha1Md5: client.password };
    case 'sha-256':
      return { ha1Sha256: client.password };
    case 'cleartext':
      return {
        ha1Md5: computeHa1('MD5', client.login, realm, client.password),
        ha1Sha256: computeHa1('SHA-256', client.login, realm, client.password),
      };
    default:
      return null;
  }
}
