import { badRequest } from './errors.js';

export interface SortSpec<C extends string> {
  column: C;
  direction: 'asc' | 'desc';
}

/**
 * Parses `SortBy=<Field>[:asc|:desc]` (spec §1.10). An empty field or a bad direction is a 400; an unknown
 * field is ignored and the default order (`date_created` descending) applies.
 */
export function parseSortBy<C extends string>(value: string | undefined, fields: Readonly<Record<string, C>>, fallback: SortSpec<C>): SortSpec<C> {
  if (value === undefined) return fallback;
  const [name = '', dir, ...rest] = value.split(':');
  if (name.trim() === '') throw badRequest('SortBy must name a field');
  if (rest.length > 0 || (dir !== undefined && dir !== 'asc' && dir !== 'desc')) {
    throw badRequest(`SortBy direction must be asc or desc, not "${value.slice(name.length + 1)}"`);
  }
  const column = Object.hasOwn(fields, name) ? fields[name] : undefined;
  if (column === undefined) return fallback;
  return { column, direction: dir ?? 'asc' };
}
