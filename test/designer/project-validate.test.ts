import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptyProject, WELCOME_MESSAGE } from '../../src/designer/project/empty.js';
import { validateProject, type ValidationItem } from '../../src/designer/project/validate.js';

type Json = Record<string, unknown>;

/** A 1.15 voice project: `start` holds `steps`, `module1` a hang-up. */
function state(steps: readonly Json[], extra: Partial<Json> = {}): Json {
  return {
    header: { projectKind: 'voice', startNodeName: 'start', version: '1.15', owner: 'alice@example.com' },
    nodes: [
      { name: 'start', label: 'Welcome', kind: 'voice', steps: steps.map((s, i) => ({ name: `step${i + 1}`, label: 'x', title: 'x', ...s })) },
      { name: 'module1', label: 'Next', kind: 'voice', steps: [{ kind: 'hungup', name: 'step99', label: 'h', title: 'h' }] },
    ],
    lastStepId: 99,
    lastNodeId: 1,
    ...extra,
  };
}

function items(value: unknown): readonly ValidationItem[] {
  const r = validateProject(value);
  assert.equal(r.ok, false, 'expected the state to be refused');
  return r.ok ? [] : r.items;
}

/** The `[failurePath, summary]` pairs of the refusal. */
const paths = (value: unknown): [string, string][] => items(value).map((i) => [i.failurePath, i.summary]);

test('a new project of each kind validates; its start module is labelled Welcome and holds the welcome step', () => {
  for (const kind of ['voice', 'sms', 'ussd'] as const) {
    const p = emptyProject(kind, 'alice@example.com');
    const r = validateProject(p);
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(p.nodes[0]?.label, 'Welcome');
    assert.equal(p.header.owner, 'alice@example.com');
    const step = p.nodes[0]!.steps[0]!;
    assert.equal(step.kind, { voice: 'say', sms: 'sms', ussd: 'ussdSay' }[kind]);
    assert.equal(step.phrase ?? step.text, WELCOME_MESSAGE);
  }
});

test('a valid state is returned with its unknown fields (the editor\'s iface) kept', () => {
  const r = validateProject(state([{ kind: 'say', phrase: 'hi', iface: { x: 1 } }], { iface: { activeNode: 0 } }));
  assert.ok(r.ok);
  assert.deepEqual(r.state.nodes[0]?.steps[0]?.iface, { x: 1 });
});

test('bad JSON shapes are named: not an object, no header, no nodes, a module without steps, a step without kind', () => {
  assert.deepEqual(paths('{"nodes":'), [['/', 'The project state must be a JSON object']]);
  assert.deepEqual(paths([]), [['/', 'The project state must be a JSON object']]);
  assert.deepEqual(paths({ nodes: [] }), [['/header', 'The project has no header']]);
  assert.deepEqual(paths({ header: { projectKind: 'fax', startNodeName: 'start', version: '1.15' }, nodes: [] }), [['/header/projectKind', 'The project kind must be voice, sms or ussd']]);
  assert.deepEqual(paths({ header: { projectKind: 'voice', startNodeName: 'start', version: '1.15' } }), [['/nodes', 'The project has no list of modules (nodes)']]);
  const s = state([]);
  (s.nodes as Json[])[1] = { name: 'module1', label: 'Next', kind: 'voice' };
  assert.deepEqual(paths(s), [['/nodes/1/steps', 'Module module1 has no list of steps']]);
  assert.deepEqual(paths(state([{ kind: 42 }])), [['/nodes/0/steps/0/kind', 'A step has no kind']]);
  assert.deepEqual(paths(state([], { lastStepId: 'x' })), [['/lastStepId', 'lastStepId must be a whole number']]);
});

test('an unknown step kind, a step of another project kind, duplicate names, a missing start module', () => {
  assert.deepEqual(paths(state([{ kind: 'teleport' }]))[0]?.[0], '/nodes/0/steps/0/kind');
  assert.match(paths(state([{ kind: 'teleport' }]))[0]![1], /^Unknown step kind "teleport"; known kinds: say, play, gather/);
  assert.deepEqual(paths(state([{ kind: 'ussdSay', text: 'x' }])), [['/nodes/0/steps/0/kind', 'A USSD Message step cannot run in a voice project']]);
  assert.deepEqual(paths(state([{ kind: 'say', phrase: 'a', name: 'step99' }])), [['/nodes/1/steps/0/name', 'Two steps are named step99']]);
  assert.deepEqual(paths(state([{ kind: 'hungup' }], { header: { projectKind: 'voice', startNodeName: 'main', version: '1.15', owner: null } })), [['/header/startNodeName', 'The start module main does not exist']]);
  assert.deepEqual(paths(state([], { header: { projectKind: 'voice', startNodeName: 'start', version: '1.9', owner: null } })), [['/header/version', 'The project is version 1.9; this node keeps 1.15 (upgrade it first)']]);
});

