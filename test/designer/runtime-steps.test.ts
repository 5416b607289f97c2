import assert from 'node:assert/strict';
import { test } from 'node:test';
import { doc, project, run } from './runtime-harness.js';

/** The RCML of a start module made of `steps`, with `params` in the request. */
async function rcmlOf(steps: readonly Record<string, unknown>[], params: Record<string, string> = {}, extra: readonly (readonly [string, string, readonly Record<string, unknown>[]])[] = []): Promise<string> {
  const r = await run(project([['start', 'Welcome', steps], ...extra]), params);
  assert.equal(r.failure, null, JSON.stringify(r.failure));
  return r.rcml;
}

const next = ['module1', 'Next', [{ kind: 'hungup' }]] as const;

test('say: phrase expanded, voice/language/loop as attributes; empty voice and language left out', async () => {
  assert.equal(await rcmlOf([{ kind: 'say', phrase: 'Hello $core_From & <you>', voice: 'woman', language: 'en-GB', loop: 2 }, { kind: 'say', phrase: 'Bye', voice: '', language: '' }], { From: 'alice' }),
    doc('<Say voice="woman" language="en-GB" loop="2">Hello alice &amp; &lt;you&gt;</Say>', '<Say>Bye</Say>'));
});

test('play: a remote URL expanded, a local file from the project media URL; loop', async () => {
  assert.equal(await rcmlOf([
    { kind: 'play', playType: 'remote', remote: { wavUrl: 'http://media.example.com/$name.wav' }, loop: 0 },
    { kind: 'play', playType: 'local', local: { wavLocalFilename: 'beep one.wav' } },
  ], { name: 'welcome' }), doc(
    '<Play loop="0">http://media.example.com/welcome.wav</Play>',
    '<Play>http://127.0.0.1:8080/visual-designer/services/projects/AP0123456789abcdef0123456789abcdef/wavs/beep%20one.wav</Play>',
  ));
});

test('pause, hungup, reject (reason left out when empty)', async () => {
  assert.equal(await rcmlOf([{ kind: 'pause', length: 3 }, { kind: 'reject', reason: 'busy' }, { kind: 'reject', reason: '' }, { kind: 'hungup' }]),
    doc('<Pause length="3"/>', '<Reject reason="busy"/>', '<Reject/>', '<Hangup/>'));
});

test('gather menu: action to its handle with the attributes in RVD order, prompts inside', async () => {
  assert.equal(await rcmlOf([{
    kind: 'gather', method: 'GET', timeout: 7, finishOnKey: '*', numDigits: 2, gatherType: 'menu', inputType: 'dtmf', language: 'en', hints: 'one,two',
    steps: [{ kind: 'say', name: 'step9', phrase: 'Choose' }, { kind: 'play', name: 'step8', playType: 'remote', remote: { wavUrl: 'http://m/x.wav' } }],
    menu: { mappings: [{ digits: '12', next: 'module1' }] },
  }], {}, [next]), doc(
    '<Gather action="controller?target=start.step1.handle" method="GET" timeout="7" finishOnKey="*" numDigits="2" input="dtmf" language="en" hints="one,two">',
    '  <Say>Choose</Say>',
    '  <Play>http://m/x.wav</Play>',
    '</Gather>',
  ));
});

test('gather: a menu that maps # turns the finish key off (finishOnKey=""), so # can be chosen', async () => {
  assert.equal(await rcmlOf([{ kind: 'gather', method: 'POST', numDigits: 1, gatherType: 'menu', steps: [], menu: { mappings: [{ digits: '#', next: 'module1' }] } }], {}, [next]),
    doc('<Gather action="controller?target=start.step1.handle" method="POST" finishOnKey="" numDigits="1"/>'));
});

test('gather with speech: partialResultCallback is the action, its method POST by default', async () => {
  assert.equal(await rcmlOf([{ kind: 'gather', method: 'GET', gatherType: 'menu', inputType: 'dtmf speech', steps: [], menu: { speechMappings: [{ key: 'sales.*', next: 'module1' }] } }], {}, [next]),
    doc('<Gather action="controller?target=start.step1.handle" method="GET" input="dtmf speech" partialResultCallback="controller?target=start.step1.handle" partialResultCallbackMethod="GET"/>'));
});

test('dial: nouns of the four kinds; action and method only with nextModule; callerId expanded; module URLs for url/statusCallback; waitModule absolute', async () => {
  assert.equal(await rcmlOf([{
    kind: 'dial', method: 'GET', timeout: 20, timeLimit: 600, callerId: '$core_To', record: true, nextModule: 'module1',
    dialNouns: [
      { dialType: 'number', destination: '+1555$ext', sendDigits: '12#', beforeConnectModule: 'module1', statusCallback: 'http://cb.example.com/s' },
      { dialType: 'client', destination: 'bob', statusCallbackModule: 'module1' },
      { dialType: 'sipuri', destination: 'sip:carol@example.com' },
      { dialType: 'conference', destination: 'room$ext', beep: false, muted: true, endConferenceOnExit: true, startConferenceOnEnter: false, maxParticipants: 5, waitModule: 'module1', waitMethod: 'GET' },
    ],
  }], { To: '+15550000', ext: '42' }, [next]), doc(
    '<Dial action="controller?target=start.step1.actionhandler" method="GET" timeout="20" timeLimit="600" callerId="+15550000" record="true">',
    '  <Number sendDigits="12#" url="controller?target=module1" statusCallback="http://cb.example.com/s">+155542</Number>',
    '  <Client statusCallback="controller?target=module1">bob</Client>',
    '  <Sip>sip:carol@example.com</Sip>',
    '  <Conference beep="false" muted="true" endConferenceOnExit="true" startConferenceOnEnter="false" maxParticipants="5" waitUrl="http://127.0.0.1:8080/visual-designer/services/apps/AP0123456789abcdef0123456789abcdef/controller?target=module1" waitMethod="GET">room42</Conference>',
    '</Dial>',
  ));
  assert.equal(await rcmlOf([{ kind: 'dial', method: 'GET', dialNouns: [{ dialType: 'client', destination: 'bob' }] }]),
    doc('<Dial>', '  <Client>bob</Client>', '</Dial>'));
});

