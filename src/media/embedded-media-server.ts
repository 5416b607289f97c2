import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { realClock, type Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { EmbeddedEndpoint } from './endpoint.js';
import type { Endpoint, MediaServer, MediaSessionKey, RoomOptions } from './media-server.js';
import { PortPool } from './port-pool.js';
import { EmbeddedRoom } from './room.js';
import { createScheduler, type MediaScheduler } from './scheduler.js';

export interface EmbeddedMediaServerOptions {
  /** Without `rtpTimeout` (benchmarks, engine tests) inactivity is never reported. */
  readonly config: Pick<Config, 'rtpPorts' | 'sipBind' | 'sipExternalAddress' | 'dataDir'> & Partial<Pick<Config, 'rtpTimeout'>>;
  readonly log: Logger;
  /**
   * Times the engine's timeouts (RTP inactivity, recording max length and silence). The 20 ms frames
   * are paced by the scheduler on real timers whatever this is: peers play RTP in real time.
   */
  readonly clock?: Clock;
  readonly scheduler?: MediaScheduler;
}

/** The embedded engine's own view: its endpoints expose their local port and in-memory playback. */
export interface EmbeddedMediaServer extends MediaServer {
  allocate(key: MediaSessionKey): Promise<EmbeddedEndpoint>;
  createRoom(options?: RoomOptions): Promise<EmbeddedRoom>;
}

/** Recording names become file names: nothing that could leave the recordings folder. */
const PLAIN_NAME = /^[A-Za-z0-9_-]+$/;

/**
 * The media engine inside the node: RTP on local UDP ports, one 20 ms scheduler for every stream,
 * rooms of two, recordings in `DATA_DIR/recordings/`.
 */
export async function createEmbeddedMediaServer(options: EmbeddedMediaServerOptions): Promise<EmbeddedMediaServer> {
  const { config } = options;
  const log = options.log.child({ module: 'media' });
  const clock = options.clock ?? realClock;
  const scheduler = options.scheduler ?? createScheduler();
  const rtpTimeoutMs = (config.rtpTimeout ?? 0) * 1000;
  const pool = new PortPool(config.rtpPorts, config.sipBind);
  const cacheDir = join(config.dataDir, 'cache');
  const recordingsDir = join(config.dataDir, 'recordings');
  const endpoints = new Map<string, EmbeddedEndpoint>();
  const rooms = new Set<EmbeddedRoom>();
  let counter = 0;

  const own = (e: Endpoint): EmbeddedEndpoint => {
    if (e instanceof EmbeddedEndpoint && endpoints.get(e.id) === e) return e;
    throw new Error(`endpoint ${e.key.callId}/${e.key.tag} does not belong to this media server or is closed`);
  };

  const recordingPath = (name: string | undefined): string => {
    const file = name ?? `rec-${randomUUID()}`;
    if (!PLAIN_NAME.test(file)) throw new Error(`recording name "${file}" is not a plain file name`);
    return join(recordingsDir, `${file}.wav`);
  };

  return {
    async allocate(key) {
      const ports = await pool.allocate();
      const id = `ep${++counter}-${ports.port}`;
      const ep = new EmbeddedEndpoint({
        id,
        key,
        ports,
        advertise: config.sipExternalAddress,
        cacheDir,
        log,
        rtpTimeoutMs,
        clock,
        recordingPath,
        addTicker: (t) => scheduler.add(t),
        onClose: (closed) => {
          endpoints.delete(closed.id);
          pool.release(ports);
        },
      });
      endpoints.set(id, ep);
      return ep;
    },

    async createRoom(opts = {}) {
      const room = new EmbeddedRoom({
        id: `room${++counter}`,
        own,
        recordPath: opts.record === undefined ? null : recordingPath(opts.record.name),
        addTicker: (t) => scheduler.add(t),
        onClose: (closed) => rooms.delete(closed),
        log,
      });
      rooms.add(room);
      return room;
    },

    stats() {
      return { endpoints: endpoints.size, portsInUse: pool.size * 2, rooms: rooms.size, scheduler: scheduler.stats() };
    },

    async close() {
      await Promise.all([...endpoints.values()].map((e) => e.close()));
      await Promise.all([...rooms].map((r) => r.close()));
      if (!options.scheduler) scheduler.stop();
    },
  };
}
