import { createRequest, type SipRequest, type SipResponse } from '../message/index.js';

/**
 * A request that belongs to the INVITE's transaction (RFC 3261 9.1, 17.1.1.3): same Request-URI, top Via
 * (branch), From, Call-ID, CSeq number and Route set; only the method and the To header may differ.
 */
function sameTransaction(invite: SipRequest, method: 'ACK' | 'CANCEL', to: string): SipRequest {
  const headers: Array<[string, string]> = [];
  const topVia = invite.headers.getAll('Via')[0];
  if (topVia !== undefined) headers.push(['Via', topVia]);
  for (const route of invite.headers.getAll('Route')) headers.push(['Route', route]);
  headers.push(
    ['Max-Forwards', '70'],
    ['From', invite.headers.get('From') ?? ''],
    ['To', to],
    ['Call-ID', invite.callId],
    ['CSeq', `${invite.cseq.seq} ${method}`],
  );
  return createRequest({ method, uri: invite.uri, headers });
}

/** The ACK for a non-2xx final response: To (with the tag) from the response. */
export function ackForNon2xx(invite: SipRequest, response: SipResponse): SipRequest {
  return sameTransaction(invite, 'ACK', response.headers.get('To') ?? '');
}

/** The CANCEL for a pending INVITE: To as in the INVITE. */
export function cancelFor(invite: SipRequest): SipRequest {
  return sameTransaction(invite, 'CANCEL', invite.headers.get('To') ?? '');
}
