import type { SipRequest } from '../../sip/message/types.js';
import type { Dialog, DialogUsage, ServerTransaction, UsageDeclaration } from '../../sip/stack-api.js';
import { readReferRequest } from '../transfer/refer-request.js';

/** Takes a REFER received in `dialog` (the call layer's transfer handling). */
export type ReferHandler = (dialog: Dialog, req: SipRequest, tx: ServerTransaction) => void;

/** What a leg lends the REFER usage, read per request because a transfer may swap them. */
export interface ReferHooks {
  /** The leg's pending RCML `<Refer>`; false for subscriptions it does not know (→ 481). */
  readonly notify?: (req: SipRequest, tx: ServerTransaction) => boolean;
  /** The handler while the call may be transferred (a bridged Dial); null otherwise. */
  readonly refer?: () => ReferHandler | null;
}

/** `norefersub`: a REFER with `Refer-Sub: false` is honoured (RFC 4488). */
export const REFER = { name: 'refer', priority: 20, methods: ['REFER', 'NOTIFY'], extensions: ['norefersub'] } as const satisfies UsageDeclaration;

/**
 * REFER and its implicit subscription (RFC 3515), both ways: a REFER from the peer goes to the transfer
 * handler, or is refused when the call may not be transferred; a NOTIFY reports on the REFER we sent (the
 * RCML `<Refer>`), and one that reports on no REFER of ours gets 481.
 */
export function referUsage(hooks: ReferHooks): DialogUsage {
  return {
    ...REFER,
    onRequest(req, tx, dialog) {
      if (req.method === 'NOTIFY') {
        if (!(hooks.notify?.(req, tx) ?? false)) tx.respond(481, 'Subscription Does Not Exist');
        return true;
      }
      const handler = hooks.refer?.() ?? null;
      if (handler === null) refuse(req, tx);
      else handler(dialog, req, tx);
      return true;
    },
  };
}

/** Same order of checks as a transferable call: a malformed REFER is named as such first. */
function refuse(req: SipRequest, tx: ServerTransaction): void {
  const reading = readReferRequest(req);
  if (reading.kind === 'refused') tx.respond(reading.refusal.status, reading.refusal.reason, { headers: [['Event', 'refer']] });
  else tx.respond(403, 'Forbidden - This call may not be transferred (it is not bridged by a Dial)', { headers: [['Event', 'refer']] });
}
