import type { Verb, VerbName } from '../verbs.js';
import type { VerbModule } from './context.js';
import { dial } from './dial.js';
import { gather } from './gather.js';
import { hangup } from './hangup.js';
import { pause } from './pause.js';
import { play } from './play.js';
import { record } from './record.js';
import { redirect } from './redirect.js';
import { refer } from './refer.js';
import { reject } from './reject.js';
import { say } from './say.js';

/** Every executable verb, by name; the mapped type makes a missing verb a compile error. */
export const VERB_MODULES: { readonly [K in VerbName]: VerbModule<Extract<Verb, { verb: K }>> } = {
  Dial: dial,
  Gather: gather,
  Hangup: hangup,
  Pause: pause,
  Play: play,
  Record: record,
  Redirect: redirect,
  Refer: refer,
  Reject: reject,
  Say: say,
};

export function verbModule<V extends Verb>(verb: V): VerbModule<V> {
  return VERB_MODULES[verb.verb] as unknown as VerbModule<V>;
}

export type { VerbContext, VerbResult } from './context.js';
export { VerbFailure } from './context.js';
