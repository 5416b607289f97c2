import { badRequest } from './errors.js';
import { isStrongPassword } from './password-strength.js';

// RFC 5322 dot-atom local part without `?` and `=`, which Restcomm refuses; a host name with labels.
const EMAIL = /^[A-Za-z0-9!#$%&'*+/^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/^_`{|}~-]+)*@[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/;

/** Lower-cased address, or a 400 naming the bad value. */
export function validEmail(text: string): string {
  if (text.length > 254 || !EMAIL.test(text)) throw badRequest(`Provided email address ${text} is not valid`);
  return text.toLowerCase();
}

/**
 * A client login becomes a SIP user part and part of the digest HA1 (`login:realm:password`): besides
 * Restcomm's `? = @`, whitespace, `:` and control characters are refused too.
 */
export function validLogin(text: string): string {
  if (text.length > 64 || /[?=@:\s\x00-\x1f\x7f]/.test(text)) throw badRequest(`Login ${text} contains invalid character(s)`);
  return text;
}

export function strongPassword(password: string): string {
  if (!isStrongPassword(password)) throw badRequest('Password too weak');
  return password;
}

export function friendlyName(text: string, field = 'FriendlyName'): string {
  if (text.length > 64) throw badRequest(`${field} is longer than 64 characters`);
  return text;
}
