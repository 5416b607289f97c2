import { fork, type ChildProcess } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import wavefile from 'wavefile';

/**
 * Media benchmark: N endpoints playing a prompt, or N bridged pairs fed with 20 ms RTP by this
 * process. The engine runs in a child process (engine-process.ts); this one only sends and listens.
 * Reported per run: packet loss, p99 inter-arrival jitter seen by the receivers, the engine's
 * scheduler lateness and engine CPU per stream.
 */

interface Receiver {
  socket: Socket;
  port: number;
  count: number;
  firstSeq: number | null;
  lastSeq: number;
  lastArrival: number | null;
  deviations: number[];
}

async function receiver(): Promise<Receiver> {
  const socket = createSocket('udp4');
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
  const rx: Receiver = { socket, port: socket.address().port, count: 0, firstSeq: null, lastSeq: 0, lastArrival: null, deviations: [] };
  socket.on('message', (msg) => {
    const now = performance.now();
    const seq = msg.readUInt16BE(2);
    if (!measuring) return;
    if (rx.firstSeq === null) rx.firstSeq = seq;
    rx.lastSeq = seq;
    rx.count++;
    if (rx.lastArrival !== null) rx.deviations.push(Math.abs(now - rx.lastArrival - 20));
    rx.lastArrival = now;
  });
  return rx;
}

let measuring = false;

const offer = (p: number): string => `v=0\r\no=b 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio ${p} RTP/AVP 0\r\n`;

function ask(child: ChildProcess, msg: object): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve(m as Record<string, unknown>));
    child.send(msg);
  });
}

function p99(all: number[]): number {
  const s = all.sort((a, b) => a - b);
  return s[Math.floor(0.99 * (s.length - 1))] ?? 0;
}

async function runOnce(child: ChildProcess, mode: 'play' | 'bridge', n: number, seconds: number, prompt: string) {
  const rxs: Receiver[] = [];
  const senders: { socket: Socket; port: number; seq: number; ts: number }[] = [];
  if (mode === 'play') {
    for (let i = 0; i < n; i++) rxs.push(await receiver());
    await ask(child, { op: 'play', offers: rxs.map((r) => offer(r.port)), file: prompt });
  } else {
    const pairs: [Receiver, Receiver][] = [];
    for (let i = 0; i < n; i++) pairs.push([await receiver(), await receiver()]);
    const reply = await ask(child, { op: 'bridge', offers: pairs.map(([a, b]) => [offer(a.port), offer(b.port)]) });
    const ports = reply['ports'] as [number, number][];
    pairs.forEach(([a, b], i) => {
      rxs.push(a, b);
      senders.push({ socket: a.socket, port: ports[i]![0], seq: 0, ts: 0 }, { socket: b.socket, port: ports[i]![1], seq: 0, ts: 0 });
    });
  }
  const payload = Buffer.alloc(172, 0xff);
  payload[0] = 0x80;
  payload[1] = 0;
  let next = performance.now();
  let timer: NodeJS.Timeout | null = null;
  const pump = (): void => {
    for (const s of senders) {
      payload.writeUInt16BE(s.seq++ & 0xffff, 2);
      payload.writeUInt32BE((s.ts += 160) >>> 0, 4);
      payload.writeUInt32BE(0x1000 + s.port, 8);
      s.socket.send(payload, s.port, '127.0.0.1');
    }
    next += 20;
    timer = setTimeout(pump, Math.max(0, next - performance.now()));
  };
  if (senders.length > 0) pump();
  await new Promise((r) => setTimeout(r, 1000));
  measuring = true;
  const cpu0 = (await ask(child, { op: 'mark' }))['cpu'] as NodeJS.CpuUsage;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const end = await ask(child, { op: 'stats' });
  const elapsed = performance.now() - t0;
  measuring = false;
  if (timer) clearTimeout(timer);
  const cpu1 = end['cpu'] as NodeJS.CpuUsage;
  const sched = (end['stats'] as { scheduler: { lateness: { p99: number } } }).scheduler.lateness;
  let expected = 0;
  let got = 0;
  for (const r of rxs) {
    const span = r.firstSeq === null ? 0 : ((r.lastSeq - r.firstSeq) & 0xffff) + 1;
    expected += Math.max(span, Math.floor(elapsed / 20) - 2);
    got += r.count;
  }
  const loss = expected === 0 ? 1 : Math.max(0, 1 - got / expected);
  const jitter = p99(rxs.flatMap((r) => r.deviations));
  const cpuMs = (cpu1.user + cpu1.system - cpu0.user - cpu0.system) / 1000;
  await ask(child, { op: 'reset' });
  for (const r of rxs) r.socket.close();
  return { mode, n, streams: rxs.length, lossPct: loss * 100, p99JitterMs: jitter, schedulerP99Ms: sched.p99, cpuPctPerStream: (100 * cpuMs) / elapsed / rxs.length, cpuPctTotal: (100 * cpuMs) / elapsed };
}

const program = new Command()
  .option('--mode <mode>', 'play or bridge', 'play')
  .option('--n <list>', 'comma-separated N values', '50,100,200,400')
  .option('--seconds <s>', 'measurement window per N', '10')
  .option('--cpu-prof <dir>', 'write a V8 CPU profile of the engine process into this folder')
  .parse();
const opts = program.opts<{ mode: 'play' | 'bridge'; n: string; seconds: string; cpuProf?: string }>();

const dir = mkdtempSync(join(tmpdir(), 'dialtone-bench-prompt-'));
const prompt = join(dir, 'prompt.wav');
const samples = new Int16Array(8000 * 5).map((_, i) => Math.round(6000 * Math.sin((2 * Math.PI * 440 * i) / 8000)));
const wav = new wavefile.WaveFile();
wav.fromScratch(1, 8000, '16', samples);
writeFileSync(prompt, wav.toBuffer());

const child = fork(new URL('./engine-process.ts', import.meta.url).pathname, [], {
  execArgv: ['--import', 'tsx', ...(opts.cpuProf !== undefined ? ['--cpu-prof', '--cpu-prof-dir', opts.cpuProf] : [])],
});
await new Promise((r) => child.once('message', r));
console.log(`# ${cpus()[0]?.model ?? 'cpu'} x${cpus().length}, node ${process.version}`);
for (const n of opts.n.split(',').map(Number)) {
  const r = await runOnce(child, opts.mode, n, Number(opts.seconds), prompt);
  console.log(JSON.stringify({ ...r, lossPct: +r.lossPct.toFixed(3), p99JitterMs: +r.p99JitterMs.toFixed(2), schedulerP99Ms: +r.schedulerP99Ms.toFixed(2), cpuPctPerStream: +r.cpuPctPerStream.toFixed(3), cpuPctTotal: +r.cpuPctTotal.toFixed(1) }));
}
child.disconnect();
