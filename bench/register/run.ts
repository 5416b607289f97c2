import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { freePort, freePortRange } from '../../test/support/net.js';

/**
 * REGISTER benchmark: a node in its own process (bench/register/node-process.ts) with `--clients` Clients,
 * SIPp as the load (one REGISTER → 401 → REGISTER with digest → 200 per SIPp "call", a different Client
 * each time from an injection file). Each rate runs for `--seconds`; a step counts as clean when every
 * registration got its 200. Prints one row per rate and a Markdown table.
 *
 *   node --import tsx bench/register/run.ts --rates 500,1000,2000,3000,5000 --seconds 10 --clients 10000
 */
const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] ?? fallback : fallback;
};
const rates = option('rates', '500,1000,2000,3000,5000').split(',').map(Number);
const seconds = Number(option('seconds', '10'));
const clients = Number(option('clients', '10000'));
// Unset: the node's own SIP_MAX_PENDING_TRANSACTIONS default applies, so the bench measures what ships.
const maxPendingAt = args.indexOf('--max-pending');
const maxPending = maxPendingAt >= 0 ? args[maxPendingAt + 1] : undefined;
const cpuProf = args.includes('--cpu-prof');
const PASSWORD = 'Bench-Passw0rd!';
const here = fileURLToPath(new URL('.', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'dialtone-bench-register-run-'));

interface Row { rate: number; attempted: number; ok: number; failed: number; retrans: number; p50: number; p99: number; max: number; cpuPct: number }

async function startNodeProcess(): Promise<{ child: ChildProcess; sipPort: number }> {
  const rtp = await freePortRange(20);
  const child = spawn(process.execPath, [
    ...(cpuProf ? ['--cpu-prof', '--cpu-prof-dir', work] : []),
    '--import', 'tsx', join(here, 'node-process.ts'),
    '--clients', String(clients), '--password', PASSWORD, '--rtp-ports', `${rtp}-${rtp + 19}`,
    ...(maxPending !== undefined ? ['--max-pending', maxPending] : []),
  ], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('node process did not start within 120 s')), 120_000);
    lines.once('line', (l) => { clearTimeout(timer); resolve(l); });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`node process exited with ${code}`)); });
  });
  return { child, sipPort: (JSON.parse(first) as { sipPort: number }).sipPort };
}

/** Per-percentile response times (ms) from SIPp's -trace_rtt CSV (`date_ms;response_time_ms;rtd_no`). */
function percentiles(path: string): { p50: number; p99: number; max: number } {
  const times = existsSync(path)
    ? readFileSync(path, 'utf8').split('\n').slice(1).map((l) => Number(l.split(';')[1])).filter((n) => Number.isFinite(n))
    : [];
  times.sort((a, b) => a - b);
  const at = (q: number): number => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? NaN;
  return { p50: at(0.5), p99: at(0.99), max: times[times.length - 1] ?? NaN };
}

function lastStat(path: string, name: string): number {
  const rows = readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '');
  const header = rows[0]?.split(';') ?? [];
  const last = rows[rows.length - 1]?.split(';') ?? [];
  return Number(last[header.indexOf(name)] ?? NaN);
}

function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function step(sipPort: number, nodePid: number, rate: number, users: string): Promise<Row> {
  const dir = mkdtempSync(join(work, `rate-${rate}-`));
  const localPort = await freePort();
  const mediaPort = await freePortRange(4);
  const calls = rate * seconds;
  const cpuBefore = cpuSeconds(nodePid);
  const started = Date.now();
  spawnSync('sipp', [
    '-sf', join(here, 'register.xml'), `127.0.0.1:${sipPort}`, '-i', '127.0.0.1', '-p', String(localPort),
    '-mp', String(mediaPort), '-cp', String(await freePort()), '-inf', users,
    '-r', String(rate), '-rp', '1000', '-m', String(calls), '-l', String(rate * 5), '-nostdin',
    '-recv_timeout', '5000', '-timeout', `${seconds + 30}s`,
    '-trace_stat', '-stf', join(dir, 'stat.csv'), '-fd', '1', '-trace_rtt', '-rtt_freq', '1',
    '-trace_err', '-error_file', join(dir, 'errors.log'),
  ], { cwd: dir, stdio: 'ignore', timeout: (seconds + 60) * 1000 });
  const elapsed = (Date.now() - started) / 1000;
  const cpuPct = ((cpuSeconds(nodePid) - cpuBefore) / elapsed) * 100;
  const rtt = spawnSync('sh', ['-c', `ls ${dir}/*_rtt.csv`], { encoding: 'utf8' }).stdout.trim();
  const stat = join(dir, 'stat.csv');
  return {
    rate, attempted: calls, ok: lastStat(stat, 'SuccessfulCall(C)'), failed: lastStat(stat, 'FailedCall(C)'),
    retrans: lastStat(stat, 'Retransmissions(C)'), ...percentiles(rtt), cpuPct,
  };
}

const users = join(work, 'users.csv');
writeFileSync(users, ['SEQUENTIAL', ...Array.from({ length: clients }, (_, i) => `user${i};[authentication username=user${i} password=${PASSWORD}];`)].join('\n') + '\n');
const { child, sipPort } = await startNodeProcess();
const rows: Row[] = [];
try {
  for (const rate of rates) {
    const row = await step(sipPort, child.pid!, rate, users);
    rows.push(row);
    console.log(JSON.stringify(row));
  }
} finally {
  child.stdin?.end();
  await new Promise((r) => child.once('exit', r));
}
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`;
console.log(`\nmachine: ${machine}; clients: ${clients}; ${seconds} s per rate; work dir ${work}\n`);
console.log('| rate /s | registrations | 200 OK | failed | retransmissions | p50 ms | p99 ms | max ms | node CPU % |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.rate} | ${r.attempted} | ${r.ok} | ${r.failed} | ${r.retrans} | ${r.p50} | ${r.p99} | ${r.max} | ${r.cpuPct.toFixed(0)} |`);
}
const clean = rows.filter((r) => r.failed === 0 && r.ok === r.attempted).map((r) => r.rate);
console.log(`\nhighest rate with zero failures: ${clean.length > 0 ? Math.max(...clean) : 'none'} /s`);
