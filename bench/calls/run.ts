import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, freePortRange } from '../../test/support/net.js';
import { cpuPercent, loadAverage, sampleProcess, udpReceiveBufferErrors, udpSocketDrops, type ProcSample } from './proc-sample.js';
import { topFunctions } from './profile-top.js';

/**
 * Calls through the whole node: `dialtone serve` in its own process; SIPp Alice calls an isSIP number
 * whose Voice URL (a node:http app in this process) answers <Dial><Client>bob</Client></Dial>; a SIPp UAS
 * registered as bob (bench/calls/uas-bob.xml) answers with 180 and 200, Alice hangs up after the hold time.
 * One step per rate. The node's own log (warn and above) goes to `<work dir>/node.log`.
 *
 *   bash bench/calls/run.sh --rates 20,50,100,200,300,500 --seconds 20 --hold 2 [--cpu-prof]
 */
const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] ?? fallback : fallback;
};
const rates = option('rates', '20,50,100,200,300,500').split(',').map(Number);
const seconds = Number(option('seconds', '20'));
const holdSeconds = Number(option('hold', '2'));
const rtpPorts = option('rtp-ports', '20000-32000');
const cpuProf = args.includes('--cpu-prof');
// Every SIP message Alice sends and receives, into each step's folder: for chasing failed calls, not for figures.
const traceMessages = args.includes('--trace-msg');
if (rates.some((r) => !Number.isInteger(r) || r <= 0) || !(seconds > 0) || !(holdSeconds > 0)) {
  throw new Error('--rates takes positive whole numbers, --seconds and --hold positive numbers');
}

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'dialtone-bench-calls-'));
const ADMIN_PASSWORD = 'Bench-Adm1n-Pass!';
const BOB_PASSWORD = 'Bench-Passw0rd!';
const NUMBER = '+15550100';
const ADMIN_SID = 'ACae6e420f425248d6a26948c17a9e2acf';
const auth = 'Basic ' + Buffer.from(`administrator@company.com:${ADMIN_PASSWORD}`).toString('base64');
const started: ChildProcess[] = [];

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Starts a program and remembers it, so the `finally` below can kill it by PID whatever happens. */
function launch(command: string, argv: string[], cwd: string, env?: NodeJS.ProcessEnv, stdout: 'ignore' | number = 'ignore'): ChildProcess {
  const child = spawn(command, argv, { cwd, env: env ?? process.env, stdio: ['ignore', stdout, 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-4000); });
  child.once('exit', (code) => { if (code !== 0 && stderr !== '') process.stderr.write(`${command} exited ${code}: ${stderr}\n`); });
  started.push(child);
  return child;
}

function exited(child: ChildProcess, deadlineMs: number): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); }, deadlineMs);
    child.once('exit', (code) => { clearTimeout(timer); resolve(code); });
  });
}

async function startApp(): Promise<{ server: Server; url: string }> {
  const rcml = '<?xml version="1.0" encoding="UTF-8"?><Response><Dial><Client>bob</Client></Dial></Response>';
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/xml' }).end(rcml));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('app server has no address');
  return { server, url: `http://127.0.0.1:${address.port}/dial-bob` };
}