test('record: action with next, attributes in RVD order', async () => {
  assert.equal(await rcmlOf([{ kind: 'record', next: 'module1', method: 'GET', timeout: 4, finishOnKey: '#*', maxLength: 60, transcribe: false, playBeep: true, media: 'audio_only' }], {}, [next]),
    doc('<Record action="controller?target=start.step1.actionhandler" method="GET" timeout="4" finishOnKey="#*" maxLength="60" transcribe="false" playBeep="true"/>'));
});

test('redirect: a URL (expanded) wins; otherwise the module with the carried variables', async () => {
  assert.equal(await rcmlOf([{ kind: 'redirect', url: 'http://apps.example.com/$app.xml', method: 'GET' }, { kind: 'redirect', next: 'module1' }], { app: 'menu', sticky_lang: 'fr' }, [next]),
    doc('<Redirect method="GET">http://apps.example.com/menu.xml</Redirect>', '<Redirect>controller?target=module1&amp;sticky_lang=fr</Redirect>'));
});

test('sms and email: text and addresses expanded, action with next; empty to/from of an SMS left out', async () => {
  assert.equal(await rcmlOf([
    { kind: 'sms', text: 'Hi $core_From', to: '', from: '', next: 'module1', method: 'POST', statusCallback: 'http://cb/s' },
    { kind: 'email', text: 'Body', to: 'a@example.com', from: 'b@example.com', subject: 'Call from $core_From', cc: 'c@example.com', next: 'module1' },
  ], { From: '+1555' }, [next]), doc(
    '<Sms statusCallback="http://cb/s" method="POST" action="controller?target=start.step1.actionhandler">Hi +1555</Sms>',
    '<Email to="a@example.com" from="b@example.com" cc="c@example.com" subject="Call from +1555" action="controller?target=start.step2.actionhandler">Body</Email>',
  ));
});

test('fax renders as RVD does', async () => {
  assert.equal(await rcmlOf([{ kind: 'fax', text: 'http://docs/x.pdf', to: '+1555' }]), doc('<Fax to="+1555">http://docs/x.pdf</Fax>'));
});

test('log, control and externalService produce no RCML; log writes a LOG line with the message expanded', async () => {
  const r = await run(project([['start', 'Welcome', [{ kind: 'log', message: 'caller $core_From' }, { kind: 'control' }, { kind: 'say', phrase: 'ok' }]]]), { From: 'alice' });
  assert.equal(r.rcml, doc('<Say>ok</Say>'));
  assert.deepEqual(r.log, ['|Running target: start', 'LOG|caller alice']);
});

test('ussd steps: UssdMessage, Language, UssdCollect with its handle action', async () => {
  const state = project([['start', 'Welcome', [
    { kind: 'ussdLanguage', language: 'fr' },
    { kind: 'ussdSay', text: 'Bonjour $core_From' },
    { kind: 'ussdCollect', gatherType: 'menu', messages: [{ text: '1 for news' }], menu: { mappings: [{ digits: '1', next: 'module1' }] } },
  ]], ['module1', 'News', [{ kind: 'ussdSay', text: 'No news' }]]], 'ussd');
  const r = await run(state, { From: 'alice' });
  assert.equal(r.rcml, doc('<Language>fr</Language>', '<UssdMessage>Bonjour alice</UssdMessage>', '<UssdCollect action="controller?target=start.step3.handle">', '  <UssdMessage>1 for news</UssdMessage>', '</UssdCollect>'));
  assert.equal((await run(state, { target: 'start.step3.handle', Digits: '1' })).rcml, doc('<UssdMessage>No news</UssdMessage>'));
  assert.match((await run(state, { target: 'start.step3.handle', Digits: '7' })).rcml, /^<Response>\n {2}<UssdCollect/);
});

test('an empty module renders an empty document; rendering starts at the step a target names', async () => {
  const state = project([['start', 'Welcome', [{ kind: 'say', phrase: 'one' }, { kind: 'say', phrase: 'two' }]], ['module1', 'Empty', []]]);
  assert.equal((await run(state, { target: 'module1' })).rcml, '<Response/>');
  assert.equal((await run(state, { target: 'start.step2' })).rcml, doc('<Say>two</Say>'));
});

test('loggingRCML writes the document raw with the RCML tag', async () => {
  const r = await run(project([['start', 'Welcome', [{ kind: 'hungup' }]]]), {}, { settings: { logging: true, loggingRCML: true } });
  assert.deepEqual(r.log, ['|Running target: start', `RCML|raw:${doc('<Hangup/>')}`]);
  const off = await run(project([['start', 'Welcome', [{ kind: 'hungup' }]]]), {}, { settings: { logging: false, loggingRCML: true } });
  assert.deepEqual(off.log, []);
});
