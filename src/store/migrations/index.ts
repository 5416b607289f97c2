import type { Migration } from 'kysely';
import * as m001 from './001_initial.js';
import * as m002 from './002_refer_urls.js';
import * as m003 from './003_designer.js';

/** Every migration in order; the key is the name recorded in the database. Add new ones at the end. */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '001_initial': m001,
  '002_refer_urls': m002,
  '003_designer': m003,
};
