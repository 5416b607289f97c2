import type { Migration } from 'kysely';
import * as m001 from './001_initial.js';

/** Every migration in order; the key is the name recorded in the database. Add new ones at the end. */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '001_initial': m001,
};
