import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { createEmbeddedMediaServer } from '../../src/media/embedded-media-server.js';
import { createScheduler } from '../../src/media/scheduler.js';
import type { Endpoint, MediaSessionKey, Room } from '../../src/media/media-server.js';

/**
 * The engine under test, alone in its process so that its CPU is measured apart from the RTP peers.
 * Commands arrive over IPC from bench/media/run.ts.
 */
type Command =
  | { op: 'play'; offers: string[]; file: string }
  | { op: 'bridge'; offers: [string, string][] }
  | { op: 'stats' }
  | { op: 'mark' }
  | { op: 'reset' };

const dataDir = mkdtempSync(join(tmpdir(), 'dialtone-bench-media-'));
const scheduler = createScheduler();
const server = await createEmbeddedMediaServer({
  scheduler,
  config: { rtpPorts: { min: 30000, max: 39999 }, sipBind: '127.0.0.1', sipExternalAddress: '127.0.0.1', dataDir },
  log: pino({ level: 'warn' }),
});
let endpoints: Endpoint[] = [];
let rooms: Room[] = [];
let legs = 0;

const port = (sdp: string): number => Number(/m=audio (\d+)/.exec(sdp)?.[1]);
const leg = (): MediaSessionKey => ({ callId: `bench-${++legs}`, tag: `t${legs}` });

process.on('message', (raw) => {
  const cmd = raw as Command;
  void (async () => {
    if (cmd.op === 'play') {
      const ports: number[] = [];
      for (const offer of cmd.offers) {
        const ep = await server.allocate(leg());
        endpoints.push(ep);
        ports.push(port(await ep.answer(offer)));
        ep.play({ file: cmd.file }, { loop: 0 });
      }
      process.send?.({ ports });
    } else if (cmd.op === 'bridge') {
      const ports: [number, number][] = [];
      for (const [oa, ob] of cmd.offers) {
        const a = await server.allocate(leg());
        const b = await server.allocate(leg());
        endpoints.push(a, b);
        ports.push([port(await a.answer(oa)), port(await b.answer(ob))]);
        const room = await server.createRoom();
        rooms.push(room);
        await room.join(a);
        await room.join(b);
      }
      process.send?.({ ports });
    } else if (cmd.op === 'mark') {
      scheduler.resetStats();
      process.send?.({ cpu: process.cpuUsage() });
    } else if (cmd.op === 'stats') {
      process.send?.({ cpu: process.cpuUsage(), stats: server.stats() });
    } else {
      await Promise.all(endpoints.map((e) => e.close()));
      await Promise.all(rooms.map((r) => r.close()));
      endpoints = [];
      rooms = [];
      process.send?.({ ok: true, stats: server.stats() });
    }
  })();
});
process.on('disconnect', () => {
  void server.close().then(() => {
    scheduler.stop();
    process.exit(0);
  });
});
process.send?.({ ready: true });
