import { bootstrapAdministrator } from './api/bootstrap.js';
import { createApiServer } from './api/server.js';
import type { Config } from './config.js';
import type { Logger } from './log.js';
import { openStore } from './store/store.js';

export interface RunningNode {
  /** The port the REST API really listens on (useful with `httpPort` 0). */
  readonly httpPort: number;
  stop(): Promise<void>;
}

/** Brings up a complete node: store, default administrator, REST API. */
export async function startNode(config: Config, log: Logger): Promise<RunningNode> {
  const store = await openStore(config.databaseUrl, log);
  try {
    await bootstrapAdministrator(store, config, log);
    const api = await createApiServer({ config, store, log });
    await api.listen({ host: config.httpBind, port: config.httpPort });
    const address = api.server.address();
    const httpPort = typeof address === 'object' && address !== null ? address.port : config.httpPort;
    log.info({ httpPort, database: store.kind }, 'node started');
    return {
      httpPort,
      async stop() {
        await api.close();
        await store.close();
      },
    };
  } catch (err) {
    await store.close();
    throw err;
  }
}
