/**
 * The SIP methods the stack knows, in the order every `Allow` it writes lists them: RFC 3261's own, then
 * REFER (RFC 3515), NOTIFY (RFC 6665), INFO (RFC 6086), UPDATE (RFC 3311), MESSAGE (RFC 3428), SUBSCRIBE
 * (RFC 6665), PUBLISH (RFC 3903), PRACK (RFC 3262). A request with any other method is answered 501.
 */
export const SIP_METHODS = ['INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS', 'REGISTER', 'REFER', 'NOTIFY', 'INFO', 'UPDATE', 'MESSAGE', 'SUBSCRIBE', 'PUBLISH', 'PRACK'] as const;

export type SipMethod = (typeof SIP_METHODS)[number];

/** Out of dialog these can only be stale: RFC 3261 15.1.2 asks 481 for a BYE that matches nothing. */
export const DIALOG_ONLY_METHODS = ['BYE', 'UPDATE', 'INFO', 'PRACK'] as const satisfies readonly SipMethod[];

/** Methods a TU can take out of dialog: ACK and CANCEL belong to their INVITE, the dialog-only ones to a dialog. */
export type OutOfDialogMethod = Exclude<SipMethod, 'ACK' | 'CANCEL' | (typeof DIALOG_ONLY_METHODS)[number]>;

export function isSipMethod(method: string): method is SipMethod {
  return (SIP_METHODS as readonly string[]).includes(method);
}

/** An `Allow` value: each of `methods` once, in the canonical order. */
export function allowValue(methods: Iterable<SipMethod>): string {
  const wanted = new Set(methods);
  return SIP_METHODS.filter((m) => wanted.has(m)).join(', ');
}
