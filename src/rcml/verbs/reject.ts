import type { RejectVerb } from '../verbs.js';
import { CONTINUE, type VerbModule } from './context.js';

export const reject: VerbModule<RejectVerb> = {
  answersCall: false,
  async run(verb, ctx) {
    // Restcomm ignores a Reject once the call is answered.
    if (ctx.call.info().status !== 'ringing') {
      ctx.log.debug({ line: verb.line }, 'Reject on an answered call ignored');
      return CONTINUE;
    }
    await ctx.call.reject(verb.reason);
    return { next: 'end' };
  },
};
