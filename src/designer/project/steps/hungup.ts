import { element } from './rcml-element.js';
import type { StepKind } from './types.js';

/** RVD spells the kind `hungup`; stored projects use it, so it stays. */
export const hungup: StepKind = {
  kind: 'hungup',
  title: 'Hang up',
  description: 'Hangs up.',
  projects: ['voice'],
  produces: '<Hangup/>',
  fields: {},
  render: () => element('Hangup'),
};
