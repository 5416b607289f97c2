import { int, nonEmpty, str } from '../json.js';
import { integer, oneOf, text } from './fields.js';
import { element } from './rcml-element.js';
import type { StepKind } from './types.js';

export const say: StepKind = {
  kind: 'say',
  title: 'Say',
  description: 'Speaks a phrase.',
  projects: ['voice'],
  produces: '<Say voice language loop>phrase</Say>',
  fields: {
    phrase: text({ required: true, expands: true, description: 'what is said' }),
    voice: oneOf(['man', 'woman']),
    language: text(),
    loop: integer({ min: 0, description: '0 = until the call ends' }),
  },
  render: (step, rt) =>
    element('Say', { voice: nonEmpty(step, 'voice'), language: nonEmpty(step, 'language'), loop: int(step, 'loop') }, rt.expand(str(step, 'phrase')) ?? ''),
};
