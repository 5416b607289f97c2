import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { Clock } from '../../src/clock.js';
import { createEmbeddedMediaServer, type EmbeddedMediaServer } from '../../src/media/embedded-media-server.js';
import type { EmbeddedEndpoint } from '../../src/media/endpoint.js';
import { RtpPeer } from './rtp-peer.js';

export interface TestEngine {
  readonly server: EmbeddedMediaServer;
  readonly dataDir: string;
  /** An endpoint for a leg of its own (a fresh Call-ID and tag). */
  allocate(): Promise<EmbeddedEndpoint>;
  close(): Promise<void>;
}

export interface TestEngineOptions {
  /** `DIALTONE_RTP_TIMEOUT` in seconds; default: never reported. */
  readonly rtpTimeout?: number;
  readonly clock?: Clock;
}

let legs = 0;

/** An embedded engine on 127.0.0.1 with its own data folder, removed at close. */
export async function startEngine(opts: TestEngineOptions = {}): Promise<TestEngine> {
  const dataDir = mkdtempSync(join(tmpdir(), 'dialtone-media-'));
  const server = await createEmbeddedMediaServer({
    config: {
      rtpPorts: { min: 40000, max: 49999 }, sipBind: '127.0.0.1', sipExternalAddress: '127.0.0.1', dataDir,
      ...(opts.rtpTimeout === undefined ? {} : { rtpTimeout: opts.rtpTimeout }),
    },
    log: pino({ level: 'silent' }),
    ...(opts.clock === undefined ? {} : { clock: opts.clock }),
  });
  return {
    server,
    dataDir,
    allocate: () => {
      legs++;
      return server.allocate({ callId: `test-call-${legs}@127.0.0.1`, tag: `tag${legs}` });
    },
    async close() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Alice and Bob, two RTP peers whose offers (of these payload types) endpoints of `eng` answered, each sending to its endpoint. */
export async function answeredPair(eng: TestEngine, alicePayloads: string, bobPayloads: string): Promise<{ alice: RtpPeer; bob: RtpPeer; ea: EmbeddedEndpoint; eb: EmbeddedEndpoint }> {
  const alice = await RtpPeer.open();
  const bob = await RtpPeer.open();
  const [ea, eb] = await Promise.all([eng.allocate(), eng.allocate()]);
  await ea.answer(alice.offer(alicePayloads));
  await eb.answer(bob.offer(bobPayloads));
  alice.target = ea.localPort;
  bob.target = eb.localPort;
  return { alice, bob, ea, eb };
}
