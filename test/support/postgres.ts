import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './net.js';

const run = promisify(execFile);
const BIN = '/usr/lib/postgresql/15/bin';

export interface PostgresCluster {
  readonly port: number;
  /** Creates an empty database and returns its `postgres://` URL. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * A throw-away PostgreSQL 15 cluster in a temporary folder, listening on a free port of 127.0.0.1 with
 * trust authentication. PostgreSQL refuses to run as root, so as root it runs as the `postgres` user.
 * Missing binaries are an error, never a skip: the suite promises to run on PostgreSQL.
 */
export async function startPostgres(): Promise<PostgresCluster> {
  if (!existsSync(join(BIN, 'initdb'))) {
    throw new Error(`PostgreSQL 15 binaries not found in ${BIN}: install the Debian package postgresql (scripts/install.sh does)`);
  }
  const dir = await mkdtemp(join(tmpdir(), 'dialtone-pg-'));
  const data = join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  const pgCmd = async (cmd: string, args: string[]): Promise<void> => {
    const file = asRoot ? 'runuser' : join(BIN, cmd);
    const argv = asRoot ? ['-u', 'postgres', '--', join(BIN, cmd), ...args] : args;
    await run(file, argv, { timeout: 60_000 });
  };
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    await chown(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const port = await freePort();
  try {
    await pgCmd('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
    const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
    await pgCmd('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', '-t', '30', 'start']);
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    port,
    async createDatabase(name) {
      const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${name}"`);
      } finally {
        await client.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    async stop() {
      try {
        await pgCmd('pg_ctl', ['-D', data, '-m', 'immediate', '-w', '-t', '30', 'stop']);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
