import * as attr from '../spec/attributes.js';
import { verbSpec } from '../spec/types.js';
import { CONTINUE, type VerbModule } from './context.js';

export interface PauseVerb {
  readonly verb: 'Pause';
  readonly line: number;
  readonly length: number;
}

export const pause: VerbModule<PauseVerb> = {
  spec: verbSpec({
    name: 'Pause',
    requires: 'call',
    description: 'Waits in silence; a ringing call stays unanswered.',
    attributes: { length: attr.integer({ min: 0, default: 1, warning: 13910, description: 'seconds' }) },
    children: { kind: 'none' },
    build: ({ line, attributes }): PauseVerb => ({ verb: 'Pause', line, ...attributes }),
  }),
  answersCall: false,
  async run(verb, ctx) {
    if (verb.length > 0) await ctx.call.pause(verb.length, ctx.signal);
    return CONTINUE;
  },
};
