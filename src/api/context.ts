import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/store.js';

/** Every API path starts here (Restcomm's web-app context plus its API version). */
export const API_PREFIX = '/restcomm/2012-04-24';

/** What every resource module needs. */
export interface ApiContext {
  readonly config: Config;
  readonly store: Store;
  readonly log: Logger;
}
