import { isRecord, rec, records, str, VARIABLE_NAME } from '../json.js';
import { list, object, oneOf, text } from './fields.js';
import { element } from './rcml-element.js';
import type { StepKind } from './types.js';

export const ussdSay: StepKind = {
  kind: 'ussdSay',
  title: 'USSD Message',
  description: 'Shows a USSD message.',
  projects: ['ussd'],
  produces: '<UssdMessage>text</UssdMessage>',
  fields: { text: text({ required: true, expands: true }) },
  render: (step, rt) => element('UssdMessage', {}, rt.expand(str(step, 'text')) ?? ''),
};

export const ussdLanguage: StepKind = {
  kind: 'ussdLanguage',
  title: 'USSD Language',
  description: 'Sets the language of the USSD session.',
  projects: ['ussd'],
  produces: '<Language>language</Language>',
  fields: { language: text({ required: true }) },
  render: (step) => element('Language', {}, str(step, 'language') ?? ''),
};

export const ussdCollect: StepKind = {
  kind: 'ussdCollect',
  title: 'USSD Collect',
  description: 'Shows USSD messages and collects the answer: a menu (keys → modules) or a collect into a variable.',
  projects: ['ussd'],
  produces: '<UssdCollect action><UssdMessage>...</UssdMessage>...</UssdCollect>',
  fields: {
    gatherType: oneOf(['menu', 'collectdigits'], { required: true }),
    messages: list({ expands: true, description: 'ussdSay steps' }),
    menu: object({ description: '`{mappings: [{digits, next}]}`' }),
    collectdigits: object({ description: '`{collectVariable, next, scope: module|application}`' }),
  },
  validate(step, scope) {
    if (Array.isArray(step.messages)) step.messages.forEach((m, i) => scope.nested(`messages/${i}`, m, ['ussdSay']));
    if (str(step, 'gatherType') === 'menu') {
      const mappings = Array.isArray(rec(step, 'menu')?.mappings) ? (rec(step, 'menu')?.mappings as readonly unknown[]) : [];
      if (mappings.length === 0) scope.error('menu/mappings', 'USSD Collect menu has no mappings: map at least one answer to a module');
      mappings.forEach((m, i) => {
        if (!isRecord(m) || typeof m.digits !== 'string' || m.digits === '') scope.error(`menu/mappings/${i}/digits`, 'USSD Collect menu: a mapping needs the answer to match');
        scope.module(`menu/mappings/${i}/next`, isRecord(m) ? m.next : undefined, true);
      });
    }
    if (str(step, 'gatherType') === 'collectdigits') {
      const collect = rec(step, 'collectdigits');
      const variable = str(collect, 'collectVariable');
      if (variable === undefined || !VARIABLE_NAME.test(variable)) scope.error('collectdigits/collectVariable', 'USSD Collect: the variable name must start with a letter and hold only letters, digits and _');
      scope.module('collectdigits/next', collect?.next, true);
    }
  },
  render(step, rt) {
    const messages = records(step, 'messages').map((m) => element('UssdMessage', {}, rt.expand(str(m, 'text')) ?? ''));
    return element('UssdCollect', { action: rt.actionUrl(step.name, 'handle') }, messages);
  },
  handleAction(step, _action, rt) {
    const digits = rt.param('Digits') ?? '';
    if (str(step, 'gatherType') === 'menu') {
      const hit = records(rec(step, 'menu'), 'mappings').find((m) => str(m, 'digits') === digits);
      return { kind: 'render', target: hit ? (str(hit, 'next') ?? '') : `${rt.module}.${step.name}` };
    }
    const collect = rec(step, 'collectdigits');
    const name = str(collect, 'collectVariable') ?? '';
    rt.setVariable(name, digits, 'request');
    if (str(collect, 'scope') === 'application') rt.setVariable(name, digits, 'application');
    return { kind: 'render', target: str(collect, 'next') ?? '' };
  },
};
