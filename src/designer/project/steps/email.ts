import { nonEmpty, str } from '../json.js';
import { continueAfterVerb } from './continue.js';
import { METHOD, moduleRef, oneOf, text } from './fields.js';
import { element } from './rcml-element.js';
import type { StepKind } from './types.js';

export const email: StepKind = {
  kind: 'email',
  title: 'Email',
  description: 'Sends an e-mail; with `next` its outcome continues there.',
  projects: ['voice', 'sms'],
  produces: '<Email to from cc bcc subject statusCallback method action>text</Email>; action only with `next`',
  fields: {
    text: text({ required: true, expands: true }),
    to: text({ required: true, expands: true }),
    from: text({ required: true, expands: true }),
    subject: text({ required: true, expands: true }),
    cc: text({ expands: true }),
    bcc: text({ expands: true }),
    next: moduleRef({ description: 'runs with `$core_EmailSid` and `$core_EmailStatus`' }),
    method: oneOf(METHOD),
    statusCallback: text(),
  },
  render(step, rt) {
    return element('Email', {
      to: rt.expand(nonEmpty(step, 'to')),
      from: rt.expand(nonEmpty(step, 'from')),
      cc: rt.expand(nonEmpty(step, 'cc')),
      bcc: rt.expand(nonEmpty(step, 'bcc')),
      subject: rt.expand(nonEmpty(step, 'subject')),
      statusCallback: nonEmpty(step, 'statusCallback'),
      method: nonEmpty(step, 'method'),
      action: nonEmpty(step, 'next') === undefined ? undefined : rt.actionUrl(step.name, 'actionhandler'),
    }, rt.expand(str(step, 'text')) ?? '');
  },
  handleAction: (step, _action, rt) => continueAfterVerb(step, 'next', ['EmailSid', 'EmailStatus'], rt),
};
