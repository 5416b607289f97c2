import * as attr from '../spec/attributes.js';
import { text, verbSpec } from '../spec/types.js';
import type { HttpMethod } from '../verbs.js';
import { CONTINUE, type VerbModule } from './context.js';

export interface RedirectVerb {
  readonly verb: 'Redirect';
  readonly line: number;
  readonly url: string;
  readonly method: HttpMethod;
}

export const redirect: VerbModule<RedirectVerb> = {
  spec: verbSpec({
    name: 'Redirect',
    requires: 'none',
    description: 'Replaces the rest of the document with the RCML at a URL.',
    attributes: { method: attr.method({ warning: 13710 }) },
    content: text('the URL; empty → the next verb runs'),
    children: { kind: 'none' },
    build: ({ line, attributes, content }): RedirectVerb => ({ verb: 'Redirect', line, url: content, ...attributes }),
  }),
  answersCall: true,
  async run(verb, ctx) {
    if (verb.url === '') return CONTINUE;
    return { next: 'fetch', url: ctx.resolve(verb.url), method: verb.method, parameters: {}, reportIfHungUp: false };
  },
};