async function api(httpPort: number, method: 'GET' | 'POST', path: string, form?: Record<string, string>): Promise<Record<string, unknown>> {
  const res = await fetch(`http://127.0.0.1:${httpPort}/restcomm/2012-04-24/Accounts/${ADMIN_SID}/${path}`, {
    method,
    headers: { authorization: auth, ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
    ...(form ? { body: new URLSearchParams(form).toString() } : {}),
  });
  const body = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

async function startNode(httpPort: number, sipPort: number): Promise<ChildProcess> {
  const dataDir = mkdtempSync(join(work, 'node-'));
  const node = launch(process.execPath, [
    ...(cpuProf ? ['--cpu-prof', '--cpu-prof-dir', join(work, 'profile')] : []),
    '--import', 'tsx', 'src/cli.ts', 'serve', '--http-port', String(httpPort), '--http-bind', '127.0.0.1',
    '--sip-port', String(sipPort), '--sip-bind', '127.0.0.1', '--sip-domain', '127.0.0.1', '--data-dir', dataDir,
    '--rtp-ports', rtpPorts, '--log-level', 'warn',
  ], root, { ...process.env, DIALTONE_ADMIN_PASSWORD: ADMIN_PASSWORD }, openSync(join(work, 'node.log'), 'w'));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (node.exitCode !== null) throw new Error(`node exited with ${node.exitCode}`);
    if (await fetch(`http://127.0.0.1:${httpPort}/health`).then((r) => r.ok, () => false)) return node;
    await sleep(200);
  }
  throw new Error('node did not answer /health within 60 s');
}

function sippCommon(port: number, dir: string, mediaPort: number, controlPort: number): string[] {
  return ['-i', '127.0.0.1', '-p', String(port), '-mp', String(mediaPort), '-cp', String(controlPort), '-nostdin',
    '-trace_err', '-error_file', join(dir, 'errors.log')];
}

/** Registers bob with a one-shot SIPp on `bobPort`, then leaves a SIPp UAS answering on that same port. */
async function startBob(sipPort: number): Promise<ChildProcess> {
  const dir = mkdtempSync(join(work, 'bob-'));
  const bobPort = await freePort();
  const reg = launch('sipp', [
    '-sf', join(here, 'register-bob.xml'), `127.0.0.1:${sipPort}`, '-au', 'bob', '-ap', BOB_PASSWORD, '-m', '1',
    '-recv_timeout', '5000', '-timeout', '20s', '-timeout_error',
    ...sippCommon(bobPort, dir, await freePortRange(4), await freePort()),
  ], dir);
  const code = await exited(reg, 30_000);
  if (code !== 0) throw new Error(`bob's REGISTER failed (SIPp exit ${code}); see ${dir}/errors.log`);
  const uas = launch('sipp', ['-sf', join(here, 'uas-bob.xml'), ...sippCommon(bobPort, dir, await freePortRange(4), await freePort())], dir);
  await sleep(500);
  if (uas.exitCode !== null) throw new Error(`bob's UAS exited at once (${uas.exitCode}); see ${dir}/errors.log`);
  return uas;
}

interface StatRows { header: string[]; rows: string[][] }

function readStat(path: string): StatRows {
  const lines = existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '') : [];
  return { header: lines[0]?.split(';') ?? [], rows: lines.slice(1).map((l) => l.split(';')) };
}

function column(stat: StatRows, name: string): number[] {
  const i = stat.header.indexOf(name);
  return i < 0 ? [] : stat.rows.map((r) => Number(r[i]));
}