test('field types and required fields from each kind\'s table', () => {
  assert.deepEqual(paths(state([{ kind: 'say' }])), [['/nodes/0/steps/0/phrase', 'Say step: phrase is required']]);
  assert.deepEqual(paths(state([{ kind: 'say', phrase: 'x', loop: -1, voice: 'robot' }])), [
    ['/nodes/0/steps/0/voice', 'Say step: voice must be one of man, woman'],
    ['/nodes/0/steps/0/loop', 'Say step: loop must be a whole number of at least 0'],
  ]);
  assert.deepEqual(paths(state([{ kind: 'record', next: 'module1', finishOnKey: 'ab', playBeep: 'yes' }])), [
    ['/nodes/0/steps/0/finishOnKey', 'Record step: finishOnKey must be keys of 0-9, * and #, or -1 for none'],
    ['/nodes/0/steps/0/playBeep', 'Record step: playBeep must be true or false'],
  ]);
  assert.deepEqual(paths(state([{ kind: 'play', playType: 'remote', remote: { wavUrl: '' } }])), [['/nodes/0/steps/0/remote/wavUrl', 'Play step: give the URL of the audio to play']]);
});

test('a Dial step without a target, or with a target without destination', () => {
  assert.deepEqual(paths(state([{ kind: 'dial', dialNouns: [] }])), [['/nodes/0/steps/0/dialNouns', 'Dial step has no target: add a number, client, SIP URI or conference']]);
  assert.deepEqual(paths(state([{ kind: 'dial' }])), [['/nodes/0/steps/0/dialNouns', 'Dial step: dialNouns is required']]);
  assert.deepEqual(paths(state([{ kind: 'dial', dialNouns: [{ dialType: 'client', destination: 'bob' }, { dialType: 'number', destination: '' }, { dialType: 'fax' }] }])), [
    ['/nodes/0/steps/0/dialNouns/1/destination', 'Dial step: give the number to dial'],
    ['/nodes/0/steps/0/dialNouns/2/dialType', 'Dial step: the target type must be one of number, client, conference, sipuri'],
  ]);
});

test('references to modules that do not exist: Gather mapping, Dial nextModule and noun modules, Redirect, Record, ES, Control', () => {
  assert.deepEqual(paths(state([
    { kind: 'gather', method: 'POST', gatherType: 'menu', steps: [], menu: { mappings: [{ digits: '1', next: 'module1' }, { digits: '2', next: 'gone' }] } },
    { kind: 'dial', dialNouns: [{ dialType: 'client', destination: 'bob', statusCallbackModule: 'gone2' }], nextModule: 'gone3' },
    { kind: 'redirect', next: 'gone4' },
    { kind: 'record', next: 'gone5' },
    { kind: 'externalService', url: 'http://x', doRouting: true, nextType: 'fixed', next: 'gone6', exceptionNext: 'gone7', onTimeout: 'gone8' },
    { kind: 'control', actions: [{ continueTo: { target: 'gone9' } }] },
  ])), [
    ['/nodes/0/steps/0/menu/mappings/1/next', 'The module gone does not exist'],
    ['/nodes/0/steps/1/nextModule', 'Dial step: nextModule names the module gone3, which does not exist'],
    ['/nodes/0/steps/1/dialNouns/0/statusCallbackModule', 'The module gone2 does not exist'],
    ['/nodes/0/steps/2/next', 'Redirect step: next names the module gone4, which does not exist'],
    ['/nodes/0/steps/3/next', 'Record step: next names the module gone5, which does not exist'],
    ['/nodes/0/steps/4/exceptionNext', 'External Service step: exceptionNext names the module gone7, which does not exist'],
    ['/nodes/0/steps/4/onTimeout', 'External Service step: onTimeout names the module gone8, which does not exist'],
    ['/nodes/0/steps/4/next', 'The module gone6 does not exist'],
    ['/nodes/0/steps/5/actions/0/continueTo/target', 'The module gone9 does not exist'],
  ]);
});

