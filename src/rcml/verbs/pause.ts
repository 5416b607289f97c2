import type { PauseVerb } from '../verbs.js';
import { CONTINUE, type VerbModule } from './context.js';

export const pause: VerbModule<PauseVerb> = {
  answersCall: false,
  async run(verb, ctx) {
    if (verb.length > 0) await ctx.call.pause(verb.length, ctx.signal);
    return CONTINUE;
  },
};
