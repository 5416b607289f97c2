import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SMS_APP } from '../../src/rcml/app-kinds.js';
import { interpretResponse, parseRcml, RcmlParseError } from '../../src/rcml/parse.js';
import type { DialVerb, GatherVerb, RecordVerb } from '../../src/rcml/verbs.js';

function only<T>(xml: string): T {
  const { verbs } = parseRcml(xml);
  assert.equal(verbs.length, 1);
  return verbs[0] as T;
}

function parseError(xml: string): RcmlParseError {
  try {
    parseRcml(xml);
  } catch (err) {
    assert.ok(err instanceof RcmlParseError, String(err));
    return err;
  }
  assert.fail('expected RcmlParseError');
}

test('Dial defaults and nouns with their attributes', () => {
  const d = only<DialVerb>(`<Response>
  <Dial>
    <Number sendDigits="ww12#" statusCallback="/cb">+1 555 0100?X-A=1&amp;X-B=two%20words</Number>
    <Client>alice</Client>
    <Sip username="u" password="p" statusCallbackEvent="initiated,  answered">sip:bob@example.com;transport=tcp?Foo=bar&amp;X-Baz=1</Sip>
  </Dial>
</Response>`);
  assert.deepEqual(
    { action: d.action, method: d.method, timeout: d.timeout, timeLimit: d.timeLimit, callerId: d.callerId, record: d.record, hangupOnStar: d.hangupOnStar, line: d.line },
    { action: null, method: 'POST', timeout: 30, timeLimit: 14400, callerId: null, record: false, hangupOnStar: false, line: 2 },
  );
  assert.deepEqual(d.nouns[0], {
    kind: 'number', number: '+15550100', headers: { 'X-A': '1', 'X-B': 'two words' }, sendDigits: 'ww12#',
    url: null, method: 'POST', statusCallback: '/cb', statusCallbackMethod: 'POST',
    statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
  });
  assert.equal(d.nouns[1]?.kind, 'client');
  assert.deepEqual(d.nouns[2], {
    kind: 'sip', uri: 'sip:bob@example.com;transport=tcp', headers: { 'X-Foo': 'bar', 'X-Baz': '1' }, username: 'u', password: 'p',
    url: null, method: 'POST', statusCallback: null, statusCallbackMethod: 'POST', statusCallbackEvent: [],
  });
});

test('Dial attributes: valid values and Restcomm warnings keep defaults', () => {
  const ok = only<DialVerb>('<Response><Dial action="/a" method="get" timeout="10" timeLimit="60" callerId="+1999" record="true" hangupOnStar="true">123</Dial></Response>');
  assert.deepEqual([ok.action, ok.method, ok.timeout, ok.timeLimit, ok.callerId, ok.record, ok.hangupOnStar], ['/a', 'GET', 10, 60, '+1999', true, true]);
  const { verbs, warnings } = parseRcml('<Response>\n<Dial method="PUT" timeout="soon" timeLimit="-5">123</Dial></Response>');
  const d = verbs[0] as DialVerb;
  assert.deepEqual([d.method, d.timeout, d.timeLimit], ['POST', 30, 14400]);
  assert.deepEqual(warnings.map((w) => [w.code, w.line]), [[13210, 2], [13212, 2], [13216, 2]]);
  assert.match(warnings[1]?.message ?? '', /<Dial> attribute "timeout": "soon"/);
});

test('Dial text shortcut: @ → Sip, client → Client, else Number', () => {
  assert.deepEqual(only<DialVerb>('<Response><Dial>bob@10.0.0.1:5070</Dial></Response>').nouns[0]?.kind, 'sip');
  const sip = only<DialVerb>('<Response><Dial>bob@10.0.0.1:5070</Dial></Response>').nouns[0];
  assert.equal(sip?.kind === 'sip' && sip.uri, 'sip:bob@10.0.0.1:5070');
  const client = only<DialVerb>('<Response><Dial>client:alice</Dial></Response>').nouns[0];
  assert.equal(client?.kind === 'client' && client.login, 'alice');
  const num = only<DialVerb>('<Response><Dial> +131313 </Dial></Response>').nouns[0];
  assert.equal(num?.kind === 'number' && num.number, '+131313');
});