test('a Gather without action targets: no mappings, a collect without variable or next', () => {
  assert.deepEqual(paths(state([{ kind: 'gather', method: 'POST', gatherType: 'menu', steps: [] }])), [['/nodes/0/steps/0/menu/mappings', 'Gather menu has no key mappings: map at least one key to a module']]);
  assert.deepEqual(paths(state([{ kind: 'gather', method: 'POST', gatherType: 'menu', inputType: 'speech', steps: [], menu: { mappings: [] } }])), [['/nodes/0/steps/0/menu/speechMappings', 'Gather menu has no speech mappings: map at least one phrase to a module']]);
  assert.deepEqual(paths(state([{ kind: 'gather', method: 'POST', gatherType: 'collectdigits', steps: [], collectdigits: { collectVariable: '1pin', next: '' } }])), [
    ['/nodes/0/steps/0/collectdigits/collectVariable', 'Gather step: the variable name must start with a letter and hold only letters, digits and _'],
    ['/nodes/0/steps/0/collectdigits/next', 'Choose the module to continue with'],
  ]);
  assert.deepEqual(paths(state([{ kind: 'gather', method: 'POST', gatherType: 'collectdigits', steps: [] }])), [['/nodes/0/steps/0/collectdigits', 'Gather step: choose the variable that receives the digits and the module that follows']]);
  assert.deepEqual(paths(state([{ kind: 'gather', gatherType: 'menu', steps: [], menu: { mappings: [{ digits: '1', next: 'module1' }] } }])), [['/nodes/0/steps/0/method', 'Gather step: method is required']]);
});

test('Gather details: prompts are say or play, keys are 0-9*#, a key mapped twice, the finish key mapped, a bad pattern', () => {
  assert.deepEqual(paths(state([{
    kind: 'gather', method: 'POST', gatherType: 'menu', finishOnKey: '#',
    steps: [{ kind: 'dial', name: 's1', dialNouns: [] }, { kind: 'say', name: 's2' }],
    menu: { mappings: [{ digits: '1', next: 'module1' }, { digits: '1', next: 'module1' }, { digits: 'a', next: 'module1' }, { digits: '#', next: 'module1' }] },
    validation: { regexPattern: '([0-9' },
    invalidMessage: { kind: 'play', playType: 'remote', remote: { wavUrl: 'x' } },
  }])), [
    ['/nodes/0/steps/0/steps/0/kind', 'A Dial step cannot be used here; expected say or play'],
    ['/nodes/0/steps/0/steps/1/phrase', 'Say step: phrase is required'],
    ['/nodes/0/steps/0/invalidMessage/kind', 'A Play step cannot be used here; expected say'],
    ['/nodes/0/steps/0/validation/regexPattern', 'Gather step: the pattern ([0-9 is not a valid regular expression'],
    ['/nodes/0/steps/0/menu/mappings/1/digits', 'Gather menu: the keys 1 are mapped twice'],
    ['/nodes/0/steps/0/menu/mappings/2/digits', 'Gather menu: a key mapping needs keys of 0-9, * and #'],
    ['/nodes/0/steps/0/menu/mappings/3/digits', 'Gather menu: # ends the input (finishOnKey) and cannot be chosen'],
  ]);
});

