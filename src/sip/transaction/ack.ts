import { createRequest, type SipRequest, type SipResponse } from '../message/index.js';

/**
 * The ACK for a non-2xx final response (RFC 3261 17.1.1.3): same Request-URI, top Via, From, Call-ID,
 * CSeq number and Route as the INVITE, To from the response.
 */
export function ackForNon2xx(invite: SipRequest, response: SipResponse): SipRequest {
  const headers: Array<[string, string]> = [];
  const topVia = invite.headers.getAll('Via')[0];
  if (topVia !== undefined) headers.push(['Via', topVia]);
  for (const route of invite.headers.getAll('Route')) headers.push(['Route', route]);
  headers.push(
    ['Max-Forwards', '70'],
    ['From', invite.headers.get('From') ?? ''],
    ['To', response.headers.get('To') ?? ''],
    ['Call-ID', invite.callId],
    ['CSeq', `${invite.cseq.seq} ACK`],
  );
  return createRequest({ method: 'ACK', uri: invite.uri, headers });
}

/** The CANCEL for a pending INVITE (RFC 3261 9.1): same top Via (branch), Request-URI, From, To, Call-ID, CSeq number and Route. */
export function cancelFor(invite: SipRequest): SipRequest {
  const headers: Array<[string, string]> = [];
  const topVia = invite.headers.getAll('Via')[0];
  if (topVia !== undefined) headers.push(['Via', topVia]);
  for (const route of invite.headers.getAll('Route')) headers.push(['Route', route]);
  headers.push(
    ['Max-Forwards', '70'],
    ['From', invite.headers.get('From') ?? ''],
    ['To', invite.headers.get('To') ?? ''],
    ['Call-ID', invite.callId],
    ['CSeq', `${invite.cseq.seq} CANCEL`],
  );
  return createRequest({ method: 'CANCEL', uri: invite.uri, headers });
}