test('Dial Conference is parsed with its defaults', () => {
  const c = only<DialVerb>('<Response><Dial><Conference beep="false" maxParticipants="x">room1</Conference></Dial></Response>').nouns[0];
  assert.deepEqual(c, { kind: 'conference', name: 'room1', muted: false, beep: false, startConferenceOnEnter: true, endConferenceOnExit: false, waitUrl: null, waitMethod: 'POST', maxParticipants: 40 });
});

test('Dial errors name line, column, element and attribute', () => {
  const e1 = parseError('<Response>\n  <Dial><Say>hi</Say></Dial></Response>');
  assert.deepEqual([e1.line, e1.element], [2, 'Say']);
  assert.match(e1.message, /line 2, column \d+ <Say>: <Dial> may only contain/);
  const e2 = parseError('<Response><Dial></Dial></Response>');
  assert.match(e2.message, /<Dial>: nothing to dial/);
  const e3 = parseError('<Response><Dial><Number sendDigits="12x">1</Number></Dial></Response>');
  assert.deepEqual([e3.element, e3.attribute], ['Number', 'sendDigits']);
  assert.match(e3.message, /<Number> attribute "sendDigits"/);
  assert.match(parseError('<Response><Dial><Sip>bob</Sip></Dial></Response>').message, /"bob" is not a SIP URI/);
});

test('Hangup, Reject, Redirect, Pause, Play, Say with defaults', () => {
  const { verbs, warnings } = parseRcml(`<Response>
<Hangup/><Reject/><Reject reason="busy"/><Redirect>next.xml</Redirect><Pause/><Play>a.wav</Play><Play digits="1w2"/><Say>Hello</Say>
</Response>`);
  assert.deepEqual(verbs, [
    { verb: 'Hangup', line: 2 },
    { verb: 'Reject', line: 2, reason: 'rejected' },
    { verb: 'Reject', line: 2, reason: 'busy' },
    { verb: 'Redirect', line: 2, url: 'next.xml', method: 'POST' },
    { verb: 'Pause', line: 2, length: 1 },
    { verb: 'Play', line: 2, url: 'a.wav', loop: 1, digits: null },
    { verb: 'Play', line: 2, url: '', loop: 1, digits: '1w2' },
    { verb: 'Say', line: 2, text: 'Hello', voice: 'man', language: 'en', loop: 1 },
  ]);
  assert.deepEqual(warnings, []);
});

test('warning codes for Play, Say, Pause, Redirect', () => {
  const { verbs, warnings } = parseRcml(
    '<Response><Play loop="many">a.wav</Play><Say voice="robot" loop="-1" language="!!">x</Say><Pause length="1.5"/><Redirect method="DELETE">x</Redirect></Response>',
  );
  assert.deepEqual(warnings.map((w) => w.code), [13410, 13511, 13512, 13510, 13910, 13710]);
  assert.deepEqual(verbs.map((v) => ('loop' in v ? v.loop : 'length' in v ? v.length : v.verb === 'Redirect' ? v.method : null)), [1, 1, 1, 'POST']);
});

test('Gather with nested prompts, defaults and finishOnKey rules', () => {
  const g = only<GatherVerb>('<Response><Gather><Say>Press</Say><Play>b.wav</Play><Pause length="2"/></Gather></Response>');
  assert.deepEqual(
    [g.action, g.method, g.timeout, g.finishOnKey, g.numDigits, g.input, g.prompts.map((p) => p.verb)],
    [null, 'POST', 5, '#', null, ['dtmf'], ['Say', 'Play', 'Pause']],
  );
  // Dialtone follows the documented behaviour: an empty finishOnKey disables it.
  assert.equal(only<GatherVerb>('<Response><Gather finishOnKey=""/></Response>').finishOnKey, '');
  const { verbs, warnings } = parseRcml('<Response><Gather finishOnKey="A" numDigits="0" timeout="z" input="dtmf speech" action="/g" method="get"/></Response>');
  const bad = verbs[0] as GatherVerb;
  assert.deepEqual([bad.finishOnKey, bad.numDigits, bad.timeout, bad.input, bad.action, bad.method], ['#', null, 5, ['dtmf', 'speech'], '/g', 'GET']);
  assert.deepEqual(warnings.map((w) => w.code).sort(), [13310, 13313, 13314]);
  assert.match(parseError('<Response><Gather><Dial>1</Dial></Gather></Response>').message, /<Gather> may only contain Say, Play and Pause/);
  const hints = Array.from({ length: 51 }, (_, i) => `p${i}`).join(',');
  const e = parseError(`<Response><Gather hints="${hints}"/></Response>`);
  assert.deepEqual([e.element, e.attribute], ['Gather', 'hints']);
});

