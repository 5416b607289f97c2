import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { formatLogLine, gsonString, javaDate, LOG_ROTATE_BYTES, ProjectLogs } from '../../src/designer/storage/app-log.js';
import { DesignerWorkspace } from '../../src/designer/storage/workspace.js';

const dir = mkdtempSync(join(tmpdir(), 'dialtone-applog-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const SID = 'AP0123456789abcdef0123456789abcdef';

test('Java Date.toString in UTC, Gson quoting, RVD line layout', () => {
  assert.equal(javaDate(new Date(Date.UTC(2018, 5, 19, 10, 0, 5))), 'Tue Jun 19 10:00:05 UTC 2018');
  assert.equal(javaDate(new Date(Date.UTC(2026, 0, 4, 3, 7, 9))), 'Sun Jan 04 03:07:09 UTC 2026');
  assert.equal(gsonString(`a=b&c<d>'e" \\`), `"a\\u003db\\u0026c\\u003cd\\u003e\\u0027e\\" \\\\"`);
  const d = new Date(Date.UTC(2018, 5, 19, 10, 0, 0));
  assert.equal(formatLogLine(d, [], 'Running target: start', false), '[Tue Jun 19 10:00:00 UTC 2018] "Running target: start"\n');
  assert.equal(formatLogLine(d, ['ES', 'REQUEST'], 'Requesting from url: x', false), '[Tue Jun 19 10:00:00 UTC 2018] [ES]  [REQUEST]  "Requesting from url: x"\n');
  assert.equal(formatLogLine(d, ['RCML'], '<Response/>', true), '[Tue Jun 19 10:00:00 UTC 2018] [RCML]  <Response/>\n');
});

test('rotation past 300000 bytes into rvdapp-1..3.log, the oldest dropped', () => {
  const logs = new ProjectLogs(new DesignerWorkspace(dir));
  const log = logs.writer(SID, { logging: true, loggingRCML: false });
  const folder = join(dir, 'designer', SID);
  const chunk = 'x'.repeat(10_000);
  const fill = (tag: string): void => {
    while (!existsSync(join(folder, 'rvdapp.log')) || statSync(join(folder, 'rvdapp.log')).size <= LOG_ROTATE_BYTES) log.write([tag], chunk);
  };
  fill('A');
  assert.ok(!existsSync(join(folder, 'rvdapp-1.log')), 'no rotation until a write finds the file past the limit');
  log.write(['B'], 'first of the second file');
  assert.match(readFileSync(join(folder, 'rvdapp.log'), 'utf8'), /^\[[^\]]+\] \[B\]  "first of the second file"\n$/);
  assert.match(readFileSync(join(folder, 'rvdapp-1.log'), 'utf8'), /\[A\]/);
  fill('B');
  log.write(['C'], 'c');
  fill('C');
  log.write(['D'], 'd');
  fill('D');
  log.write(['E'], 'e');
  assert.match(readFileSync(join(folder, 'rvdapp-1.log'), 'utf8'), /\[D\]/);
  assert.match(readFileSync(join(folder, 'rvdapp-2.log'), 'utf8'), /\[C\]/);
  assert.match(readFileSync(join(folder, 'rvdapp-3.log'), 'utf8'), /\[B\]/);
  assert.ok(!existsSync(join(folder, 'rvdapp-4.log')), 'three backups at most; A is gone');
  assert.ok(logs.truncate(SID));
  assert.equal(logs.read(SID), '');
  assert.ok(existsSync(join(folder, 'rvdapp-1.log')), 'truncating keeps the rotated files, as RVD');
});

test('nothing is written while logging is off', () => {
  const logs = new ProjectLogs(new DesignerWorkspace(dir));
  const other = 'APffffffffffffffffffffffffffffffff';
  logs.writer(other, { logging: false, loggingRCML: true }).write(['LOG'], 'x');
  assert.equal(logs.read(other), undefined);
  assert.equal(logs.truncate(other), false);
});
