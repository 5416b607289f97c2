import type { Endpoint } from '../media/media-server.js';
import { SdpNegotiationError } from '../media/media-server.js';
import type { SipRequest } from '../sip/message/types.js';
import type { Dialog, ServerTransaction } from '../sip/stack-api.js';
import { hasSdp, infoDigit } from './sip-dtmf.js';

/**
 * What a confirmed leg answers inside its dialog, the same on both sides of the B2BUA: re-INVITE/UPDATE
 * with SDP → the endpoint's new answer (hold, resume, new address), INFO DTMF → the endpoint's digit
 * stream, OPTIONS → 200. `endpoint()` is read per request because a transfer may swap it. NOTIFYs go to
 * `onNotify` (the leg's pending RCML `<Refer>`), which returns false for subscriptions it does not know.
 */
export function serveInDialog(dialog: Dialog, endpoint: () => Endpoint | null, onNotify: (req: SipRequest, tx: ServerTransaction) => boolean = () => false): void {
  dialog.onRequest((req, tx) => {
    const ep = endpoint();
    switch (req.method) {
      case 'INVITE':
      case 'UPDATE': {
        if (ep === null) {
          tx.respond(488, 'Not Acceptable Here - no media on this call');
          return;
        }
        try {
          const sdp = hasSdp(req) ? ep.update(req.body.toString('utf8')) : ep.offer();
          tx.respond(200, 'OK', { headers: [['Content-Type', 'application/sdp']], body: sdp });
        } catch (err) {
          if (err instanceof SdpNegotiationError) tx.respond(488, `Not Acceptable Here - ${err.reason}`);
          else throw err;
        }
        return;
      }
      case 'INFO': {
        const digit = infoDigit(req);
        if (digit !== null) ep?.injectDigit(digit);
        tx.respond(200);
        return;
      }
      case 'OPTIONS':
        tx.respond(200);
        return;
      case 'NOTIFY':
        if (!onNotify(req, tx)) tx.respond(481, 'Subscription Does Not Exist');
        return;
      default:
        tx.respond(501, `Not Implemented - ${req.method} is not supported in this dialog`);
    }
  });
}
