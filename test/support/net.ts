import { createServer } from 'node:net';
import { createSocket } from 'node:dgram';

/**
 * A port that is free on 127.0.0.1 for both TCP and UDP right now. Tests that must tell an external
 * program (SIPp, linphonec, baresip) which port to use take one from here instead of hard-coding it,
 * so suites can run side by side.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const srv = createServer();
      srv.once('error', reject);
      srv.listen(0, '127.0.0.1', () => {
        const addr = srv.address();
        srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
      });
    });
    const udpFree = await new Promise<boolean>((resolve) => {
      const s = createSocket('udp4');
      s.once('error', () => resolve(false));
      s.bind(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (udpFree) return port;
  }
  throw new Error('no free port pair found on 127.0.0.1');
}

async function portIsFree(port: number): Promise<boolean> {
  const tcp = await new Promise<boolean>((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
  if (!tcp) return false;
  return new Promise<boolean>((resolve) => {
    const s = createSocket('udp4');
    s.once('error', () => resolve(false));
    s.bind(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/**
 * The first of `count` consecutive ports that are all free on 127.0.0.1 (TCP and UDP). External
 * clients take neighbours of the port they are given (SIPp media uses mp and mp+2, baresip puts
 * TLS on P+1, RTP ranges), so one free port is not enough for them.
 */
export async function freePortRange(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = await freePort();
    if (base + count > 65535) continue;
    let allFree = true;
    for (let p = base + 1; p < base + count && allFree; p++) allFree = await portIsFree(p);
    if (allFree) return base;
  }
  throw new Error(`no ${count} consecutive free ports found on 127.0.0.1`);
}
