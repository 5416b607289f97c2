import { join } from 'node:path';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { Bridge } from './bridge.js';
import { EmbeddedEndpoint } from './endpoint.js';
import type { BridgeHandle, BridgeOptions, Endpoint, MediaServer } from './media-server.js';
import { PortPool } from './port-pool.js';
import { createScheduler, realMediaClock, type MediaClock, type MediaScheduler } from './scheduler.js';

export interface EmbeddedMediaServerOptions {
  /** Without `rtpTimeout` (benchmarks, engine tests) inactivity is never reported. */
  readonly config: Pick<Config, 'rtpPorts' | 'sipBind' | 'sipExternalAddress' | 'dataDir'> & Partial<Pick<Config, 'rtpTimeout'>>;
  readonly log: Logger;
  readonly clock?: MediaClock;
  readonly scheduler?: MediaScheduler;
}

/** The media engine inside the node: RTP on local UDP ports, one 20 ms scheduler for every stream. */
export async function createEmbeddedMediaServer(options: EmbeddedMediaServerOptions): Promise<MediaServer> {
  const { config } = options;
  const log = options.log.child({ module: 'media' });
  const clock = options.clock ?? realMediaClock;
  const scheduler = options.scheduler ?? createScheduler(clock);
  const rtpTimeoutMs = (config.rtpTimeout ?? 0) * 1000;
  const pool = new PortPool(config.rtpPorts, config.sipBind);
  const cacheDir = join(config.dataDir, 'cache');
  const endpoints = new Map<string, EmbeddedEndpoint>();
  const bridges = new Map<EmbeddedEndpoint, Bridge>();
  let counter = 0;

  const own = (e: Endpoint): EmbeddedEndpoint => {
    const found = endpoints.get(e.id);
    if (!found || found !== e) throw new Error(`endpoint ${e.id} does not belong to this media server or is closed`);
    return found;
  };

  const stopBridge = (br: Bridge): Promise<{ recordingMs: number | null }> => {
    if (bridges.get(br.a) === br) bridges.delete(br.a);
    if (bridges.get(br.b) === br) bridges.delete(br.b);
    return br.stop();
  };

  return {
    async allocate() {
      const ports = await pool.allocate();
      const id = `ep${++counter}-${ports.port}`;
      const ep = new EmbeddedEndpoint({
        id,
        ports,
        advertise: config.sipExternalAddress,
        cacheDir,
        log,
        rtpTimeoutMs,
        now: () => clock.now(),
        addTicker: (t) => scheduler.add(t),
        onClose: (closed) => {
          const br = bridges.get(closed);
          if (br) void stopBridge(br);
          endpoints.delete(closed.id);
          pool.release(ports);
        },
      });
      endpoints.set(id, ep);
      return ep;
    },

    bridge(a: Endpoint, b: Endpoint, opts: BridgeOptions = {}): BridgeHandle {
      const ea = own(a);
      const eb = own(b);
      if (ea === eb) throw new Error('cannot bridge an endpoint to itself');
      // Re-bridging moves an endpoint: its previous bridge ends first (blind transfer re-homes a leg).
      for (const e of [ea, eb]) {
        const old = bridges.get(e);
        if (old) void stopBridge(old);
      }
      const br = new Bridge(ea, eb, opts.recordPath ?? null, (t) => scheduler.add(t), log);
      bridges.set(ea, br);
      bridges.set(eb, br);
      return { unbridge: () => stopBridge(br) };
    },

    stats() {
      return { endpoints: endpoints.size, portsInUse: pool.size * 2, bridges: new Set(bridges.values()).size, scheduler: scheduler.stats() };
    },

    async close() {
      for (const e of [...endpoints.values()]) e.close();
      await Promise.all([...new Set(bridges.values())].map(stopBridge));
      if (!options.scheduler) scheduler.stop();
    },
  };
}
