import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { Registrar } from '../registrar/registrar.js';
import type { SipRequest } from '../sip/message/types.js';
import type { ServerTransaction, SipSource } from '../sip/stack-api.js';
import type { Store } from '../store/store.js';
import type { CallRegistry } from './call-registry.js';
import { runInboundCall, type InboundDeps } from './inbound-call.js';
import { appOf, routeCall } from './routing.js';

export interface RouterDeps {
  readonly inbound: InboundDeps;
  readonly registrar: Registrar;
  readonly store: Store;
  readonly config: Config;
  readonly registry: CallRegistry;
  /** Name and secret value of the header that marks our own hosted-number loopback INVITEs. */
  readonly loopHeader: readonly [string, string];
  readonly log: Logger;
}

const LOCAL_NAMES = ['127.0.0.1', 'localhost'];

/**
 * Handles an out-of-dialog INVITE (spec voice.md 3.2, 5.2): overload check, digest challenge of
 * callers that are our Clients, routing, then the call runs on its own. Never throws.
 */
export function createInviteHandler(deps: RouterDeps): (req: SipRequest, tx: ServerTransaction, source: SipSource) => void {
  const log = deps.log.child({ module: 'router' });
  const { config } = deps;
  const localHosts = new Set([config.sipDomain, config.sipExternalAddress, config.sipBind, ...LOCAL_NAMES].map((h) => h.toLowerCase()));

  async function handle(req: SipRequest, tx: ServerTransaction, source: SipSource): Promise<void> {
    if (config.maxConcurrentCalls > 0 && deps.registry.stats().calls >= config.maxConcurrentCalls) {
      tx.respond(503, 'Service Unavailable - too many calls', { headers: [['Retry-After', '5']] });
      return;
    }
    const looped = req.headers.get(deps.loopHeader[0]) === deps.loopHeader[1];
    if (!looped && deps.registrar.shouldDrop(req, source)) return;
    const dialed = req.uri.user ?? req.to.uri.user;
    if (dialed === null || dialed === '') {
      tx.respond(404, 'Not Found - the Request-URI has no user part');
      return;
    }
    let caller: { accountSid: string; login: string; app: Awaited<ReturnType<typeof appOf>> } | null = null;
    const fromUser = req.from.uri.user;
    if (!looped && fromUser !== null && localHosts.has(req.from.uri.host)) {
      const client = await deps.store.clients.findClientByLogin(fromUser);
      if (client !== undefined) {
        if (client.account_status !== 'active') {
          tx.respond(403, 'Forbidden - Account is not ACTIVE');
          return;
        }
        const auth = await deps.registrar.authenticateRequest(req, tx, config.sipDomain, 407);
        if (!auth.ok) return;
        caller = { accountSid: client.account_sid, login: client.login, app: await appOf(deps.store, client.account_sid, client) };
      }
    }
    const route = await routeCall(deps.store, dialed, caller, looped);
    if (tx.answered) return;
    if (route.kind === 'refuse') {
      tx.respond(route.status, route.reason);
      return;
    }
    await runInboundCall(deps.inbound, req, tx, route, caller?.login ?? null);
  }

  return (req, tx, source) => {
    if (req.method !== 'INVITE') {
      tx.respond(405, 'Method Not Allowed', { headers: [['Allow', 'INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, REGISTER']] });
      return;
    }
    handle(req, tx, source).catch((err: unknown) => {
      log.error({ err, callId: req.callId }, 'INVITE handling failed');
      if (!tx.answered) tx.respond(500, 'Server Internal Error');
    });
  };
}
