import { isRecord, nonEmpty, rec, records, str, VARIABLE_NAME, type JsonRecord } from '../json.js';
import type { Step } from '../state.js';
import { FAILURE, StepFailure } from './failure.js';
import { list, text } from './fields.js';
import { compiles, fullMatch, fullMatchGroups, groupCount } from './regex.js';
import type { StepKind, StepRuntime, ValidationScope, VariableScope } from './types.js';

const OPERATORS = ['equals', 'notequal', 'greater', 'greaterEqual', 'less', 'lessEqual', 'matches'] as const;

/** Java's `Float.parseFloat`: optional sign, digits with an optional point, an exponent, an f/d suffix, surrounding blanks. */
const JAVA_FLOAT = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[fFdD]?\s*$/;

function number(text: string, step: Step): number {
  if (!JAVA_FLOAT.test(text)) {
    throw new StepFailure(FAILURE.controlNotNumeric, `Control step ${step.name}: cannot compare "${text}" as a number`);
  }
  return Math.fround(Number.parseFloat(text.trim()));
}

function compare(operator: string, a: string | number, b: string | number): boolean {
  switch (operator) {
    case 'equals': return a === b;
    case 'notequal': return a !== b;
    case 'greater': return a > b;
    case 'greaterEqual': return a >= b;
    case 'less': return a < b;
    // RVD computes text lessEqual as >= ([bug]); this is <=.
    case 'lessEqual': return a <= b;
    default: return false;
  }
}

function evaluate(condition: JsonRecord, step: Step, rt: StepRuntime): boolean {
  const operator = str(condition, 'operator') ?? '';
  if (operator === 'matches') {
    const matcher = rec(condition, 'matcher');
    const regex = str(matcher, 'regex') ?? '';
    const matched = fullMatch(regex, rt.expand(str(matcher, 'text')) ?? '');
    if (matched === null) throw new StepFailure(FAILURE.controlExpression, `Control step ${step.name}: ${regex} is not a valid regular expression`);
    return matched;
  }
  const comparison = rec(condition, 'comparison');
  const a = rt.expand(str(comparison, 'operand1')) ?? '';
  const b = rt.expand(str(comparison, 'operand2')) ?? '';
  if (str(comparison, 'type') === 'numeric') return compare(operator, number(a, step), number(b, step));
  return compare(operator, a, b);
}

/**
 * `C1 AND C2 OR C3` left to right without precedence, as RVD; `AND` skips its right side when the left is
 * false and `OR` when it is true (Java's && and ||). No expression is true.
 */
function conditionsHold(step: Step, rt: StepRuntime): boolean {
  const expression = str(step, 'conditionExpression');
  if (expression === undefined) return true;
  const byName = new Map(records(step, 'conditions').map((c) => [str(c, 'name') ?? '', c]));
  let result = true;
  let operation: string | null = null;
  for (const token of expression.split(' ')) {
    if (token === 'AND' || token === 'OR') {
      operation = token;
      continue;
    }
    if (!token.startsWith('C')) continue;
    const condition = byName.get(token);
    if (condition === undefined) throw new StepFailure(FAILURE.controlExpression, `Control step ${step.name}: the expression names ${token}, which is not defined`);
    if (operation === null) result = evaluate(condition, step, rt);
    else if (operation === 'AND') result = result && evaluate(condition, step, rt);
    else result = result || evaluate(condition, step, rt);
  }
  return result;
}

function scopeOf(action: JsonRecord): VariableScope {
  return str(action, 'varScope') === 'app' ? 'application' : 'module';
}

function validateExpression(step: JsonRecord, scope: ValidationScope): void {
  const expression = step.conditionExpression;
  if (expression === undefined || expression === null) return;
  if (typeof expression !== 'string') {
    scope.error('conditionExpression', 'Control step: the condition expression must be text such as C1 AND C2');
    return;
  }
  const names = new Set(records(step, 'conditions').map((c) => str(c, 'name')));
  const tokens = expression.split(' ').filter((t) => t !== '');
  tokens.forEach((token, i) => {
    const wantCondition = i % 2 === 0;
    if (wantCondition && !names.has(token)) scope.error('conditionExpression', `Control step: ${token} is not one of the step's conditions`);
    if (!wantCondition && token !== 'AND' && token !== 'OR') scope.error('conditionExpression', `Control step: expected AND or OR, found ${token}`);
  });
  if (tokens.length % 2 === 0 && tokens.length > 0) scope.error('conditionExpression', 'Control step: the condition expression ends with an operator');
}