function quantile(values: number[], q: number): number {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

/** Response times (ms) per RTD from SIPp's -trace_rtt CSV (`Date_ms;response_time_ms;rtd_no`). */
function responseTimes(dir: string): Map<string, number[]> {
  const file = readdirSync(dir).find((f) => f.endsWith('_rtt.csv'));
  const byRtd = new Map<string, number[]>();
  if (file === undefined) return byRtd;
  for (const line of readFileSync(join(dir, file), 'utf8').split('\n').slice(1)) {
    const [, ms, rtd] = line.split(';');
    if (ms === undefined || rtd === undefined) continue;
    const list = byRtd.get(rtd.trim()) ?? [];
    list.push(Number(ms));
    byRtd.set(rtd.trim(), list);
  }
  return byRtd;
}

interface Row {
  rate: number; attempted: number; ok: number; failed: number; failedPct: number;
  ring50: number; ring99: number; answer50: number; answer99: number;
  rssIdleMb: number; rssPlateauMb: number; cpuPct: number; concurrent: number; fdsPlateau: number; kbPerCall: number;
  udpDrops: number;
  sipSocketDrops: number;
}

async function step(nodePid: number, sipPort: number, rate: number): Promise<Row> {
  const dir = mkdtempSync(join(work, `rate-${rate}-`));
  const calls = rate * seconds;
  const idle = sampleProcess(nodePid);
  const dropsBefore = udpReceiveBufferErrors();
  const sipDropsBefore = udpSocketDrops(sipPort);
  const uac = launch('sipp', [
    '-sf', join(here, 'uac.xml'), `127.0.0.1:${sipPort}`, '-s', NUMBER,
    '-r', String(rate), '-m', String(calls), '-l', String(Math.ceil(rate * (holdSeconds + 10))), '-d', String(holdSeconds * 1000),
    '-recv_timeout', '10000', '-timeout', `${seconds + holdSeconds + 40}s`,
    '-trace_stat', '-stf', join(dir, 'stat.csv'), '-fd', '1', '-trace_rtt', '-rtt_freq', '1',
    ...(traceMessages ? ['-trace_msg', '-message_file', join(dir, 'messages.log')] : []),
    ...sippCommon(await freePort(), dir, await freePortRange(4), await freePort()),
  ], dir);
  const samples: ProcSample[] = [];
  const sampler = setInterval(() => {
    // /proc/<pid> vanishes when the node dies (out of memory, crash): stop Alice rather than throw here.
    if (existsSync(`/proc/${nodePid}/status`)) samples.push(sampleProcess(nodePid));
    else uac.kill('SIGTERM');
  }, 500);
  await exited(uac, (seconds + holdSeconds + 60) * 1000);
  clearInterval(sampler);
  if (!existsSync(`/proc/${nodePid}/status`)) throw new Error(`the node (pid ${nodePid}) died during the ${rate}/s step; see ${work}/node.log`);
  const end = sampleProcess(nodePid);
  const udpDrops = udpReceiveBufferErrors() - dropsBefore;
  const sipSocketDrops = udpSocketDrops(sipPort) - sipDropsBefore;

  // The plateau: once the first calls have ended (hold + a few seconds) until SIPp stops creating calls.
  const from = idle.at + (holdSeconds + 3) * 1000;
  const to = idle.at + seconds * 1000;
  const plateau = samples.filter((s) => s.at >= from && s.at <= to);
  const stat = readStat(join(dir, 'stat.csv'));
  const current = column(stat, 'CurrentCall').slice(holdSeconds + 3, seconds);
  const ok = column(stat, 'SuccessfulCall(C)').at(-1) ?? 0;
  const failed = column(stat, 'FailedCall(C)').at(-1) ?? 0;
  const rtt = responseTimes(dir);
  const concurrent = quantile(current, 0.5);
  const rssPlateauMb = quantile(plateau.map((s) => s.rssMb), 0.5);
  return {
    rate, attempted: column(stat, 'TotalCallCreated').at(-1) ?? calls, ok, failed, failedPct: (failed / Math.max(1, ok + failed)) * 100,
    ring50: quantile(rtt.get('1') ?? [], 0.5), ring99: quantile(rtt.get('1') ?? [], 0.99),
    answer50: quantile(rtt.get('2') ?? [], 0.5), answer99: quantile(rtt.get('2') ?? [], 0.99),
    rssIdleMb: idle.rssMb, rssPlateauMb, cpuPct: cpuPercent(idle, end), concurrent,
    fdsPlateau: quantile(plateau.map((s) => s.fds), 0.5), kbPerCall: ((rssPlateauMb - idle.rssMb) * 1024) / concurrent,
    udpDrops,
    sipSocketDrops,
  };
}

/** Waits (bounded) until the node's descriptor count is back to `baseline`, and returns the last sample. */
async function settle(nodePid: number, baseline: number, ms: number): Promise<ProcSample> {
  const deadline = Date.now() + ms;
  let s = sampleProcess(nodePid);
  while (s.fds > baseline && Date.now() < deadline) {
    await sleep(500);
    s = sampleProcess(nodePid);
  }
  return s;
}

const fmt = (n: number, digits = 0): string => (Number.isFinite(n) ? n.toFixed(digits) : '–');

const app = await startApp();
const httpPort = await freePort();
const sipPort = await freePort();
const rows: Row[] = [];
let report = '';
try {
  const node = await startNode(httpPort, sipPort);
  const nodePid = node.pid ?? 0;
  await api(httpPort, 'POST', 'Clients.json', { Login: 'bob', Password: BOB_PASSWORD });
  await api(httpPort, 'POST', 'IncomingPhoneNumbers.json', { PhoneNumber: NUMBER, VoiceUrl: app.url, VoiceMethod: 'POST', isSIP: 'true' });
  const bob = await startBob(sipPort);
  await sleep(1000);
  const baseline = sampleProcess(nodePid);
  console.log(`node pid ${nodePid}; idle: ${fmt(baseline.rssMb, 1)} MB RSS, ${baseline.fds} fds; load ${loadAverage()}`);
  for (const rate of rates) {
    const row = await step(nodePid, sipPort, rate);
    rows.push(row);
    console.log(JSON.stringify({ ...row, load: loadAverage() }));
    await settle(nodePid, baseline.fds, 30_000);
    if (bob.exitCode !== null) throw new Error(`bob's UAS exited (${bob.exitCode})`);
  }
  // Non-INVITE server transactions linger for Timer J (32 s) after the last BYE; wait them out.
  await sleep(35_000);
  const after = await settle(nodePid, baseline.fds, 10_000);
  const live: Record<string, number> = {};
  for (const status of ['queued', 'ringing', 'in-progress']) {
    live[status] = Number((await api(httpPort, 'GET', `Calls.json?Status=${status}`)).total ?? NaN);
  }
  const total = Number((await api(httpPort, 'GET', 'Calls.json')).total ?? NaN);
  report += `\nafter the run (+35 s): ${fmt(after.rssMb, 1)} MB RSS (idle before: ${fmt(baseline.rssMb, 1)}), `
    + `${after.fds} fds (idle before: ${baseline.fds}); call records: ${total} total, live by status ${JSON.stringify(live)}\n`;
} finally {
  for (const child of started.reverse()) {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      child.kill('SIGTERM');
      await exited(child, 15_000);
    }
  }
  app.server.close();
}

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, load average ${loadAverage()}`;
console.log(`\nmachine: ${machine}; ${seconds} s per rate, hold ${holdSeconds} s; work dir ${work}`);
console.log(report);
console.log('| rate /s | calls | ok | failed | failed % | INVITE→180 p50/p99 ms | INVITE→200 p50/p99 ms | node CPU % | concurrent calls | node fds | RSS idle → plateau MB | KB / concurrent call | UDP rcvbuf drops (machine) | of which node SIP socket |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.rate} | ${r.attempted} | ${r.ok} | ${r.failed} | ${fmt(r.failedPct, 2)} | ${fmt(r.ring50)} / ${fmt(r.ring99)} | ${fmt(r.answer50)} / ${fmt(r.answer99)} | ${fmt(r.cpuPct)} | ${fmt(r.concurrent)} | ${fmt(r.fdsPlateau)} | ${fmt(r.rssIdleMb)} → ${fmt(r.rssPlateauMb)} | ${fmt(r.kbPerCall)} | ${r.udpDrops} | ${r.sipSocketDrops} |`);
}
const clean = rows.filter((r) => r.ok > 0 && r.failedPct < 0.1).map((r) => r.rate);
console.log(`\nhighest rate with < 0.1 % failed calls: ${clean.length > 0 ? Math.max(...clean) : 'none'} /s`);
if (cpuProf) {
  const dir = join(work, 'profile');
  const file = existsSync(dir) ? readdirSync(dir).find((f) => f.endsWith('.cpuprofile')) : undefined;
  if (file === undefined) {
    console.log('no CPU profile was written');
  } else {
    console.log(`\nnode CPU profile ${join(dir, file)}, top functions by self time:`);
    for (const f of topFunctions(join(dir, file), 20)) console.log(`  ${fmt(f.selfPct, 1)} %  ${f.name}  ${f.where}`);
  }
}
