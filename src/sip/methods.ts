/**
 * The SIP methods the stack knows, in the order every `Allow` it writes lists them: RFC 3261's own, then
 * REFER (RFC 3515), NOTIFY (RFC 6665), INFO (RFC 6086), UPDATE (RFC 3311), MESSAGE (RFC 3428), SUBSCRIBE
 * (RFC 6665), PUBLISH (RFC 3903), PRACK (RFC 3262). A request with any other method is answered 501.
 */
export const SIP_METHODS = ['INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS', 'REGISTER', 'REFER', 'NOTIFY', 'INFO', 'UPDATE', 'MESSAGE', 'SUBSCRIBE', 'PUBLISH', 'PRACK'] as const;

export type SipMethod = (typeof SIP_METHODS)[number];

/** An `Allow` value: each of `methods` once, in the canonical order. */
export function allowValue(methods: Iterable<SipMethod>): string {
  const wanted = new Set(methods);
  return SIP_METHODS.filter((m) => wanted.has(m)).join(', ');
}