function validateCondition(c: unknown, at: string, scope: ValidationScope): void {
  if (!isRecord(c)) {
    scope.error(at, 'Control step: each condition must be an object');
    return;
  }
  const name = str(c, 'name');
  if (name === undefined || !/^C\w*$/.test(name)) scope.error(`${at}/name`, 'Control step: a condition name starts with C (C1, C2, ...)');
  const operator = str(c, 'operator');
  if (operator === undefined || !(OPERATORS as readonly string[]).includes(operator)) {
    scope.error(`${at}/operator`, `Control step: the operator must be one of ${OPERATORS.join(', ')}`);
    return;
  }
  if (operator === 'matches') {
    const matcher = rec(c, 'matcher');
    const regex = str(matcher, 'regex');
    if (matcher === undefined || regex === undefined || !compiles(regex)) scope.error(`${at}/matcher/regex`, 'Control step: matches needs a valid regular expression');
    return;
  }
  const comparison = rec(c, 'comparison');
  if (comparison === undefined) {
    scope.error(`${at}/comparison`, 'Control step: condition incomplete, give the two operands');
    return;
  }
  const type = comparison.type;
  if (type !== undefined && type !== null && type !== 'text' && type !== 'numeric') scope.error(`${at}/comparison/type`, 'Control step: compare as text or numeric');
}

function validateAction(a: unknown, at: string, scope: ValidationScope): void {
  if (!isRecord(a)) {
    scope.error(at, 'Control step: each action must be an object');
    return;
  }
  const continueTo = rec(a, 'continueTo');
  const assign = rec(a, 'assign');
  const capture = rec(a, 'capture');
  if (continueTo !== undefined) {
    scope.module(`${at}/continueTo/target`, continueTo.target, true);
    if (continueTo.target === scope.moduleName) scope.error(`${at}/continueTo/target`, 'Control step: continuing with its own module would loop');
  } else if (assign !== undefined) {
    const name = str(assign, 'varName');
    if (name === undefined || !VARIABLE_NAME.test(name)) scope.error(`${at}/assign/varName`, 'Control step: the assignment needs a variable name (a letter, then letters, digits and _)');
  } else if (capture !== undefined) {
    const name = str(capture, 'varName');
    if (name === undefined || !VARIABLE_NAME.test(name)) scope.error(`${at}/capture/varName`, 'Control step: the capture needs a variable name (a letter, then letters, digits and _)');
    const regex = str(capture, 'regex');
    if (regex === undefined || (groupCount(regex) ?? 0) < 1) {
      scope.error(`${at}/capture/regex`, 'Control step: the capture needs a valid regular expression with a group (...)');
    }
  } else {
    scope.error(at, 'Control step: an action is one of assign, capture and continueTo');
  }
}

export const control: StepKind = {
  kind: 'control',
  title: 'Control',
  description: 'Tests conditions on variables; when they hold, assigns or captures variables and may continue with another module.',
  projects: ['voice', 'sms', 'ussd'],
  produces: 'no RCML; a continueTo action reroutes the request',
  fields: {
    conditions: list({ expands: true, description: '`[{name: C1, operator, comparison{operand1$, operand2$, type: text|numeric} | matcher{text$, regex}}]`' }),
    conditionExpression: text({ description: '`C1 AND C2 OR C3`, left to right' }),
    actions: list({ expands: true, description: '`[{assign{varName, expression$, varScope: mod|app}} | {capture{varName, regex, data$, varScope}} | {continueTo{target}}]`' }),
  },
  validate(step, scope) {
    if (Array.isArray(step.conditions)) step.conditions.forEach((c, i) => validateCondition(c, `conditions/${i}`, scope));
    validateExpression(step, scope);
    if (Array.isArray(step.actions)) step.actions.forEach((a, i) => validateAction(a, `actions/${i}`, scope));
  },
  async process(step, rt) {
    if (!conditionsHold(step, rt)) return null;
    for (const action of records(step, 'actions')) {
      const continueTo = rec(action, 'continueTo');
      if (continueTo !== undefined) return nonEmpty(continueTo, 'target') ?? null;
      const assign = rec(action, 'assign');
      if (assign !== undefined) rt.setVariable(str(assign, 'varName') ?? '', rt.expand(str(assign, 'expression')) ?? '', scopeOf(assign));
      const capture = rec(action, 'capture');
      if (capture !== undefined) {
        const regex = str(capture, 'regex') ?? '';
        const groups = fullMatchGroups(regex, rt.expand(str(capture, 'data')) ?? '');
        if (groups === undefined) throw new StepFailure(FAILURE.controlExpression, `Control step ${step.name}: ${regex} is not a valid regular expression`);
        if (groups !== null) rt.setVariable(str(capture, 'varName') ?? '', groups[0] ?? '', scopeOf(capture));
      }
    }
    return null;
  },
};
