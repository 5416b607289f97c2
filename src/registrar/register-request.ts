import { SipParseError } from '../sip/message/errors.js';
import { parseNameAddr } from '../sip/message/name-addr.js';
import type { SipRequest, SipUri } from '../sip/message/types.js';

export interface ExpiryLimits {
  /** Used when neither the Contact `expires` parameter nor an `Expires` header is present. */
  readonly defaultSeconds: number;
  /** Longer requests are shortened to this. */
  readonly maxSeconds: number;
  /** Shorter non-zero requests get 423 Interval Too Brief. */
  readonly minSeconds: number;
}

export interface RequestedContact {
  readonly uri: SipUri;
  /** Seconds, already capped; 0 removes the binding. */
  readonly expires: number;
  readonly q: number | null;
  readonly instanceId: string | null;
  readonly regId: number | null;
}

export type RegisterIntent =
  | { readonly kind: 'query' }
  | { readonly kind: 'remove-all' }
  | { readonly kind: 'update'; readonly contacts: readonly RequestedContact[] }
  | { readonly kind: 'reject'; readonly status: number; readonly reason: string; readonly headers?: ReadonlyArray<readonly [string, string]> };

function seconds(text: string | null | undefined): number | null {
  if (text === null || text === undefined || !/^\d{1,10}$/.test(text.trim())) return null;
  return Number(text.trim());
}

function qValue(text: string | null | undefined): number | null | 'bad' {
  if (text === undefined) return null;
  if (text === null || !/^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(text)) return 'bad';
  return Number(text);
}

function bad(reason: string): RegisterIntent {
  return { kind: 'reject', status: 400, reason: `Bad Request - ${reason}` };
}

/** Reads what a REGISTER asks for (RFC 3261 10.3 steps 6 and the expiry rules), without touching any binding. */
export function readRegister(req: SipRequest, limits: ExpiryLimits): RegisterIntent {
  const values = req.headers.getAll('Contact').map((v) => v.trim());
  const expiresHeader = req.headers.get('Expires');
  const headerExpires = expiresHeader === undefined ? null : seconds(expiresHeader);
  if (expiresHeader !== undefined && headerExpires === null) return bad('Invalid Expires header');
  if (values.length === 0) return { kind: 'query' };
  if (values.includes('*')) {
    if (values.length !== 1) return bad('Contact "*" must be the only Contact');
    if (headerExpires !== 0) return bad('Contact "*" requires Expires: 0');
    return { kind: 'remove-all' };
  }
  const contacts: RequestedContact[] = [];
  for (const value of values) {
    let uri: SipUri;
    let params: ReadonlyMap<string, string | null>;
    try {
      ({ uri, params } = parseNameAddr(value, 'Contact'));
    } catch (err) {
      if (err instanceof SipParseError) return { kind: 'reject', status: err.status, reason: err.reason };
      throw err;
    }
    if (uri.scheme !== 'sip' && uri.scheme !== 'sips') return bad(`Contact scheme ${uri.scheme} is not supported`);
    if (uri.headers.size > 0) return bad('Contact URI must not carry headers');
    let expires = headerExpires ?? limits.defaultSeconds;
    if (params.has('expires')) {
      const p = seconds(params.get('expires'));
      if (p === null) return bad('Invalid Contact expires parameter');
      expires = p;
    }
    if (expires !== 0 && expires < limits.minSeconds) {
      return { kind: 'reject', status: 423, reason: 'Interval Too Brief', headers: [['Min-Expires', String(limits.minSeconds)]] };
    }
    const q = qValue(params.get('q'));
    if (q === 'bad') return bad('Invalid Contact q parameter');
    const regIdText = params.get('reg-id');
    const regId = regIdText === undefined ? null : seconds(regIdText);
    if (regIdText !== undefined && regId === null) return bad('Invalid Contact reg-id parameter');
    const instance = params.get('+sip.instance');
    contacts.push({
      uri,
      expires: Math.min(expires, limits.maxSeconds),
      q,
      instanceId: instance === undefined || instance === null ? null : instance.replace(/^"(.*)"$/, '$1'),
      regId,
    });
  }
  return { kind: 'update', contacts };
}
