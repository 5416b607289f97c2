import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

const STATEMENT_CACHE_LIMIT = 500;

/**
 * Kysely's SQLite driver prepares every query anew, which costs more than running it. The SQL text of a
 * query is the same from call to call (values are bound parameters), so prepared statements are reused;
 * the driver is synchronous, so one statement is never used by two queries at once.
 */
function withStatementCache(sqlite: BetterSqlite3.Database): BetterSqlite3.Database {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return new Proxy(sqlite, {
    get(target, prop, receiver) {
      if (prop !== 'prepare') {
        const value = Reflect.get(target, prop, receiver) as unknown;
        // Native methods must run with the real database object as `this`.
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      }
      return (source: string): BetterSqlite3.Statement => {
        let stmt = cache.get(source);
        if (stmt === undefined) {
          stmt = target.prepare(source);
          if (cache.size >= STATEMENT_CACHE_LIMIT) cache.clear();
          cache.set(source, stmt);
        }
        return stmt;
      };
    },
  });
}

export type DatabaseKind = 'sqlite' | 'postgres';

/** Opens Kysely on `sqlite:PATH` (creating the folder) or on a `postgres://` URL. */
export function connect(url: string): { db: Kysely<Database>; kind: DatabaseKind } {
  if (url.startsWith('sqlite:')) {
    const path = resolve(url.slice('sqlite:'.length));
    mkdirSync(dirname(path), { recursive: true });
    const sqlite = new BetterSqlite3(path);
    // WAL lets readers proceed while a write commits; the busy timeout covers a second process on the file.
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('busy_timeout = 5000');
    return { db: new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) }), kind: 'sqlite' };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), kind: 'postgres' };
  }
  throw new Error(`database URL "${url}" must start with sqlite: or postgres://`);
}
