import { parseNameAddr, parseUri, type SipUri } from '../message/index.js';

/** Request-URI and Route header values of an in-dialog request (RFC 3261 12.2.1.1, loose and strict routing). */
export interface DialogRouting {
  readonly requestUri: SipUri;
  readonly routes: readonly string[];
  /** The URI the request is physically sent to: the first Route, else the Request-URI. */
  readonly nextHop: SipUri;
}

export function dialogRouting(remoteTarget: SipUri, routeSet: readonly string[]): DialogRouting {
  const first = routeSet[0];
  if (first === undefined) return { requestUri: remoteTarget, routes: [], nextHop: remoteTarget };
  const firstUri = parseNameAddr(first, 'Route').uri;
  if (firstUri.params.has('lr')) return { requestUri: remoteTarget, routes: routeSet, nextHop: firstUri };
  // Strict router: it takes the Request-URI's place and the remote target goes last in Route.
  const requestUri = parseUri(firstUri.raw.replace(/;[^?]*/, ''), 'Route');
  return { requestUri, routes: [...routeSet.slice(1), `<${remoteTarget.raw}>`], nextHop: requestUri };
}
