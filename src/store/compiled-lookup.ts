import type { CompiledQuery, Kysely } from 'kysely';

/**
 * A single-row query built and compiled by Kysely once, then run with new parameter values: on a hot path
 * (every authenticated API request) building, compiling and freezing the query tree per call cost about as
 * much as SQLite's own work. The compiled SQL is the dialect's own (`?` on SQLite, `$1` on PostgreSQL), so
 * one code path serves both databases. `parameters` must follow the order of the placeholders in `query`.
 */
export function compiledLookup<DB, Row>(db: Kysely<DB>, query: CompiledQuery<Row>): (parameters: readonly unknown[]) => Promise<Row | undefined> {
  return async (parameters) => {
    const result = await db.executeQuery<Row>({ query: query.query, queryId: query.queryId, sql: query.sql, parameters });
    return result.rows[0];
  };
}
