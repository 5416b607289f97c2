import { SdpNegotiationError, type Endpoint } from '../../media/media-server.js';
import type { SipRequest } from '../../sip/message/types.js';
import type { DialogUsage, ServerTransaction, UsageDeclaration } from '../../sip/stack-api.js';
import { hasSdp } from '../sip-dtmf.js';

export const INVITE_SESSION = { name: 'invite-session', priority: 10, methods: ['INVITE', 'UPDATE'] } as const satisfies UsageDeclaration;

type Headers = ReadonlyArray<readonly [string, string]>;

/**
 * The session of a call leg: a re-INVITE or UPDATE from the peer (hold, resume, new address) is answered
 * by the leg's endpoint, with its answer to the offer or, for a re-INVITE without SDP, a new offer;
 * `headers` go on that 200. Dialtone never sends a re-INVITE or UPDATE itself, so one from the peer
 * cannot cross one of ours (no 491 glare case).
 */
export function inviteSessionUsage(endpoint: () => Endpoint | null, headers: Headers): DialogUsage {
  return {
    ...INVITE_SESSION,
    onRequest(req, tx) {
      const ep = endpoint();
      if (ep === null) {
        tx.respond(488, 'Not Acceptable Here - no media on this call');
        return true;
      }
      return renegotiate(ep, req, tx, headers).catch((err: unknown) => {
        if (!(err instanceof SdpNegotiationError)) throw err;
        tx.respond(488, `Not Acceptable Here - ${err.reason}`);
      });
    },
  };
}

/** The media session answers asynchronously (an external engine answers by a command). */
async function renegotiate(ep: Endpoint, req: SipRequest, tx: ServerTransaction, headers: Headers): Promise<void> {
  const sdp = await (hasSdp(req) ? ep.update(req.body.toString('utf8')) : ep.offer());
  tx.respond(200, 'OK', { headers: [...headers, ['Content-Type', 'application/sdp']], body: sdp });
}
