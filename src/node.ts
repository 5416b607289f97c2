import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { bootstrapAdministrator } from './api/bootstrap.js';
import { createApiServer } from './api/server.js';
import { selfHttpOrigin } from './calls/app-url.js';
import { createCallLayer, type CallLayer } from './calls/call-layer.js';
import { CALL_DIALOG_METHODS } from './calls/usages/call-usages.js';
import { withHttpPort, type Config } from './config.js';
import { designerKeyHeaders } from './designer/api/node-key.js';
import type { Logger } from './log.js';
import { createEmbeddedMediaServer } from './media/embedded-media-server.js';
import type { MediaServer } from './media/media-server.js';
import { createRegistrar, type Registrar } from './registrar/registrar.js';
import { realClock, type Clock } from './clock.js';
import { createSipStack } from './sip/stack.js';
import type { SipStack } from './sip/stack-api.js';
import { openStore, type Store } from './store/store.js';

export interface RunningNode {
  /** The port the REST API really listens on (useful with `httpPort` 0). */
  readonly httpPort: number;
  readonly sipPort: number;
  readonly store: Store;
  readonly sip: SipStack;
  readonly media: MediaServer;
  readonly registrar: Registrar;
  readonly calls: CallLayer;
  stop(): Promise<void>;
}

export interface NodeOptions {
  /** The call layer's clock (default: real time), so tests can drive its timers; SIP and the registrar keep real time. */
  readonly callClock?: Clock;
}

/** A TCP port free on `host` right now (the listener is closed again before returning). */
function reservePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Brings up a complete node. The one place that wires the layers: store → media → SIP stack →
 * registrar → REST API. Resources are released in reverse order on `stop()` or when start-up fails.
 */
export async function startNode(requested: Config, log: Logger, options: NodeOptions = {}): Promise<RunningNode> {
  // HTTP port 0 (tests) is resolved before anything is wired, so links built from the public URL (such
  // as recording URLs) name the port the API really listens on.
  const config = requested.httpPort === 0 ? withHttpPort(requested, await reservePort(requested.httpBind)) : requested;
  const cleanup: Array<() => Promise<void>> = [];
  const stopAll = async (): Promise<void> => {
    for (const release of cleanup.splice(0).reverse()) await release();
  };
  try {
    const store = await openStore(config.databaseUrl, log);
    cleanup.push(() => store.close());
    await bootstrapAdministrator(store, config, log);

    const media = await createEmbeddedMediaServer({ config, log });
    cleanup.push(() => media.close());

    const sip = await createSipStack({ config, log, clock: realClock });
    cleanup.push(() => sip.close());

    const registrar = createRegistrar({ stack: sip, store, config, log, clock: realClock });
    cleanup.push(() => registrar.close());

    // The node's own RCML fetcher opens this node's designer controllers with a per-process key.
    const designerKey = randomBytes(16).toString('hex');
    const appRequestHeaders = designerKeyHeaders([selfHttpOrigin(config), new URL(config.publicUrl).origin], designerKey);
    const calls = createCallLayer({ stack: sip, registrar, media, store, config, log, clock: options.callClock ?? realClock, appRequestHeaders });
    cleanup.push(() => calls.stop());

    sip.setRequestFilter((req, source) => registrar.shouldDrop(req, source));
    sip.handle('REGISTER', (req, tx, source) => void registrar.handleRegister(req, tx, source));
    sip.handle('INVITE', (req, tx, source) => calls.handleInvite(req, tx, source), { inDialog: CALL_DIALOG_METHODS });

    const api = await createApiServer({ config, store, log, liveCalls: calls, designer: { nodeKey: designerKey } });
    await api.listen({ host: config.httpBind, port: config.httpPort });
    cleanup.push(() => api.close());
    const httpPort = config.httpPort;
    log.info({ httpPort, sipUdpPort: sip.udpPort, sipTcpPort: sip.tcpPort, database: store.kind }, 'node started');
    return { httpPort, sipPort: sip.udpPort, store, sip, media, registrar, calls, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
