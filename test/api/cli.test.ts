import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { freePort } from '../support/net.js';

test('dialtone serve answers /health and the administrator by e-mail, and stops on SIGTERM', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'dialtone-cli-'));
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve', '--http-port', String(port), '--http-bind', '127.0.0.1', '--data-dir', dir, '--log-level', 'warn', '--sip-domain', 'cli.test', '--sip-bind', '127.0.0.1', '--sip-port', '0', '--rtp-ports', '35000-35100'], {
    cwd: new URL('../..', import.meta.url).pathname,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    let health: Response | undefined;
    const deadline = Date.now() + 20_000;
    while (health === undefined && Date.now() < deadline) {
      health = await fetch(`http://127.0.0.1:${port}/health`).catch(async () => {
        await new Promise((r) => setTimeout(r, 100));
        return undefined;
      });
    }
    assert.ok(health, `node did not come up: ${stderr}`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: 'ok' });
    const auth = 'Basic ' + Buffer.from('administrator@company.com:RestComm').toString('base64');
    const admin = await fetch(`http://127.0.0.1:${port}/restcomm/2012-04-24/Accounts.json/administrator@company.com`, { headers: { authorization: auth } });
    assert.equal(admin.status, 200);
    const body = (await admin.json()) as { sid: string; status: string };
    assert.equal(body.sid, 'ACae6e420f425248d6a26948c17a9e2acf');
    assert.equal(body.status, 'uninitialized');
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
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
