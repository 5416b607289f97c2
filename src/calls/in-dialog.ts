import type { Endpoint } from '../media/media-server.js';
import { SdpNegotiationError } from '../media/media-server.js';
import type { SipRequest } from '../sip/message/types.js';
import type { Dialog, ServerTransaction } from '../sip/stack-api.js';
import { SUPPORTED_EXTENSIONS } from '../sip/stack.js';
import { hasSdp, infoDigit } from './sip-dtmf.js';
import { readReferRequest } from './transfer/refer-request.js';

/** Takes a REFER received in `dialog` (the call layer's transfer handling). */
export type ReferHandler = (dialog: Dialog, req: SipRequest, tx: ServerTransaction) => void;

/** What a confirmed leg lends `serveInDialog`, read per request because a transfer may swap them. */
export interface InDialogHooks {
  readonly endpoint: () => Endpoint | null;
  /** The leg's pending RCML `<Refer>`; false for subscriptions it does not know (→ 481). */
  readonly notify?: (req: SipRequest, tx: ServerTransaction) => boolean;
  /** The handler while the call may be transferred (a bridged Dial); null otherwise. */
  readonly refer?: () => ReferHandler | null;
}

/**
 * What a confirmed leg answers inside its dialog, the same on both sides of the B2BUA: re-INVITE/UPDATE
 * with SDP → the endpoint's new answer (hold, resume, new address), INFO DTMF → the endpoint's digit
 * stream, OPTIONS → 200, NOTIFY → the pending `<Refer>`, REFER → the transfer handler. Dialtone never
 * sends a re-INVITE or UPDATE itself, so an incoming one cannot cross one of ours (no 491 glare case).
 */
export function serveInDialog(dialog: Dialog, hooks: InDialogHooks): void {
  dialog.onRequest((req, tx) => {
    const ep = hooks.endpoint();
    switch (req.method) {
      case 'INVITE':
      case 'UPDATE': {
        if (ep === null) {
          tx.respond(488, 'Not Acceptable Here - no media on this call');
          return;
        }
        const negotiation = hasSdp(req) ? ep.update(req.body.toString('utf8')) : ep.offer();
        negotiation.then(
          (sdp) => tx.respond(200, 'OK', { headers: [...ADVERTISED, ['Content-Type', 'application/sdp']], body: sdp }),
          (err: unknown) => {
            if (err instanceof SdpNegotiationError) tx.respond(488, `Not Acceptable Here - ${err.reason}`);
            else tx.respond(500, 'Server Internal Error');
          },
        );
        return;
      }
      case 'INFO': {
        const digit = infoDigit(req);
        if (digit !== null) ep?.injectDigit(digit);
        tx.respond(200);
        return;
      }
      case 'OPTIONS':
        tx.respond(200, 'OK', { headers: ADVERTISED });
        return;
      case 'NOTIFY':
        if (!(hooks.notify?.(req, tx) ?? false)) tx.respond(481, 'Subscription Does Not Exist');
        return;
      case 'REFER': {
        const handler = hooks.refer?.() ?? null;
        if (handler !== null) return handler(dialog, req, tx);
        // Same order of checks as a transferable call: a malformed REFER is named as such first.
        const reading = readReferRequest(req);
        if (reading.kind === 'refused') tx.respond(reading.refusal.status, reading.refusal.reason, { headers: [['Event', 'refer']] });
        else tx.respond(403, 'Forbidden - This call may not be transferred (it is not bridged by a Dial)', { headers: [['Event', 'refer']] });
        return;
      }
      default:
        tx.respond(501, `Not Implemented - ${req.method} is not supported in this dialog`);
    }
  });
}

/**
 * Methods and extensions a call leg really handles, on every INVITE we send and every 2xx to one:
 * phones show their transfer key only when REFER is allowed.
 */
export const ADVERTISED: ReadonlyArray<readonly [string, string]> = [
  ['Allow', 'INVITE, ACK, CANCEL, BYE, OPTIONS, REFER, NOTIFY, INFO, UPDATE'],
  ['Supported', SUPPORTED_EXTENSIONS.join(', ')],
];
