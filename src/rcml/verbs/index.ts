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

/** Each key must be its module's verb name; the parser, the schema and the docs all read this table. */
function registry<M extends { readonly [K in keyof M]: { readonly spec: { readonly name: K } } }>(modules: M): M {
  return modules;
}

/** Every executable verb, by element name. */
export const VERB_MODULES = registry({
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
});

type Modules = (typeof VERB_MODULES)[keyof typeof VERB_MODULES];

/** The typed verbs the parser produces, one per registered module. */
export type Verb = Modules extends VerbModule<infer V> ? V : never;

export type VerbName = Verb['verb'];

export function verbModule<V extends Verb>(verb: V): VerbModule<V> {
  return VERB_MODULES[verb.verb] as unknown as VerbModule<V>;
}

export type { VerbContext, VerbResult } from './context.js';
export { VerbFailure } from './context.js';
