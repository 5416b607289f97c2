import { str } from '../json.js';
import { text } from './fields.js';
import type { StepKind } from './types.js';

export const log: StepKind = {
  kind: 'log',
  title: 'Log',
  description: 'Writes a line tagged LOG to the application log (when the project\'s logging is on).',
  projects: ['voice', 'sms', 'ussd'],
  produces: 'no RCML',
  fields: { message: text({ expands: true }) },
  async process(step, rt) {
    rt.log(['LOG'], rt.expand(str(step, 'message')) ?? '');
    return null;
  },
};
