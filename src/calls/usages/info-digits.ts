import type { Endpoint } from '../../media/media-server.js';
import type { DialogUsage, UsageDeclaration } from '../../sip/stack-api.js';
import { infoDigit } from '../sip-dtmf.js';

export const INFO_DIGITS = { name: 'info-digits', priority: 30, methods: ['INFO'] } as const satisfies UsageDeclaration;

/**
 * SIP INFO DTMF (`application/dtmf-relay`, `application/dtmf`) into the endpoint's digit stream, the same
 * one RTP events enter. Every INFO is answered 200, carrying a digit or not (no Info-Package, RFC 6086).
 */
export function infoDigitsUsage(endpoint: () => Endpoint | null): DialogUsage {
  return {
    ...INFO_DIGITS,
    onRequest(req, tx) {
      const digit = infoDigit(req);
      if (digit !== null) endpoint()?.injectDigit(digit);
      tx.respond(200);
      return true;
    },
  };
}
