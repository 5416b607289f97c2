import { int, isRecord, nonEmpty, rec, records, str, VARIABLE_NAME, type JsonRecord } from '../json.js';
import type { Step } from '../state.js';
import { FAILURE, StepFailure } from './failure.js';
import { METHOD, integer, list, object, oneOf, text } from './fields.js';
import { element } from './rcml-element.js';
import { compiles, fullMatch } from './regex.js';
import type { ActionOutcome, StepKind, StepRuntime, ValidationScope, VariableScope } from './types.js';

/** Prompts after invalid input before the fallback (RVD re-prompts for ever, Restcomm-Connect #1546). */
export const MAX_GATHER_ATTEMPTS = 3;

/** The request parameter that numbers a re-prompt (absent on the first prompt). */
export const ATTEMPT_PARAM = 'gatherAttempt';

type Channel = 'dtmf' | 'speech';

/** `dtmf` (also for an absent or unknown value), `speech`, or both for `dtmf speech`. */
function channels(step: JsonRecord): readonly Channel[] {
  const input = str(step, 'inputType')?.toLowerCase();
  if (input === 'speech') return ['speech'];
  if (input === 'dtmf speech') return ['dtmf', 'speech'];
  return ['dtmf'];
}

function validateCollect(step: JsonRecord, field: 'collectdigits' | 'collectspeech', scope: ValidationScope): void {
  const collect = rec(step, field);
  if (collect === undefined) {
    scope.error(field, `Gather step: choose the variable that receives the ${field === 'collectdigits' ? 'digits' : 'speech'} and the module that follows`);
    return;
  }
  const variable = str(collect, 'collectVariable');
  if (variable === undefined || !VARIABLE_NAME.test(variable)) {
    scope.error(`${field}/collectVariable`, 'Gather step: the variable name must start with a letter and hold only letters, digits and _');
  }
  scope.module(`${field}/next`, collect.next, true);
  const s = collect.scope;
  if (s !== undefined && s !== null && s !== 'module' && s !== 'application') scope.error(`${field}/scope`, 'Gather step: the scope must be module or application');
}

function validatePattern(step: JsonRecord, field: 'validation' | 'speechValidation', scope: ValidationScope): void {
  const v = step[field];
  if (v === undefined || v === null) return;
  if (!isRecord(v)) {
    scope.error(field, `Gather step: ${field} must be an object`);
    return;
  }
  const regex = str(v, 'regexPattern');
  // A pattern with variables is only known at run time.
  if (regex !== undefined && !/\$[A-Za-z]/.test(regex) && !compiles(regex)) scope.error(`${field}/regexPattern`, `Gather step: the pattern ${regex} is not a valid regular expression`);
}

