import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { MediaServer } from '../media/media-server.js';
import type { Registrar } from '../registrar/registrar.js';
import type { SipRequest } from '../sip/message/types.js';
import type { ServerTransaction, SipSource, SipStack } from '../sip/stack-api.js';
import type { Store } from '../store/store.js';
import { newSid } from '../store/sid.js';
import { CallHandle } from './call-handle.js';
import type { ControlDeps } from './call-control.js';
import { selfHttpOrigin, type AppFetchPolicy } from './app-url.js';
import { createApiCalls, type CallChange, type ChangeOutcome, type OriginateOutcome, type OriginateParams } from './api-call.js';
import { CallRecords } from './call-records.js';
import { CallRegistry, type CallRegistryStats } from './call-registry.js';
import type { DialerDeps } from './dialer.js';
import type { InboundDeps } from './inbound-call.js';
import { ringbackFile } from './ringback.js';
import { createInviteHandler } from './router.js';
import { StatusCallbacks } from './status-callbacks.js';

export interface CallLayerDeps {
  readonly stack: SipStack;
  readonly registrar: Registrar;
  readonly media: MediaServer;
  readonly store: Store;
  readonly config: Config;
  readonly log: Logger;
  /** Every timer of the call layer (ring and call limits, Gather and Pause, REFER waits) runs on it. */
  readonly clock: Clock;
  /** `ID` + 32 hex; one per node (spec rest-api.md 1.6). Default: a new one. */
  readonly instanceId?: string;
  /** Extra headers for application requests to some URLs (node.ts: the designer's node key). */
  readonly appRequestHeaders?: (url: URL) => Readonly<Record<string, string>>;
}

export interface CallLayer {
  readonly instanceId: string;
  readonly registry: CallRegistry;
  /** Give it every out-of-dialog INVITE the stack receives. */
  handleInvite(req: SipRequest, tx: ServerTransaction, source: SipSource): void;
  stats(): CallRegistryStats;
  /** Waits until every CDR write and status callback started so far is done. */
  flush(): Promise<void>;
  /** Hangs up every live call (waits up to 5 s for them to end), then flushes. */
  stop(): Promise<void>;
  /** REST `POST /Calls`: places the call and resolves with its new CDR (status `queued`). */
  originate(params: OriginateParams): Promise<OriginateOutcome>;
  /** REST `POST /Calls/{sid}`: live call modification. */
  modify(callSid: string, change: CallChange): Promise<ChangeOutcome>;
}

/** Header marking INVITEs this node sends to itself for hosted numbers (its value is a per-node secret). */
const LOOP_HEADER = 'X-Dialtone-Loop';

export function createCallLayer(deps: CallLayerDeps): CallLayer {
  const { stack, registrar, media, store, config, clock } = deps;
  const log = deps.log.child({ module: 'calls' });
  const instanceId = deps.instanceId ?? newSid('ID');
  const registry = new CallRegistry(clock);
  const records = new CallRecords(store, instanceId, log);
  const callbacks = new StatusCallbacks(instanceId, log);
  const loopHeader = [LOOP_HEADER, randomBytes(16).toString('hex')] as const;
  const dialer: DialerDeps = {
    stack, registrar, store, config, loopHeader, media, records, registry, callbacks, clock,
    ringbackFile: ringbackFile(config.dataDir),
    sidPrefix: `${instanceId}-`,
    newHandle: (call, leg, origin) => new CallHandle(call, leg, origin, control),
    log,
  };
  const appFetch: AppFetchPolicy = {
    selfOrigin: selfHttpOrigin(config),
    ...(deps.appRequestHeaders === undefined ? {} : { headersFor: deps.appRequestHeaders }),
  };
  const control: ControlDeps = { dialer, store, publicUrl: config.publicUrl, instanceId, log, appFetch };
  const inbound: InboundDeps = {
    stack, media, records, registry, callbacks, instanceId, log, control,
    sidPrefix: `${instanceId}-`,
  };
  const handleInvite = createInviteHandler({ inbound, registrar, store, config, registry, loopHeader, log });
  const apiCalls = createApiCalls({ dialer, log });
  const flush = async (): Promise<void> => {
    await records.flush();
    await callbacks.flush();
  };
  return {
    instanceId,
    registry,
    handleInvite,
    stats: () => registry.stats(),
    flush,
    async stop() {
      await registry.hangupAll(5000);
      await flush();
    },
    originate: apiCalls.originate,
    modify: apiCalls.modify,
  };
}
