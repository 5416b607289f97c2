import type { SipRequest, SipUri } from '../message/types.js';
import type { SipSource, SipTarget, TransportName } from './types.js';

function transportOf(token: string | null | undefined): TransportName {
  return token?.toUpperCase() === 'TCP' ? 'TCP' : 'UDP';
}

/**
 * Where the responses to a request go (RFC 3261 18.2.2, RFC 3581 §4): back over the same TCP
 * connection while it is open (`connectionId`), else to `received` and `rport` (or the sent-by port)
 * of the top Via. `maddr` is not honoured: multicast is out of scope. With `symmetric` UDP responses go
 * to the source address and port as if every client had asked for `rport` (NAT-friendly, like a
 * proxy's "force rport").
 */
export function responseTarget(req: SipRequest, source: SipSource, symmetric = false): SipTarget {
  const via = req.vias[0];
  if (!via || (symmetric && source.transport === 'UDP')) return { transport: source.transport, host: source.host, port: source.port };
  const rport = via.params.get('rport');
  const port = rport ? Number(rport) : via.port ?? 5060;
  const host = via.params.get('received') ?? via.host;
  const transport = source.transport;
  return source.connectionId === undefined ? { transport, host, port } : { transport, host, port, connectionId: source.connectionId };
}

/** Where a request addressed to `uri` goes without DNS (RFC 3263 reduced to literal host:port and `transport`). */
export function uriTarget(uri: SipUri): SipTarget {
  const host = uri.params.get('maddr') ?? uri.host;
  return { transport: transportOf(uri.params.get('transport')), host: host.replace(/^\[|\]$/g, ''), port: uri.port ?? 5060 };
}
