import type { SayVerb } from '../verbs.js';
import { CONTINUE, type VerbModule } from './context.js';

export const say: VerbModule<SayVerb> = {
  answersCall: true,
  async run(verb, ctx) {
    if (verb.text !== '') await ctx.call.say(verb.text, { voice: verb.voice, language: verb.language, loop: verb.loop }, ctx.signal);
    return CONTINUE;
  },
};
