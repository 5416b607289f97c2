import { int } from '../json.js';
import { integer } from './fields.js';
import { element } from './rcml-element.js';
import type { StepKind } from './types.js';

export const pause: StepKind = {
  kind: 'pause',
  title: 'Pause',
  description: 'Waits in silence.',
  projects: ['voice'],
  produces: '<Pause length/>',
  fields: { length: integer({ min: 0, description: 'seconds' }) },
  render: (step) => element('Pause', { length: int(step, 'length') }),
};
