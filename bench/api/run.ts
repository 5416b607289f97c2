/**
 * REST API benchmark: a node on SQLite in a temporary folder (its own process), driven by autocannon in a
 * second process. Measures an authenticated GET of one client (JSON) and a create (POST Applications,
 * a real insert every time). Usage: node --import tsx bench/api/run.ts [seconds] [connections]
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../test/support/net.js';

const run = promisify(execFile);
const seconds = Number(process.argv[2] ?? 10);
const connections = Number(process.argv[3] ?? 50);
const root = new URL('../..', import.meta.url).pathname;
const ADMIN_PASSWORD = 'RestComm1234!';
const auth = 'Basic ' + Buffer.from(`administrator@company.com:${ADMIN_PASSWORD}`).toString('base64');
const ADMIN_SID = 'ACae6e420f425248d6a26948c17a9e2acf';

interface AutocannonResult {
  requests: { average: number };
  latency: { p99: number; average: number };
  non2xx: number;
  errors: number;
}

async function autocannon(url: string, extra: string[]): Promise<AutocannonResult> {
  const { stdout } = await run(
    join(root, 'node_modules/.bin/autocannon'),
    ['-j', '-c', String(connections), '-d', String(seconds), '-H', `authorization=${auth}`, ...extra, url],
    { maxBuffer: 64 * 1024 * 1024, timeout: (seconds + 60) * 1000 },
  );
  return JSON.parse(stdout) as AutocannonResult;
}

const dir = await mkdtemp(join(tmpdir(), 'dialtone-bench-'));
const port = await freePort();
const node = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve', '--http-port', String(port), '--http-bind', '127.0.0.1', '--data-dir', dir, '--log-level', 'warn'], {
  cwd: root,
  env: { ...process.env, DIALTONE_ADMIN_PASSWORD: ADMIN_PASSWORD },
  stdio: ['ignore', 'inherit', 'inherit'],
});
try {
  const base = `http://127.0.0.1:${port}/restcomm/2012-04-24/Accounts/${ADMIN_SID}`;
  const deadline = Date.now() + 30_000;
  let up = false;
  while (!up && Date.now() < deadline) {
    up = await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.ok, () => false);
    if (!up) await new Promise((r) => setTimeout(r, 100));
  }
  if (!up) throw new Error('node did not start');
  const created = await fetch(`${base}/Clients.json`, {
    method: 'POST',
    headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'Login=bench&Password=RestComm12',
  });
  const client = (await created.json()) as { sid: string };
  const cpu = cpus()[0]?.model ?? 'unknown';
  console.log(`machine: ${cpus().length} CPUs, ${cpu}; node ${process.version}; ${seconds}s per run, ${connections} connections`);
  const get = await autocannon(`${base}/Clients/${client.sid}.json`, []);
  console.log(`GET client (JSON):   ${Math.round(get.requests.average)} req/s, p99 ${get.latency.p99} ms, non-2xx ${get.non2xx}, errors ${get.errors}`);
  const post = await autocannon(`${base}/Applications.json`, ['-m', 'POST', '-H', 'content-type=application/x-www-form-urlencoded', '-b', 'FriendlyName=bench&RcmlUrl=http%3A%2F%2F127.0.0.1%2Fapp']);
  console.log(`POST application:    ${Math.round(post.requests.average)} req/s, p99 ${post.latency.p99} ms, non-2xx ${post.non2xx}, errors ${post.errors}`);
} finally {
  node.kill('SIGTERM');
  await new Promise((r) => node.once('exit', r));
  await rm(dir, { recursive: true, force: true });
}
