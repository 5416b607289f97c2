import type { PlayVerb } from '../verbs.js';
import { CONTINUE, type VerbModule } from './context.js';

export const play: VerbModule<PlayVerb> = {
  answersCall: true,
  async run(verb, ctx) {
    if (verb.digits !== null) await ctx.call.sendDigits(verb.digits, ctx.signal);
    if (verb.url !== '' && !ctx.signal.aborted) await ctx.call.play(ctx.resolve(verb.url), verb.loop, ctx.signal);
    return CONTINUE;
  },
};
