import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BUILTIN_PARAMETERS } from '../../src/designer/runtime/variables.js';
import { actionQuery, doc, project, run } from './runtime-harness.js';

const sayAll = (phrase: string): Record<string, unknown> => ({ kind: 'say', phrase });

test('every Restcomm built-in parameter is $core_<Name>, including ReferTarget, Transferor and Transferee', async () => {
  const params = Object.fromEntries(BUILTIN_PARAMETERS.map((n) => [n, `v-${n}`]));
  const phrase = BUILTIN_PARAMETERS.map((n) => `$core_${n}`).join(' ');
  const r = await run(project([['start', 'Welcome', [sayAll(phrase)]]]), params);
  assert.equal(r.rcml, doc(`<Say>${BUILTIN_PARAMETERS.map((n) => `v-${n}`).join(' ')}</Say>`));
  assert.deepEqual(BUILTIN_PARAMETERS.slice(-3), ['ReferTarget', 'Transferor', 'Transferee']);
});

test('a built-in is not readable under its bare name; other parameters are', async () => {
  const r = await run(project([['start', 'Welcome', [sayAll('[$From] [$Digits] [$DialCallStatus]')]]]), { From: 'alice', Digits: '5', DialCallStatus: 'busy' });
  assert.equal(r.rcml, doc('<Say>[] [5] [busy]</Say>'));
});

test('SipHeader_ and DialSipHeader_ (any case) become core_ + the lower-cased name with other characters as _', async () => {
  const r = await run(project([['start', 'Welcome', [sayAll('$core_x_foo $core_x_caller_id $core_diversion')]]]), {
    'SipHeader_X-Foo': 'bar', 'dialsipheader_X-Caller.Id': 'c1', SIPHEADER_Diversion: '<sip:a@b>',
  });
  assert.equal(r.rcml, doc('<Say>bar c1 &lt;sip:a@b&gt;</Say>'));
});

test('project parameters come last and override request variables of the same name', async () => {
  const r = await run(project([['start', 'Welcome', [sayAll('$client $other')]]]), { client: 'from-request', other: 'kept' }, { parameters: [{ name: 'client', value: 'bob' }] });
  assert.equal(r.rcml, doc('<Say>bob kept</Say>'));
});

test('$x looks up x, then module_x, then sticky_x; a missing one is empty; values are not expanded again', async () => {
  const r = await run(project([['start', 'Welcome', [sayAll('$a|$b|$c|$missing|$d|$$a|$1a')]]]), {
    a: 'plain', module_a: 'mod', sticky_a: 'app', module_b: 'mod-b', sticky_b: 'app-b', sticky_c: 'app-c', d: '$a',
  });
  assert.equal(r.rcml, doc('<Say>plain|mod-b|app-c||$a|$plain|$1a</Say>'));
});

test('carried state: sticky_ and module_ variables are appended to every action URL and reach the next request', async () => {
  const state = project([
    ['start', 'Welcome', [
      { kind: 'control', actions: [{ assign: { varName: 'lang', expression: 'fr-$core_From', varScope: 'app' } }, { assign: { varName: 'tries', expression: '1', varScope: 'mod' } }] },
      { kind: 'gather', method: 'POST', gatherType: 'collectdigits', steps: [], collectdigits: { collectVariable: 'pin', next: 'module1', scope: 'application' } },
    ]],
    ['module1', 'Next', [sayAll('lang=$lang pin=$pin tries=[$tries]')]],
  ]);
  const first = await run(state, { From: 'alice', CallSid: 'CA1' });
  const carried = actionQuery(first.rcml);
  assert.deepEqual([...carried], [['target', 'start.step2.handle'], ['sticky_lang', 'fr-alice'], ['module_tries', '1']]);
  // The second request is what the node sends to that action: the carried query plus the Gather's Digits.
  const second = await run(state, { ...Object.fromEntries(carried), Digits: '1234', From: 'alice' });
  assert.equal(second.rcml, doc('<Say>lang=fr-alice pin=1234 tries=[]</Say>'));
});

test('module_ variables are dropped when rendering moves to another module; sticky_ ones stay and are carried on', async () => {
  const state = project([
    ['start', 'Welcome', [
      { kind: 'control', actions: [{ assign: { varName: 'm', expression: 'M', varScope: 'mod' } }, { assign: { varName: 's', expression: 'S', varScope: 'app' } }, { continueTo: { target: 'module1' } }] },
    ]],
    ['module1', 'Next', [sayAll('m=[$m] s=[$s]'), { kind: 'redirect', next: 'module1' }]],
  ]);
  const r = await run(state, { module_old: 'x' });
  assert.equal(r.rcml, doc('<Say>m=[] s=[S]</Say>', '<Redirect>controller?target=module1&amp;sticky_s=S</Redirect>'));
});

test('values are form-encoded in carried URLs (spaces, & and non-ASCII survive the round trip)', async () => {
  const state = project([['start', 'Welcome', [{ kind: 'redirect', next: 'start' }]]]);
  const r = await run(state, { sticky_name: 'Zoë & co', target: 'start' });
  assert.equal(r.rcml, doc('<Redirect>controller?target=start&amp;sticky_name=Zo%C3%AB+%26+co</Redirect>'));
});
