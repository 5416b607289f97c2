import { nonEmpty, str } from '../json.js';
import { continueAfterVerb } from './continue.js';
import { METHOD, moduleRef, oneOf, text } from './fields.js';
import { element } from './rcml-element.js';
import type { StepKind } from './types.js';

export const fax: StepKind = {
  kind: 'fax',
  title: 'Fax',
  description: 'Sends a fax (rendered as RVD does; this node skips <Fax> with warning 12200).',
  projects: ['voice'],
  produces: '<Fax to from statusCallback method action>text</Fax>; action only with `next`',
  fields: {
    text: text({ required: true, expands: true }),
    to: text({ expands: true }),
    from: text({ expands: true }),
    next: moduleRef({ description: 'runs with `$core_FaxSid` and `$core_FaxStatus`' }),
    method: oneOf(METHOD),
    statusCallback: text(),
  },
  render(step, rt) {
    return element('Fax', {
      to: rt.expand(nonEmpty(step, 'to')),
      from: rt.expand(nonEmpty(step, 'from')),
      statusCallback: nonEmpty(step, 'statusCallback'),
      method: nonEmpty(step, 'method'),
      action: nonEmpty(step, 'next') === undefined ? undefined : rt.actionUrl(step.name, 'actionhandler'),
    }, rt.expand(str(step, 'text')) ?? '');
  },
  handleAction: (step, _action, rt) => continueAfterVerb(step, 'next', ['FaxSid', 'FaxStatus'], rt),
};
