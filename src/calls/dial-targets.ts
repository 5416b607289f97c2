import type { Config } from '../config.js';
import type { DialTarget, Notification } from '../rcml/call-control.js';
import type { Registrar } from '../registrar/registrar.js';
import { parseUri } from '../sip/message/index.js';
import { uriTarget } from '../sip/transport/routing.js';
import type { SipStack, SipTarget } from '../sip/stack-api.js';
import type { Store } from '../store/store.js';
import { API_VERSION } from '../store/sid.js';
import type { OutboundRequest } from './outbound-leg.js';
import type { UacCredentials } from './uac-digest.js';

/** One INVITE a Dial sends: a Client noun gives one per registration. */
export interface Branch {
  readonly noun: DialTarget;
  /** The To of the leg's CDR and parameters. */
  readonly to: string;
  readonly requestUri: string;
  readonly toHeader: string;
  readonly fromHost: string;
  readonly target?: SipTarget;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly credentials: UacCredentials | null;
  readonly sip: boolean;
}

/**
 * The INVITE of one branch for a call: From is the caller id (a bare user gets the branch's host), and
 * the Restcomm headers name the call so the far end (and a looped-back hosted number) can tell it.
 * `referredBy` is set when the call is the transferee of a transfer (RFC 3892).
 */
export function branchRequest(branch: Branch, callerId: string, call: { readonly sid: string; readonly accountSid: string }, referredBy: string | null = null): OutboundRequest {
  const from = (callerId.includes('@') ? callerId : `${callerId}@${branch.fromHost}`).replace(/^sips?:/i, '');
  return {
    requestUri: branch.requestUri,
    from: `<sip:${from}>`,
    to: branch.toHeader,
    headers: [
      ['X-RestComm-ApiVersion', API_VERSION],
      ['X-RestComm-AccountSid', call.accountSid],
      ['X-RestComm-CallSid', call.sid],
      ...(referredBy === null ? [] : [['Referred-By', referredBy] as const]),
      ...branch.headers,
    ],
    ...(branch.target === undefined ? {} : { target: branch.target }),
    credentials: branch.credentials,
  };
}

export interface TargetDeps {
  readonly stack: SipStack;
  readonly registrar: Registrar;
  readonly store: Store;
  readonly config: Config;
  /** Header marking an INVITE we send to ourselves (hosted number), see router.ts. */
  readonly loopHeader: readonly [string, string];
}

const NOT_REGISTERED = 11008;
const NO_OUTBOUND_PROXY = 11004;

function headerList(h: Readonly<Record<string, string>>): Array<readonly [string, string]> {
  return Object.entries(h).map(([k, v]) => [k, v] as const);
}

function proxyTarget(proxy: string): { host: string; target: SipTarget } {
  const uri = parseUri(/^sips?:/i.test(proxy) ? proxy : `sip:${proxy}`, 'outbound proxy');
  return { host: uri.port === null ? uri.host : `${uri.host}:${uri.port}`, target: uriTarget(uri) };
}

/**
 * Spec voice.md 3.4: turns the Dial nouns into INVITE branches. Nouns that cannot ring (unregistered
 * client, unknown number without a proxy, unparsable URI) produce a Notification and no branch.
 */
export async function branchesFor(targets: readonly DialTarget[], deps: TargetDeps, notify: (n: Notification) => void): Promise<Branch[]> {
  const out: Branch[] = [];
  const self = `${deps.stack.advertisedHost}:${deps.stack.udpPort}`;
  for (const noun of targets) {
    switch (noun.kind) {
      case 'client': {
        const bindings = await deps.registrar.lookup(noun.login);
        if (bindings.length === 0) {
          notify({ code: NOT_REGISTERED, log: 0, message: `client ${noun.login} is not registered or does not exist` });
          break;
        }
        for (const b of bindings) {
          const target = uriTarget(parseUri(b.target, 'binding'));
          out.push({
            noun, to: noun.login, requestUri: b.contactUri, toHeader: `<sip:${noun.login}@${deps.config.sipDomain}>`, fromHost: self,
            target: { ...target, transport: b.transport === 'TCP' ? 'TCP' : target.transport },
            headers: headerList(noun.headers), credentials: null, sip: false,
          });
        }
        break;
      }
      case 'number': {
        const hosted = await deps.store.numbers.findNumberForRouting(noun.number);
        if (hosted !== undefined) {
          // Hosted here: loop the INVITE through our own stack so the number's app runs as for any caller.
          const uri = `sip:${noun.number}@${self}`;
          out.push({
            noun, to: noun.number, requestUri: uri, toHeader: `<${uri}>`, fromHost: self,
            target: { transport: 'UDP', host: deps.stack.advertisedHost, port: deps.stack.udpPort },
            headers: [...headerList(noun.headers), deps.loopHeader], credentials: null, sip: false,
          });
          break;
        }
        if (deps.config.outboundProxy === null) {
          notify({ code: NO_OUTBOUND_PROXY, log: 0, message: `number ${noun.number} is not hosted here and no outbound proxy is configured` });
          break;
        }
        const proxy = proxyTarget(deps.config.outboundProxy);
        const uri = `sip:${noun.number}@${proxy.host}`;
        out.push({ noun, to: noun.number, requestUri: uri, toHeader: `<${uri}>`, fromHost: proxy.host, target: proxy.target, headers: headerList(noun.headers), credentials: null, sip: false });
        break;
      }
      case 'sip': {
        let user: string;
        try {
          user = parseUri(noun.uri, 'Sip noun').user ?? noun.uri;
        } catch {
          notify({ code: 11100, log: 0, message: `<Sip> "${noun.uri}" is not a SIP URI` });
          break;
        }
        const credentials = noun.username !== null && noun.password !== null ? { username: noun.username, password: noun.password } : null;
        out.push({ noun, to: user, requestUri: noun.uri, toHeader: `<${noun.uri}>`, fromHost: deps.config.sipDomain, headers: headerList(noun.headers), credentials, sip: true });
        break;
      }
      case 'conference':
        notify({ code: 13214, log: 0, message: '<Conference> is not supported by this node' });
        break;
    }
  }
  return out;
}
