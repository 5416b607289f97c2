import type { SipMessage, SipRequest, Via } from '../message/types.js';

/** RFC 3261 branches start with this cookie; anything else is matched the RFC 2543 way. */
export const MAGIC_COOKIE = 'z9hG4bK';

function sentBy(via: Via): string {
  return `${via.host}:${via.port ?? ''}`;
}

/**
 * The key of the server transaction a request belongs to (RFC 3261 17.2.3). An ACK maps to its INVITE's
 * transaction. `asMethod` lets a CANCEL look up the INVITE it cancels (RFC 3261 9.2).
 */
export function serverKey(req: SipRequest, asMethod?: string): string | null {
  const via = req.vias[0];
  if (!via) return null;
  const method = asMethod ?? (req.method === 'ACK' ? 'INVITE' : req.method);
  const branch = via.branch;
  if (branch !== null && branch.startsWith(MAGIC_COOKIE)) return `3261|${branch}|${sentBy(via)}|${method}`;
  // RFC 2543 (17.2.3 last paragraphs): the To tag is left out so the ACK, which carries the tag of our
  // response, still finds the INVITE's transaction.
  const fromTag = req.from.params.get('tag') ?? '';
  return `2543|${req.uri.raw}|${fromTag}|${req.callId}|${req.cseq.seq}|${sentBy(via)}|${branch ?? ''}|${method}`;
}

/** The key of the client transaction a response belongs to (RFC 3261 17.1.3): top Via branch and CSeq method. */
export function clientKey(msg: SipMessage): string | null {
  const branch = msg.vias[0]?.branch;
  if (!branch) return null;
  const method = msg.kind === 'request' && msg.method === 'ACK' ? 'INVITE' : msg.cseq.method;
  return `${branch}|${method}`;
}
