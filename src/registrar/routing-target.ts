import { makeSipUri } from '../sip/message/uri.js';
import type { SipUri } from '../sip/message/types.js';

/** Where a REGISTER came from, as the transport saw it. */
export interface Source {
  readonly address: string;
  readonly port: number;
  /** Upper-case transport token: UDP, TCP, TLS, WS. */
  readonly transport: string;
}

/** The transport requests to this contact must use: its `transport` parameter, else the one it registered over. */
export function contactTransport(contact: SipUri, source: Source): string {
  const param = contact.params.get('transport');
  return (param ?? source.transport).toUpperCase();
}

/**
 * The URI requests for a binding are sent to: the Contact URI with host and port replaced by the
 * source address when they differ (a phone behind NAT advertises an address nobody can reach),
 * keeping its user and parameters.
 */
export function routingTarget(contact: SipUri, source: Source): SipUri {
  const defaultPort = contact.scheme === 'sips' ? 5061 : 5060;
  const host = source.address.includes(':') ? `[${source.address}]` : source.address;
  const sameHost = contact.host === host && (contact.port ?? defaultPort) === source.port;
  if (sameHost) return contact;
  return makeSipUri({
    scheme: contact.scheme === 'sips' ? 'sips' : 'sip',
    user: contact.user,
    host,
    port: source.port,
    params: contact.params,
  });
}
