import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FAILURE } from '../../src/designer/project/steps/failure.js';
import { doc, FALLBACK, project, run } from './runtime-harness.js';

const cmp = (name: string, operator: string, operand1: string, operand2: string, type = 'text') => ({ name, operator, comparison: { operand1, operand2, type } });

/** A Control step that continues to module1 ("yes") when `expression` holds; the start module says "no" otherwise. */
async function holds(conditions: readonly unknown[], expression: string | undefined, params: Record<string, string> = {}) {
  const state = project([
    ['start', 'Welcome', [{ kind: 'control', conditions, ...(expression === undefined ? {} : { conditionExpression: expression }), actions: [{ name: 'A1', continueTo: { target: 'module1' } }] }, { kind: 'say', phrase: 'no' }]],
    ['module1', 'Yes', [{ kind: 'say', phrase: 'yes' }]],
  ]);
  const r = await run(state, params);
  if (r.failure !== null) return r;
  return r.rcml === doc('<Say>yes</Say>');
}

test('text comparisons, lessEqual included (RVD computes it as >=)', async () => {
  const cases: [string, string, string, boolean][] = [
    ['equals', 'abc', 'abc', true], ['equals', 'abc', 'abd', false], ['notequal', 'a', 'b', true],
    ['greater', 'b', 'a', true], ['greater', 'a', 'a', false], ['greaterEqual', 'a', 'a', true],
    ['less', 'a', 'b', true], ['less', 'b', 'a', false],
    ['lessEqual', 'a', 'b', true], ['lessEqual', 'a', 'a', true], ['lessEqual', 'b', 'a', false],
    ['less', '10', '9', true],
  ];
  for (const [operator, a, b, expected] of cases) assert.equal(await holds([cmp('C1', operator, a, b)], 'C1'), expected, `${a} ${operator} ${b}`);
});

test('numeric comparisons parse as Java floats (blanks, exponent, f suffix)', async () => {
  const cases: [string, string, string, boolean][] = [
    ['less', '9', '10', true], ['equals', '1.0', '1', true], ['greaterEqual', ' 2e1 ', '20', true], ['lessEqual', '3f', '2.5', false], ['notequal', '-1', '1', true],
  ];
  for (const [operator, a, b, expected] of cases) assert.equal(await holds([cmp('C1', operator, a, b, 'numeric')], 'C1'), expected, `${a} ${operator} ${b}`);
});

test('operands are expanded; matches is a whole-text regular expression', async () => {
  assert.equal(await holds([cmp('C1', 'equals', '$Digits-$core_From', '5-alice')], 'C1', { Digits: '5', From: 'alice' }), true);
  const m = (text: string, regex: string) => ({ name: 'C1', operator: 'matches', matcher: { text, regex } });
  assert.equal(await holds([m('$core_From', '\\+1555\\d+')], 'C1', { From: '+15551234' }), true);
  assert.equal(await holds([m('$core_From', '555')], 'C1', { From: '+15551234' }), false, 'a part of the text is not a match');
});

test('AND / OR are evaluated left to right without precedence; no expression holds', async () => {
  const t = cmp('C1', 'equals', 'x', 'x');
  const f = cmp('C2', 'equals', 'x', 'y');
  assert.equal(await holds([t, f], 'C1 AND C2'), false);
  assert.equal(await holds([t, f], 'C1 OR C2'), true);
  // Left to right: (true OR false) AND false = false; AND-before-OR precedence would give true.
  assert.equal(await holds([t, f], 'C1 OR C2 AND C2'), false);
  assert.equal(await holds([f], undefined), true);
});

test('actions: assign (module and application scope) and capture (group 1 of a whole match), then continueTo', async () => {
  const state = project([
    ['start', 'Welcome', [{
      kind: 'control',
      actions: [
        { assign: { varName: 'greeting', expression: 'Hi $core_From', varScope: 'mod' } },
        { assign: { varName: 'lang', expression: 'fr', varScope: 'app' } },
        { capture: { varName: 'ext', regex: 'sip:(\\d+)@.*', data: '$core_To', varScope: 'mod' } },
        { capture: { varName: 'nope', regex: '(\\d+)', data: 'abc' } },
      ],
    }, { kind: 'say', phrase: '$greeting $lang $ext [$nope]' }, { kind: 'redirect', next: 'start' }]],
  ]);
  const r = await run(state, { From: 'alice', To: 'sip:204@example.com' });
  assert.equal(r.rcml, doc('<Say>Hi alice fr 204 []</Say>', '<Redirect>controller?target=start&amp;module_greeting=Hi+alice&amp;sticky_lang=fr&amp;module_ext=204</Redirect>'));
});

test('failures: a numeric comparison of text, an expression naming an unknown condition, a bad regular expression', async () => {
  const notNumber = await holds([cmp('C1', 'less', 'abc', '3', 'numeric')], 'C1');
  assert.ok(typeof notNumber === 'object');
  assert.deepEqual(notNumber.failure, { code: FAILURE.controlNotNumeric, message: 'Control step step1: cannot compare "abc" as a number' });
  assert.equal(notNumber.rcml, FALLBACK);
  const empty = await holds([cmp('C1', 'equals', '$missing', '0', 'numeric')], 'C1');
  assert.equal(typeof empty === 'object' && empty.failure?.code, FAILURE.controlNotNumeric, 'an empty variable is not 0');
  const unknown = await holds([cmp('C1', 'equals', 'a', 'a')], 'C1 AND C7');
  assert.equal(typeof unknown === 'object' && unknown.failure?.code, FAILURE.controlExpression);
  const badRegex = await holds([{ name: 'C1', operator: 'matches', matcher: { text: 'x', regex: '(' } }], 'C1');
  assert.equal(typeof badRegex === 'object' && badRegex.failure?.code, FAILURE.controlExpression);
});

test('modules that continue to each other are stopped as a loop, with the fallback', async () => {
  const state = project([
    ['start', 'Welcome', [{ kind: 'control', actions: [{ continueTo: { target: 'module1' } }] }]],
    ['module1', 'Back', [{ kind: 'control', actions: [{ continueTo: { target: 'start' } }] }]],
  ]);
  const r = await run(state);
  assert.equal(r.rcml, FALLBACK);
  assert.equal(r.failure?.code, FAILURE.rerouteLoop);
});
