import { verbSpec } from '../spec/types.js';
import type { VerbModule } from './context.js';

export interface HangupVerb {
  readonly verb: 'Hangup';
  readonly line: number;
}

export const hangup: VerbModule<HangupVerb> = {
  spec: verbSpec({
    name: 'Hangup',
    requires: 'call',
    description: 'Ends the call.',
    attributes: {},
    children: { kind: 'none' },
    build: ({ line }): HangupVerb => ({ verb: 'Hangup', line }),
  }),
  answersCall: true,
  async run(_verb, ctx) {
    await ctx.call.hangup();
    return { next: 'end' };
  },
};
