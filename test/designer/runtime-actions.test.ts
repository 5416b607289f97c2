import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FAILURE } from '../../src/designer/project/steps/failure.js';
import { actionQuery, doc, FALLBACK, project, run } from './runtime-harness.js';

const say = (phrase: string): Record<string, unknown> => ({ kind: 'say', phrase });

const menu = project([
  ['start', 'Welcome', [
    say('Hello'),
    {
      kind: 'gather', method: 'POST', numDigits: 1, gatherType: 'menu', steps: [say('1 sales, * operator, # repeat')],
      menu: { mappings: [{ digits: '1', next: 'module1' }, { digits: '*', next: 'module2' }, { digits: '#', next: 'start' }] },
      invalidMessage: say('Not an option.'),
    },
  ]],
  ['module1', 'Sales', [say('Sales, you pressed $core_Digits')]],
  ['module2', 'Operator', [say('Operator')]],
]);

test('gather menu: the pressed key picks the module, $core_Digits is set; * and # can be mapped', async () => {
  assert.equal((await run(menu, { target: 'start.step2.handle', Digits: '1' })).rcml, doc('<Say>Sales, you pressed 1</Say>'));
  assert.equal((await run(menu, { target: 'start.step2.handle', Digits: '*' })).rcml, doc('<Say>Operator</Say>'));
  assert.match((await run(menu, { target: 'start.step2.handle', Digits: '#' })).rcml, /^<Response>\n {2}<Say>Hello<\/Say>\n {2}<Gather/);
});

test('gather menu, a key not mapped: the invalid message, then the module again from the gather step, numbered', async () => {
  const r = await run(menu, { target: 'start.step2.handle', Digits: '9' });
  assert.equal(r.failure, null);
  assert.equal(r.rcml, doc(
    '<Say>Not an option.</Say>',
    '<Gather action="controller?target=start.step2.handle&amp;gatherAttempt=2" method="POST" finishOnKey="" numDigits="1">',
    '  <Say>1 sales, * operator, # repeat</Say>',
    '</Gather>',
  ));
  assert.deepEqual(r.log, ['|Running target: start.step2.handle', '|Running target: start.step2']);
});

test('gather: after 3 prompts without valid input the call gets the fallback and a failure, not an endless loop', async () => {
  const second = await run(menu, { target: 'start.step2.handle', Digits: '9' });
  const third = await run(menu, { ...Object.fromEntries(actionQuery(second.rcml)), Digits: '' });
  assert.equal(actionQuery(third.rcml).get('gatherAttempt'), '3');
  const last = await run(menu, { ...Object.fromEntries(actionQuery(third.rcml)), Digits: '8' });
  assert.equal(last.rcml, FALLBACK);
  assert.deepEqual(last.failure, { code: FAILURE.gatherAttempts, message: 'Gather step step2: no valid input after 3 prompts' });
  assert.ok(last.log.includes('EXCEPTION|Gather step step2: no valid input after 3 prompts'), last.log.join('\n'));
});

const collect = (validation: Record<string, unknown> | undefined, scope = 'module') => project([
  ['start', 'Welcome', [{
    kind: 'gather', method: 'POST', gatherType: 'collectdigits', steps: [say('Your PIN?')],
    collectdigits: { collectVariable: 'pin', next: 'module1', scope }, ...(validation ? { validation } : {}), invalidMessage: say('Invalid PIN.'),
  }]],
  ['module1', 'Check', [say('pin=$pin module=[$module_pin] sticky=[$sticky_pin]'), { kind: 'redirect', next: 'module1' }]],
]);

test('gather collect: the value is stored under the bare name and its scope, then next is rendered', async () => {
  const app = await run(collect(undefined, 'application'), { target: 'start.step1.handle', Digits: '4321' });
  assert.equal(app.rcml, doc('<Say>pin=4321 module=[] sticky=[4321]</Say>', '<Redirect>controller?target=module1&amp;sticky_pin=4321</Redirect>'));
  // Module scope: gone once rendering moves to the next module (RVD's behaviour); the bare name lasts the request.
  const mod = await run(collect(undefined, 'module'), { target: 'start.step1.handle', Digits: '4321' });
  assert.equal(mod.rcml, doc('<Say>pin=4321 module=[] sticky=[]</Say>', '<Redirect>controller?target=module1</Redirect>'));
});

test('gather collect with a regexPattern (variables expanded) and with a userPattern of allowed characters', async () => {
  const regex = collect({ regexPattern: '^\\d{$len}$' });
  assert.match((await run(regex, { target: 'start.step1.handle', Digits: '1234' }, { parameters: [{ name: 'len', value: '4' }] })).rcml, /pin=1234/);
  const bad = await run(regex, { target: 'start.step1.handle', Digits: '12' }, { parameters: [{ name: 'len', value: '4' }] });
  assert.match(bad.rcml, /^<Response>\n {2}<Say>Invalid PIN\.<\/Say>\n {2}<Gather action="controller\?target=start\.step1\.handle&amp;gatherAttempt=2"/);
  const user = collect({ userPattern: '0-5' });
  assert.match((await run(user, { target: 'start.step1.handle', Digits: '0505' })).rcml, /pin=0505/);
  assert.match((await run(user, { target: 'start.step1.handle', Digits: '0909' })).rcml, /Invalid PIN/);
  assert.match((await run(user, { target: 'start.step1.handle', Digits: '' })).rcml, /Invalid PIN/);
});