test('Record defaults and finishOnKey special values', () => {
  const r = only<RecordVerb>('<Response><Record/></Response>');
  assert.deepEqual([r.action, r.method, r.timeout, r.finishOnKey, r.maxLength, r.playBeep], [null, 'POST', 5, '1234567890*#', 3600, true]);
  assert.equal(only<RecordVerb>('<Response><Record finishOnKey="-1"/></Response>').finishOnKey, '');
  assert.equal(only<RecordVerb>('<Response><Record finishOnKey=""/></Response>').finishOnKey, '#');
  const { warnings } = parseRcml('<Response><Record method="x" maxLength="0" playBeep="maybe"/></Response>');
  assert.deepEqual(warnings.map((w) => w.code), [13610, 13612, 13614]);
});

test('Refer needs exactly one Sip', () => {
  const { verbs } = parseRcml('<Response><Refer action="/r"><Sip>sip:alice@example.com?Referred-By=x</Sip></Refer></Response>');
  assert.deepEqual(verbs[0], {
    verb: 'Refer', line: 1, action: '/r', method: 'POST',
    target: { kind: 'sip', uri: 'sip:alice@example.com', headers: { 'X-Referred-By': 'x' }, username: null, password: null, url: null, method: 'POST', statusCallback: null, statusCallbackMethod: 'POST', statusCallbackEvent: [] },
  });
  assert.match(parseError('<Response><Refer/></Response>').message, /<Refer>: <Refer> must contain exactly one <Sip>/);
});

test('bare ampersands are escaped; entities are kept', () => {
  const { verbs } = parseRcml('<Response><Redirect>http://x/a?b=1&c=2&amp;d=&#51;</Redirect></Response>');
  assert.equal(verbs[0]?.verb === 'Redirect' && verbs[0].url, 'http://x/a?b=1&c=2&d=3');
});

test('root not checked, verbs found inside unknown elements, unsupported verbs skipped with a warning', () => {
  const { verbs, warnings } = parseRcml('<Foo><Bar><Say>a</Say></Bar><Sms>hi</Sms><Hangup/></Foo>');
  assert.deepEqual(verbs.map((v) => v.verb), ['Say', 'Hangup']);
  assert.deepEqual(warnings.map((w) => w.code), [12200]);
});

test('an SMS app keeps only the verbs it can run (Redirect) and skips call verbs with 14110, naming line and verb', () => {
  const xml = '<Response>\n<Play>http://x/a.wav</Play>\n<Redirect method="GET">/next</Redirect>\n<Dial><Client>bob</Client></Dial>\n</Response>';
  const sms = parseRcml(xml, SMS_APP);
  assert.deepEqual(sms.verbs.map((v) => v.verb), ['Redirect']);
  assert.deepEqual(sms.warnings.map((w) => [w.code, w.line]), [[14110, 2], [14110, 4]]);
  assert.match(sms.warnings[0]?.message ?? '', /<Play> cannot run in an SMS reply/);
  assert.deepEqual(parseRcml('<Say>a</Say>', SMS_APP).verbs, []);
  const voice = parseRcml(xml);
  assert.deepEqual(voice.verbs.map((v) => v.verb), ['Play', 'Redirect', 'Dial']);
  assert.deepEqual(voice.warnings, []);
});

test('not well-formed XML names the position', () => {
  const e = parseError('<Response>\n<Say>hi</Sya>\n</Response>');
  assert.equal(e.line, 2);
  assert.equal(e.element, null);
  assert.match(e.message, /line 2, column \d+: not well-formed XML/);
  assert.match(parseError('').message, /not well-formed XML/);
  assert.match(parseError('hello').message, /not well-formed XML/);
});

test('content types: xml/html → RCML, audio → Play, text/plain → Say, others unsupported', () => {
  assert.equal(interpretResponse('text/html; charset=utf-8', '<Response><Hangup/></Response>', 'http://x/').kind, 'rcml');
  assert.deepEqual(interpretResponse('audio/x-wav', 'RIFF', 'http://x/a.wav'), { kind: 'play', url: 'http://x/a.wav' });
  assert.deepEqual(interpretResponse('text/plain', ' hello \n', 'http://x/'), { kind: 'say', text: 'hello' });
  assert.deepEqual(interpretResponse(null, '', 'http://x/'), { kind: 'unsupported', contentType: '' });
});
