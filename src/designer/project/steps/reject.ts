import { nonEmpty } from '../json.js';
import { oneOf } from './fields.js';
import { element } from './rcml-element.js';
import type { StepKind } from './types.js';

export const reject: StepKind = {
  kind: 'reject',
  title: 'Reject',
  description: 'Declines a call that is still ringing.',
  projects: ['voice'],
  produces: '<Reject reason/> (reason left out when empty)',
  fields: { reason: oneOf(['busy', 'rejected', ''], { description: 'busy → 486, otherwise 603' }) },
  render: (step) => element('Reject', { reason: nonEmpty(step, 'reason') }),
};
