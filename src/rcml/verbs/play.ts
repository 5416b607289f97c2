import * as attr from '../spec/attributes.js';
import { text, verbSpec } from '../spec/types.js';
import { CONTINUE, type VerbModule } from './context.js';

export interface PlayVerb {
  readonly verb: 'Play';
  readonly line: number;
  /** Empty when the verb only sends `digits`. */
  readonly url: string;
  /** 0 = until the call ends. */
  readonly loop: number;
  /** DTMF to send (`0-9*#`, `w` = half-second wait), played before the URL if both are given. */
  readonly digits: string | null;
}

export const play: VerbModule<PlayVerb> = {
  spec: verbSpec({
    name: 'Play',
    requires: 'call',
    description: 'Plays an audio file and/or sends DTMF.',
    attributes: {
      digits: attr.digits({ description: 'DTMF sent before the audio (`w` = 0.5 s wait)' }),
      loop: attr.integer({ min: 0, default: 1, warning: 13410, description: '0 = until the call ends' }),
    },
    content: text('the audio URL; may be empty when `digits` is given'),
    children: { kind: 'none' },
    build: ({ line, attributes, content }): PlayVerb => ({ verb: 'Play', line, url: content, ...attributes }),
  }),
  answersCall: true,
  async run(verb, ctx) {
    if (verb.digits !== null) await ctx.call.sendDigits(verb.digits, ctx.signal);
    if (verb.url !== '' && !ctx.signal.aborted) await ctx.call.play(ctx.resolve(verb.url), verb.loop, ctx.signal);
    return CONTINUE;
  },
};
