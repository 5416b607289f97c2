import { headerKey } from './header-names.js';
import type { SipMessage } from './types.js';
import { formatUri } from './uri.js';

/**
 * Writes a message. Header fields keep their order and values (unknown ones byte for byte); known
 * names are written in long form. Content-Length always states the real body length: in place of the
 * first Content-Length field, or last when there was none.
 */
export function serialize(msg: SipMessage): Buffer {
  let head = msg.kind === 'request' ? `${msg.method} ${msg.uri.raw || formatUri(msg.uri)} ${msg.version}\r\n` : `${msg.version} ${msg.status} ${msg.reason}\r\n`;
  let wroteLength = false;
  for (const [name, value] of msg.headers.entries()) {
    if (name.length === 14 && headerKey(name) === 'content-length') {
      if (!wroteLength) head += `Content-Length: ${msg.body.length}\r\n`;
      wroteLength = true;
    } else head += `${name}: ${value}\r\n`;
  }
  if (!wroteLength) head += `Content-Length: ${msg.body.length}\r\n`;
  head += '\r\n';
  if (msg.body.length === 0) return Buffer.from(head, 'utf8');
  return Buffer.concat([Buffer.from(head, 'utf8'), msg.body]);
}
