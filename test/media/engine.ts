import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { createEmbeddedMediaServer } from '../../src/media/embedded-media-server.js';
import type { MediaServer } from '../../src/media/media-server.js';

export interface TestEngine {
  readonly server: MediaServer;
  readonly dataDir: string;
  close(): Promise<void>;
}

/** An embedded engine on 127.0.0.1 with its own data folder, removed at close. */
export async function startEngine(): Promise<TestEngine> {
  const dataDir = mkdtempSync(join(tmpdir(), 'dialtone-media-'));
  const server = await createEmbeddedMediaServer({
    config: { rtpPorts: { min: 40000, max: 49999 }, sipBind: '127.0.0.1', sipExternalAddress: '127.0.0.1', dataDir },
    log: pino({ level: 'silent' }),
  });
  return {
    server,
    dataDir,
    async close() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
