import type { RedirectVerb } from '../verbs.js';
import { CONTINUE, type VerbModule } from './context.js';

export const redirect: VerbModule<RedirectVerb> = {
  answersCall: true,
  async run(verb, ctx) {
    if (verb.url === '') return CONTINUE;
    return { next: 'fetch', url: ctx.resolve(verb.url), method: verb.method, parameters: {}, reportIfHungUp: false };
  },
};
