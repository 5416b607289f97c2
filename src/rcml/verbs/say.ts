import * as attr from '../spec/attributes.js';
import { text, verbSpec } from '../spec/types.js';
import { CONTINUE, type VerbModule } from './context.js';

export interface SayVerb {
  readonly verb: 'Say';
  readonly line: number;
  readonly text: string;
  readonly voice: 'man' | 'woman';
  readonly language: string;
  readonly loop: number;
}

export const say: VerbModule<SayVerb> = {
  spec: verbSpec({
    name: 'Say',
    requires: 'call',
    description: 'Speaks text with the TTS engine.',
    attributes: {
      voice: attr.oneOf({ values: ['man', 'woman'], default: 'man', warning: 13511 }),
      language: attr.language({ default: 'en', warning: 13512 }),
      loop: attr.integer({ min: 0, default: 1, warning: 13510, description: '0 = until the call ends' }),
    },
    content: text('the text to speak'),
    children: { kind: 'none' },
    build: ({ line, attributes, content }): SayVerb => ({ verb: 'Say', line, text: content, ...attributes }),
  }),
  answersCall: true,
  async run(verb, ctx) {
    if (verb.text !== '') await ctx.call.say(verb.text, { voice: verb.voice, language: verb.language, loop: verb.loop }, ctx.signal);
    return CONTINUE;
  },
};
