import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startProcess } from '../support/process.js';

test('output is captured in memory and in the run log, and waitFor finds lines after a mark', async () => {
  const p = startProcess({ name: 'echoer', command: 'sh', args: ['-c', 'echo first; read x; echo "got $x"; echo oops >&2'], deadlineMs: 10_000 });
  await p.waitFor(/first/, 5000);
  const mark = p.mark();
  p.write('hello\n');
  const m = await p.waitFor(/got (\w+)/, 5000, mark);
  assert.equal(m[1], 'hello');
  await assert.rejects(p.waitFor(/first/, 100, mark), /did not print|exited/);
  assert.deepEqual(await p.exited, { code: 0, signal: null });
  const log = readFileSync(p.logPath, 'utf8');
  for (const s of ['first', 'got hello', 'oops', '[stdin] hello', '[exit] code=0']) assert.ok(log.includes(s), `log misses ${s}`);
});

test('waitFor rejects at its deadline with the last lines of output and the log path', async () => {
  const p = startProcess({ name: 'quiet', command: 'sh', args: ['-c', 'for i in 1 2 3; do echo line$i; done; sleep 30'], deadlineMs: 20_000 });
  await p.waitFor(/line3/, 5000);
  const err = await p.waitFor(/never/, 200).then(() => null, (e: unknown) => e as Error);
  assert.ok(err);
  assert.match(err.message, /quiet \(pid \d+\) did not print \/never\/ within 200 ms/);
  assert.match(err.message, /line1\nline2\nline3/);
  assert.ok(err.message.includes(p.logPath));
  assert.deepEqual(await p.stop(), { code: null, signal: 'SIGTERM' });
});

test('a process that ignores SIGTERM is killed after the grace period', async () => {
  const p = startProcess({ name: 'stubborn', command: 'sh', args: ['-c', "trap '' TERM; echo armed; while :; do sleep 1; done"], deadlineMs: 20_000 });
  await p.waitFor(/armed/, 5000);
  const exit = await p.stop(300);
  assert.equal(exit.signal, 'SIGKILL');
  assert.equal(p.running, false);
});

test('the hard deadline ends a process nobody stops, and waitFor reports the exit', async () => {
  const p = startProcess({ name: 'forever', command: 'sleep', args: ['60'], deadlineMs: 1000 });
  await assert.rejects(p.waitFor(/never/, 10_000), /exited .* before printing/);
  assert.equal((await p.exited).code, 124);
});