test('External Service: routing needs its parts; extractors, headers and assignment variables are checked', () => {
  assert.deepEqual(paths(state([{ kind: 'externalService', url: '' }])), [
    ['/nodes/0/steps/0/doRouting', 'External Service step: doRouting is required'],
    ['/nodes/0/steps/0/url', 'External Service step: give the URL of the service'],
  ]);
  assert.deepEqual(paths(state([{
    kind: 'externalService', url: 'http://x', doRouting: true, nextType: 'mapped', method: 'PATCH',
    httpHeaders: [{ name: 'Bad Header', value: 'x' }],
    assignments: [{ destVariable: 'my-var', scope: 'global', moduleNameScope: null, valueExtractor: { accessOperations: [{ kind: 'object', action: 'propertyNamed' }] } }],
  }])), [
    ['/nodes/0/steps/0/method', 'External Service step: method must be one of GET, POST, PUT, DELETE'],
    ['/nodes/0/steps/0/httpHeaders/0/name', 'External Service step: a header needs a valid name'],
    ['/nodes/0/steps/0/assignments/0/destVariable', 'External Service step: the variable name must start with a letter and hold only letters, digits and _'],
    ['/nodes/0/steps/0/assignments/0/scope', 'External Service step: the scope must be module or application'],
    ['/nodes/0/steps/0/assignments/0/valueExtractor/accessOperations/0', 'External Service step: an object operation needs the property name'],
    ['/nodes/0/steps/0/nextValueExtractor', 'External Service step: say where the value is in the answer (accessOperations)'],
    ['/nodes/0/steps/0/routeMappings', 'External Service step: mapped routing needs at least one value → module mapping'],
  ]);
});

test('Control: conditions, expression, actions', () => {
  assert.deepEqual(paths(state([{
    kind: 'control',
    conditions: [{ name: 'C1', operator: 'equals' }, { name: 'X', operator: 'like', comparison: {} }, { name: 'C3', operator: 'matches', matcher: { text: 'a', regex: '(' } }],
    conditionExpression: 'C1 XOR C9 AND',
    actions: [{ assign: { expression: 'x' } }, { capture: { varName: 'v', regex: '\\d+' } }, { continueTo: { target: 'start' } }, { other: {} }],
  }])), [
    ['/nodes/0/steps/0/conditions/0/comparison', 'Control step: condition incomplete, give the two operands'],
    ['/nodes/0/steps/0/conditions/1/name', 'Control step: a condition name starts with C (C1, C2, ...)'],
    ['/nodes/0/steps/0/conditions/1/operator', 'Control step: the operator must be one of equals, notequal, greater, greaterEqual, less, lessEqual, matches'],
    ['/nodes/0/steps/0/conditions/2/matcher/regex', 'Control step: matches needs a valid regular expression'],
    ['/nodes/0/steps/0/conditionExpression', 'Control step: expected AND or OR, found XOR'],
    ['/nodes/0/steps/0/conditionExpression', 'Control step: C9 is not one of the step\'s conditions'],
    ['/nodes/0/steps/0/conditionExpression', 'Control step: the condition expression ends with an operator'],
    ['/nodes/0/steps/0/actions/0/assign/varName', 'Control step: the assignment needs a variable name (a letter, then letters, digits and _)'],
    ['/nodes/0/steps/0/actions/1/capture/regex', 'Control step: the capture needs a valid regular expression with a group (...)'],
    ['/nodes/0/steps/0/actions/2/continueTo/target', 'Control step: continuing with its own module would loop'],
    ['/nodes/0/steps/0/actions/3', 'Control step: an action is one of assign, capture and continueTo'],
  ]);
});

test('Redirect without URL or module; SMS without its required fields; USSD Collect without mappings', () => {
  assert.deepEqual(paths(state([{ kind: 'redirect' }])), [['/nodes/0/steps/0/next', 'Redirect step: give a URL or choose the module to continue with']]);
  assert.deepEqual(paths(state([{ kind: 'sms', text: 'x' }])), [['/nodes/0/steps/0/to', 'SMS step: to is required'], ['/nodes/0/steps/0/from', 'SMS step: from is required']]);
  const ussd = emptyProject('ussd', null);
  const withCollect = { ...ussd, nodes: [{ ...ussd.nodes[0]!, steps: [{ kind: 'ussdCollect', name: 'step2', gatherType: 'menu', messages: [{ kind: 'ussdSay', text: 'hi' }] }] }] };
  assert.deepEqual(paths(withCollect), [['/nodes/0/steps/0/menu/mappings', 'USSD Collect menu has no mappings: map at least one answer to a module']]);
});

test('every item is an error with a path into the state; nothing throws for any JSON', () => {
  for (const value of [null, 1, 'x', true, {}, { header: null, nodes: null }, { header: {}, nodes: [null] }, state([null as unknown as Json])]) {
    const r = validateProject(value);
    assert.equal(r.ok, false);
    if (!r.ok) for (const i of r.items) assert.ok(i.level === 'error' && i.failurePath.startsWith('/') && i.summary !== '', JSON.stringify(i));
  }
});
