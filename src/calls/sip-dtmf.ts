import type { SipRequest } from '../sip/message/types.js';

/** The digit of a SIP INFO carrying `application/dtmf-relay` (`Signal=5`) or `application/dtmf` (`5`); null otherwise. */
export function infoDigit(req: SipRequest): string | null {
  const type = (req.headers.get('Content-Type') ?? '').split(';')[0]?.trim().toLowerCase();
  const body = req.body.toString('utf8');
  let signal: string | undefined;
  if (type === 'application/dtmf-relay') signal = /^\s*signal\s*=\s*(\S+)/im.exec(body)?.[1];
  else if (type === 'application/dtmf') signal = body.trim();
  if (signal === undefined) return null;
  const digit = signal === '10' ? '*' : signal === '11' ? '#' : signal;
  return /^[0-9*#A-Da-d]$/.test(digit) ? digit.toUpperCase() : null;
}

/** True when the message body is an SDP. */
export function hasSdp(msg: { headers: { get(name: string): string | undefined }; body: Buffer }): boolean {
  return msg.body.length > 0 && (msg.headers.get('Content-Type') ?? '').toLowerCase().startsWith('application/sdp');
}
