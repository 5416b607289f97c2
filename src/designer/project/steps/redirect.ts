import { nonEmpty, str } from '../json.js';
import { METHOD, moduleRef, oneOf, text } from './fields.js';
import { element } from './rcml-element.js';
import type { StepKind } from './types.js';

export const redirect: StepKind = {
  kind: 'redirect',
  title: 'Redirect',
  description: 'Continues with the RCML at a URL, or with another module of the project.',
  projects: ['voice', 'sms'],
  produces: '<Redirect method>url</Redirect>, or controller?target=<next> plus the carried variables',
  fields: {
    url: text({ expands: true, description: 'an RCML URL; wins over `next`' }),
    next: moduleRef({ description: 'the module to continue with' }),
    method: oneOf(METHOD),
  },
  validate(step, scope) {
    if (nonEmpty(step, 'url') === undefined && nonEmpty(step, 'next') === undefined) {
      scope.error('next', 'Redirect step: give a URL or choose the module to continue with');
    }
  },
  render(step, rt) {
    const url = nonEmpty(step, 'url');
    const target = url === undefined ? rt.targetUrl(str(step, 'next') ?? '') : rt.expand(url);
    return element('Redirect', { method: nonEmpty(step, 'method') }, target);
  },
};
