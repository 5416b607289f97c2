import { nonEmpty, str } from '../json.js';
import { continueAfterVerb } from './continue.js';
import { METHOD, moduleRef, oneOf, text } from './fields.js';
import { element } from './rcml-element.js';
import type { StepKind } from './types.js';

export const sms: StepKind = {
  kind: 'sms',
  title: 'SMS',
  description: 'Sends an SMS; with `next` its outcome continues there.',
  projects: ['voice', 'sms'],
  produces: '<Sms to from statusCallback method action>text</Sms>; empty to/from are left out, action only with `next`',
  fields: {
    text: text({ required: true, expands: true }),
    to: text({ required: true, expands: true, description: 'empty: the sender of the message or the caller' }),
    from: text({ required: true, expands: true, description: 'empty: the number the message or call came to' }),
    next: moduleRef({ description: 'runs with `$core_SmsSid` and `$core_SmsStatus`' }),
    method: oneOf(METHOD),
    statusCallback: text(),
  },
  render(step, rt) {
    return element('Sms', {
      to: rt.expand(nonEmpty(step, 'to')) || undefined,
      from: rt.expand(nonEmpty(step, 'from')) || undefined,
      statusCallback: nonEmpty(step, 'statusCallback'),
      method: nonEmpty(step, 'method'),
      action: nonEmpty(step, 'next') === undefined ? undefined : rt.actionUrl(step.name, 'actionhandler'),
    }, rt.expand(str(step, 'text')) ?? '');
  },
  handleAction: (step, _action, rt) => continueAfterVerb(step, 'next', ['SmsSid', 'SmsStatus'], rt),
};
