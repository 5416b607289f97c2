import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';

/**
 * Case-insensitive substring match that behaves the same on SQLite (whose LIKE ignores ASCII case) and
 * PostgreSQL (whose LIKE does not); `%` and `_` in the user's text match only themselves.
 */
export function containsText(column: Expression<unknown> | string, needle: string): RawBuilder<SqlBool> {
  const escaped = needle.toLowerCase().replace(/[\\%_]/g, (c) => '\\' + c);
  const ref = typeof column === 'string' ? sql.ref(column) : column;
  return sql<SqlBool>`lower(${ref}) like ${'%' + escaped + '%'} escape '\\'`;
}
