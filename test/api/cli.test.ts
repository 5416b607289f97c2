import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { freePort } from '../support/net.js';

interface Started {
  child: ChildProcess;
  port: number;
  dir: string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/**
 * Starts `dialtone serve` and waits for `/health` to answer. The port from `freePort()` is free only when
 * it is picked: under parallel suites another process (often an outgoing connection's ephemeral port) can
 * take it before the node binds, and the node then exits with EADDRINUSE. That start is retried on a new
 * port; any other early exit fails at once with the node's stderr instead of waiting out the deadline.
 */
async function startServe(): Promise<{ started: Started; health: Response }> {
  for (let attempt = 1; ; attempt++) {
    const dir = await mkdtemp(join(tmpdir(), 'dialtone-cli-'));
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve', '--http-port', String(port), '--http-bind', '127.0.0.1', '--data-dir', dir, '--log-level', 'warn', '--sip-domain', 'cli.test', '--sip-bind', '127.0.0.1', '--sip-port', '0', '--rtp-ports', '35000-35100'], {
      cwd: new URL('../..', import.meta.url).pathname,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    let exitCode: number | null | undefined;
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve((exitCode = code))));
    const started: Started = { child, port, dir, stderr: () => stderr, exited };
    // A loaded machine (other suites, tsx compiling on a cold cache) can take many seconds to start the node.
    const deadline = Date.now() + 60_000;
    let health: Response | undefined;
    while (health === undefined && exitCode === undefined && Date.now() < deadline) {
      health = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(5_000) }).catch(async () => {
        await new Promise((r) => setTimeout(r, 100));
        return undefined;
      });
    }
    if (health !== undefined) return { started, health };
    await stopServe(started);
    if (exitCode !== undefined && /EADDRINUSE/.test(stderr) && attempt < 3) continue;
    assert.fail(`node did not come up (attempt ${attempt}, exit code ${String(exitCode)}): ${stderr}`);
  }
}

async function stopServe(s: Started): Promise<void> {
  if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
  await s.exited;
  await rm(s.dir, { recursive: true, force: true });
}

test('dialtone serve answers /health and the administrator by e-mail, and stops on SIGTERM', async () => {
  const { started, health } = await startServe();
  const { child, port } = started;
  try {
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: 'ok' });
    const auth = 'Basic ' + Buffer.from('administrator@company.com:RestComm').toString('base64');
    const admin = await fetch(`http://127.0.0.1:${port}/restcomm/2012-04-24/Accounts.json/administrator@company.com`, { headers: { authorization: auth } });
    assert.equal(admin.status, 200);
    const body = (await admin.json()) as { sid: string; status: string };
    assert.equal(body.sid, 'ACae6e420f425248d6a26948c17a9e2acf');
    assert.equal(body.status, 'uninitialized');
    child.kill('SIGTERM');
    assert.equal(await started.exited, 0, `exit after SIGTERM: ${started.stderr()}`);
  } finally {
    await stopServe(started);
  }
});

test('a weak DIALTONE_ADMIN_PASSWORD refuses to start with a clear error', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'dialtone-cli-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve', '--http-port', '0', '--http-bind', '127.0.0.1', '--data-dir', dir, '--log-level', 'silent', '--sip-bind', '127.0.0.1', '--sip-port', '0'], {
    cwd: new URL('../..', import.meta.url).pathname,
    env: { ...process.env, DIALTONE_ADMIN_PASSWORD: 'password' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  clearTimeout(timer);
  await rm(dir, { recursive: true, force: true });
  assert.equal(code, 2);
  assert.match(stderr, /^dialtone: cannot start: .*DIALTONE_ADMIN_PASSWORD is too weak/m);
});