function validateMenu(step: JsonRecord, scope: ValidationScope): void {
  const menu = rec(step, 'menu');
  const on = channels(step);
  const mappings = Array.isArray(menu?.mappings) ? (menu.mappings as readonly unknown[]) : [];
  const speech = Array.isArray(menu?.speechMappings) ? (menu.speechMappings as readonly unknown[]) : [];
  if (on.length === 1 && on[0] === 'dtmf' && mappings.length === 0) scope.error('menu/mappings', 'Gather menu has no key mappings: map at least one key to a module');
  if (on.length === 1 && on[0] === 'speech' && speech.length === 0) scope.error('menu/speechMappings', 'Gather menu has no speech mappings: map at least one phrase to a module');
  if (on.length === 2 && mappings.length === 0 && speech.length === 0) scope.error('menu', 'Gather menu has neither key nor speech mappings');
  const finishOnKey = nonEmpty(step, 'finishOnKey');
  const seen = new Set<string>();
  mappings.forEach((m, i) => {
    const at = `menu/mappings/${i}`;
    const digits = isRecord(m) ? str(m, 'digits') : undefined;
    if (digits === undefined || !/^[0-9*#]+$/.test(digits)) scope.error(`${at}/digits`, 'Gather menu: a key mapping needs keys of 0-9, * and #');
    else if (seen.has(digits)) scope.error(`${at}/digits`, `Gather menu: the keys ${digits} are mapped twice`);
    else if (finishOnKey !== undefined && digits.includes(finishOnKey)) scope.error(`${at}/digits`, `Gather menu: ${finishOnKey} ends the input (finishOnKey) and cannot be chosen`);
    if (digits !== undefined) seen.add(digits);
    scope.module(`${at}/next`, isRecord(m) ? m.next : undefined, true);
  });
  speech.forEach((m, i) => {
    const at = `menu/speechMappings/${i}`;
    const key = isRecord(m) ? str(m, 'key') : undefined;
    if (key === undefined || key === '' || !compiles(key)) scope.error(`${at}/key`, 'Gather menu: a speech mapping needs a valid regular expression');
    scope.module(`${at}/next`, isRecord(m) ? m.next : undefined, true);
  });
}

/** The effective validation pattern: `userPattern` is a set of allowed characters, `regexPattern` a whole expression. */
function pattern(validation: JsonRecord | undefined, rt: StepRuntime): string | null {
  const user = str(validation, 'userPattern');
  if (user !== undefined) return `^[${rt.expand(user) ?? ''}]+$`;
  const regex = str(validation, 'regexPattern');
  return regex === undefined ? null : rt.expand(regex) ?? null;
}

function store(rt: StepRuntime, collect: JsonRecord, value: string): void {
  const name = str(collect, 'collectVariable') ?? '';
  const scope: VariableScope | null = str(collect, 'scope') === 'application' ? 'application' : str(collect, 'scope') === 'module' ? 'module' : null;
  if (scope !== null) rt.setVariable(name, value, scope);
  // As RVD: the bare name too, readable by the module that follows in this request.
  rt.setVariable(name, value, 'request');
}

function handleMenu(step: Step, channel: Channel, input: string): ActionOutcome | null {
  const menu = rec(step, 'menu');
  if (channel === 'dtmf') {
    const hit = records(menu, 'mappings').find((m) => str(m, 'digits') === input);
    return hit ? { kind: 'render', target: str(hit, 'next') ?? '' } : null;
  }
  const hit = records(menu, 'speechMappings').find((m) => {
    const key = str(m, 'key');
    if (key === undefined) return false;
    const matched = fullMatch(key, input);
    if (matched === null) throw new StepFailure(FAILURE.badStep, `Gather step ${step.name}: the speech mapping ${key} is not a valid regular expression`);
    return matched;
  });
  return hit ? { kind: 'render', target: str(hit, 'next') ?? '' } : null;
}

function handleCollect(step: Step, channel: Channel, input: string, rt: StepRuntime): ActionOutcome | null {
  const collect = rec(step, channel === 'dtmf' ? 'collectdigits' : 'collectspeech');
  if (collect === undefined) throw new StepFailure(FAILURE.badStep, `Gather step ${step.name} has no ${channel === 'dtmf' ? 'collectdigits' : 'collectspeech'}`);
  const p = pattern(rec(step, channel === 'dtmf' ? 'validation' : 'speechValidation'), rt);
  if (p !== null) {
    const matched = input === '' ? false : fullMatch(p, input);
    if (matched === null) throw new StepFailure(FAILURE.badStep, `Gather step ${step.name}: the validation pattern ${p} is not a valid regular expression`);
    if (!matched) return null;
  }
  store(rt, collect, input);
  return { kind: 'render', target: str(collect, 'next') ?? '' };
}

export const gather: StepKind = {
  kind: 'gather',
  title: 'Gather',
  description: 'Plays prompts and collects keys or speech: a menu (keys → modules) or a collect into a variable, with validation.',
  projects: ['voice'],
  produces:
    '<Gather action method timeout finishOnKey numDigits input language hints [partialResultCallback partialResultCallbackMethod]> around its Say/Play prompts; ' +
    'the invalid-input message is said before it on a re-prompt',
  fields: {
    method: oneOf(METHOD, { required: true }),
    gatherType: oneOf(['menu', 'collectdigits'], { required: true }),
    steps: list({ required: true, description: 'the prompts: say and play steps' }),
    inputType: oneOf(['dtmf', 'speech', 'dtmf speech']),
    timeout: integer({ min: 1, description: 'seconds of silence that end input' }),
    finishOnKey: text({ pattern: /^$|^[0-9*#]$/, patternText: 'empty or one of 0-9, * and #' }),
    numDigits: integer({ min: 1 }),
    hints: text(),
    language: text(),
    menu: object({ description: '`{mappings: [{digits, next}], speechMappings: [{key (regex), next}]}`' }),
    collectdigits: object({ description: '`{collectVariable, next, scope: module|application}`' }),
    collectspeech: object({ description: 'as collectdigits, for speech' }),
    validation: object({ expands: true, description: '`{userPattern}` (allowed characters) or `{regexPattern}`' }),
    speechValidation: object({ expands: true }),
    invalidMessage: object({ description: 'a say step said before the re-prompt' }),
    speechInvalidMessage: object({ description: 'the same for speech input' }),
  },
  validate(step, scope) {
    if (Array.isArray(step.steps)) step.steps.forEach((s, i) => scope.nested(`steps/${i}`, s, ['say', 'play']));
    for (const field of ['invalidMessage', 'speechInvalidMessage']) {
      if (step[field] !== undefined && step[field] !== null) scope.nested(field, step[field], ['say']);
    }
    validatePattern(step, 'validation', scope);
    validatePattern(step, 'speechValidation', scope);
    const type = str(step, 'gatherType');
    if (type === 'menu') validateMenu(step, scope);
    if (type === 'collectdigits') {
      const on = channels(step);
      if (on.includes('dtmf')) validateCollect(step, 'collectdigits', scope);
      if (on.includes('speech')) validateCollect(step, 'collectspeech', scope);
    }
  },
  render(step, rt) {
    const attempt = rt.gatherAttempt(step.name);
    const action = rt.actionUrl(step.name, 'handle', attempt > 1 ? { [ATTEMPT_PARAM]: String(attempt) } : undefined);
    const method = nonEmpty(step, 'method');
    const speech = channels(step).includes('speech');
    // `#` is Restcomm's default finishOnKey: a menu that maps it turns the finish key off, so # can be chosen.
    const mapsPound = str(step, 'gatherType') === 'menu' && records(rec(step, 'menu'), 'mappings').some((m) => str(m, 'digits')?.includes('#'));
    const prompts = Array.isArray(step.steps) ? step.steps.map((s) => rt.render(s)).filter((e) => e !== null) : [];
    return element('Gather', {
      action,
      method,
      timeout: int(step, 'timeout'),
      finishOnKey: nonEmpty(step, 'finishOnKey') ?? (mapsPound ? '' : undefined),
      numDigits: int(step, 'numDigits'),
      input: nonEmpty(step, 'inputType'),
      language: nonEmpty(step, 'language'),
      hints: nonEmpty(step, 'hints'),
      partialResultCallback: speech ? action : undefined,
      partialResultCallbackMethod: speech ? (method ?? 'POST') : undefined,
    }, prompts);
  },
  handleAction(step, _action, rt) {
    const digits = rt.param('Digits');
    const speech = rt.param('SpeechResult');
    const unstable = rt.param('UnstableSpeechResult');
    if (digits !== undefined) rt.setVariable('core_Digits', digits, 'request');
    if (speech !== undefined) rt.setVariable('core_SpeechResult', speech, 'request');
    if (unstable !== undefined) rt.setVariable('core_UnstableSpeechResult', unstable, 'request');
    // A partial result: the caller is still speaking.
    if (unstable !== undefined && unstable !== '') return { kind: 'empty' };

    const on = channels(step);
    const channel: Channel | null = on.length === 1 ? on[0]! : digits ? 'dtmf' : speech ? 'speech' : null;
    const input = channel === 'speech' ? (speech ?? '') : (digits ?? '');
    const outcome = channel === null ? null : str(step, 'gatherType') === 'menu' ? handleMenu(step, channel, input) : handleCollect(step, channel, input, rt);
    if (outcome !== null) return outcome;

    const attempt = Number.parseInt(rt.param(ATTEMPT_PARAM) ?? '1', 10) || 1;
    if (attempt >= MAX_GATHER_ATTEMPTS) {
      throw new StepFailure(FAILURE.gatherAttempts, `Gather step ${step.name}: no valid input after ${attempt} prompts`);
    }
    const message = channel === 'speech' ? step.speechInvalidMessage : step.invalidMessage;
    return { kind: 'render', target: `${rt.module}.${step.name}`, prepend: message ?? undefined, attempt: attempt + 1 };
  },
};