test('gather speech: SpeechResult against the mappings\' regular expressions; a partial result gets an empty document', async () => {
  const state = project([
    ['start', 'Welcome', [{ kind: 'gather', method: 'POST', gatherType: 'menu', inputType: 'speech', steps: [], menu: { speechMappings: [{ key: '(?i).*sales.*', next: 'module1' }, { key: 'support', next: 'module1' }] } }]],
    ['module1', 'Sales', [say('heard $core_SpeechResult')]],
  ]);
  assert.equal((await run(state, { target: 'start.step1.handle', SpeechResult: 'support' })).rcml, doc('<Say>heard support</Say>'));
  assert.match((await run(state, { target: 'start.step1.handle', SpeechResult: 'tech support please' })).rcml, /<Gather/);
  const partial = await run(state, { target: 'start.step1.handle', UnstableSpeechResult: 'sup' });
  assert.equal(partial.rcml, '<Response/>');
  assert.equal(partial.failure, null);
});

test('dial actionhandler: DialCallStatus & co. become core_ variables for nextModule', async () => {
  const state = project([
    ['start', 'Welcome', [{ kind: 'dial', dialNouns: [{ dialType: 'client', destination: 'bob' }], nextModule: 'module1' }]],
    ['module1', 'After', [say('$core_DialCallStatus $core_DialCallSid $core_DialCallDuration $core_DialRingDuration $core_RecordingUrl $core_PublicRecordingUrl')]],
  ]);
  const r = await run(state, {
    target: 'start.step1.actionhandler', DialCallStatus: 'no-answer', DialCallSid: 'CA9', DialCallDuration: '0', DialRingDuration: '30',
    RecordingUrl: 'http://r/1.wav', PublicRecordingUrl: 'http://p/1.wav',
  });
  assert.equal(r.rcml, doc('<Say>no-answer CA9 0 30 http://r/1.wav http://p/1.wav</Say>'));
});

test('record, sms and email actionhandlers copy their results and continue with next', async () => {
  const state = project([
    ['start', 'Welcome', [
      { kind: 'record', next: 'module1' },
      { kind: 'sms', text: 't', to: '', from: '', next: 'module2' },
      { kind: 'email', text: 't', to: 'a@b', from: 'c@d', subject: 's', next: 'module3' },
    ]],
    ['module1', 'Recorded', [say('$core_RecordingUrl $core_RecordingDuration $core_Digits')]],
    ['module2', 'Sent', [say('$core_SmsSid $core_SmsStatus')]],
    ['module3', 'Mailed', [say('$core_EmailSid $core_EmailStatus')]],
  ]);
  assert.equal((await run(state, { target: 'start.step1.actionhandler', RecordingUrl: 'http://r/2.wav', RecordingDuration: '7', Digits: 'hangup' })).rcml, doc('<Say>http://r/2.wav 7 hangup</Say>'));
  assert.equal((await run(state, { target: 'start.step2.actionhandler', SmsSid: 'SM1', SmsStatus: 'sent' })).rcml, doc('<Say>SM1 sent</Say>'));
  assert.equal((await run(state, { target: 'start.step3.actionhandler', EmailSid: 'EM1', EmailStatus: 'queued' })).rcml, doc('<Say>EM1 queued</Say>'));
});

test('any action word runs the step\'s handler, as in RVD', async () => {
  assert.equal((await run(menu, { target: 'start.step2.whatever', Digits: '*' })).rcml, doc('<Say>Operator</Say>'));
});

test('failures: an action for a Dial without nextModule, an unknown module, step or step kind; each with its code and the fallback', async () => {
  const state = project([['start', 'Welcome', [{ kind: 'dial', dialNouns: [{ dialType: 'client', destination: 'bob' }] }, say('x')]]]);
  const cases: [Record<string, string>, number, string][] = [
    [{ target: 'start.step1.actionhandler' }, FAILURE.noNextModule, 'dial step step1 has no module to continue with (nextModule)'],
    [{ target: 'nowhere' }, FAILURE.missingModule, 'The target names the module nowhere, which does not exist'],
    [{ target: 'start.step9' }, FAILURE.missingStep, 'The target start.step9 names a step its module does not have'],
    [{ target: 'start.step9.handle' }, FAILURE.missingStep, 'The target start.step9.handle names a step its module does not have'],
    [{ target: 'start.step2.handle' }, FAILURE.missingStep, 'The target start.step2.handle names a Say step, which takes no action'],
  ];
  for (const [params, code, message] of cases) {
    const r = await run(state, params);
    assert.equal(r.rcml, FALLBACK, JSON.stringify(params));
    assert.deepEqual(r.failure, { code, message });
    assert.equal(r.log.at(-1), `EXCEPTION|${message}`);
  }
  const unknown = { ...state, nodes: [{ ...state.nodes[0]!, steps: [{ kind: 'teleport', name: 'step1' }] }] };
  assert.equal((await run(unknown)).failure?.code, FAILURE.unknownStepKind);
});

test('the fallback of an SMS project is an empty reply, of a USSD project a USSD message', async () => {
  const sms = await run(project([['start', 'Welcome', []]], 'sms'), { target: 'gone' });
  assert.equal(sms.rcml, '<Response/>');
  assert.equal(sms.failure?.code, FAILURE.missingModule);
  const ussd = await run(project([['start', 'Welcome', []]], 'ussd'), { target: 'gone' });
  assert.equal(ussd.rcml, doc('<UssdMessage>Sorry, this application has a problem. Goodbye.</UssdMessage>'));
});
