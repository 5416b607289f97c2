import type { HangupVerb } from '../verbs.js';
import type { VerbModule } from './context.js';

export const hangup: VerbModule<HangupVerb> = {
  answersCall: true,
  async run(_verb, ctx) {
    await ctx.call.hangup();
    return { next: 'end' };
  },
};
