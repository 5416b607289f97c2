import * as attr from '../spec/attributes.js';
import { verbSpec } from '../spec/types.js';
import { CONTINUE, type VerbModule } from './context.js';

export interface RejectVerb {
  readonly verb: 'Reject';
  readonly line: number;
  readonly reason: 'busy' | 'rejected';
}

export const reject: VerbModule<RejectVerb> = {
  spec: verbSpec({
    name: 'Reject',
    requires: 'call',
    description: 'Declines a ringing call without answering it; ignored once the call is answered.',
    attributes: {
      // Restcomm: "busy" → 486, anything else → 603; so no warning for other values.
      reason: attr.oneOf({ values: ['busy', 'rejected'], default: 'rejected', warning: null, description: '`busy` → 486, anything else → 603' }),
    },
    children: { kind: 'none' },
    build: ({ line, attributes }): RejectVerb => ({ verb: 'Reject', line, ...attributes }),
  }),
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
