import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { RcmlInterpreter, type InterpreterOptions } from '../../src/rcml/interpreter.js';
import { createLogger } from '../../src/log.js';
import { ScriptedCall, type Scripts } from '../support/scripted-call.js';
import { AppServer, hang, xml } from './app-server.js';
import type { CallInfo } from '../../src/rcml/call-control.js';

const log = createLogger('silent');

const app = await AppServer.start({
  '/say': xml('<Response><Say>Hello</Say></Response>'),
  '/dial': xml('<Response><Dial action="/dial-done" timeout="10"><Number>+131313</Number></Dial><Say>not reached</Say></Response>'),
  '/dial-done': xml('<Response><Hangup/></Response>'),
  '/dial-no-action': xml('<Response><Dial>+131313</Dial><Say>after</Say></Response>'),
  '/loop': xml('<Response><Redirect method="GET">loop</Redirect></Response>'),
  '/gather': xml('<Response><Gather action="gathered" numDigits="3"><Say>Enter code</Say><Play>/beep.wav</Play></Gather><Say>no input</Say></Response>'),
  '/gathered': xml('<Response><Say>thanks</Say></Response>'),
  '/reject': xml('<Response><Reject reason="busy"/></Response>'),
  '/pause-first': xml('<Response><Pause length="2"/><Reject/><Say>x</Say></Response>'),
  '/warn': xml('<Response><Pause length="x"/></Response>'),
  '/record': xml('<Response><Record action="/recorded" maxLength="20"/></Response>'),
  '/recorded': xml('<Response/>'),
  '/refer': xml('<Response><Refer action="/referred"><Sip>sip:alice@127.0.0.1</Sip></Refer></Response>'),
  '/referred': xml('<Response><Hangup/></Response>'),
  '/broken': xml('<Response><Say>'),
  '/error': (_q, res) => res.writeHead(500).end(),
  '/hang': hang,
  '/text': (_q, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('plain words'),
});
after(() => app.close());

function interpreter(path: string, call: ScriptedCall, extra: Partial<InterpreterOptions> = {}): RcmlInterpreter {
  return new RcmlInterpreter({ call, url: `${app.base}${path}`, method: 'POST', instanceId: 'ID1', log, fetch: { timeoutMs: 5000 }, ...extra });
}

function scripted(scripts: Scripts = {}, info: Partial<CallInfo> = {}): ScriptedCall {
  return new ScriptedCall(scripts, info);
}

test('base parameters are sent and the verb runs after answering; end of document hangs up', async () => {
  const call = scripted();
  const end = await interpreter('/say', call, { extraParameters: { ReferTarget: 'alice' } }).run();
  assert.equal(end, 'hangup');
  assert.deepEqual(call.ops(), ['answer', 'say', 'hangup']);
  const form = Object.fromEntries(app.to('/say').at(-1)?.form ?? []);
  assert.deepEqual(form, {
    CallSid: 'CA00000000000000000000000000000001',
    InstanceId: 'ID1',
    AccountSid: 'AC00000000000000000000000000000001',
    From: 'bob',
    To: '1111',
    CallStatus: 'ringing',
    ApiVersion: '2012-04-24',
    Direction: 'inbound',
    CallerName: 'null',
    ForwardedFrom: 'null',
    CallTimestamp: '2024-01-02T03:04:05.000Z',
    'SipHeader_X-Custom': 'v1',
    ReferTarget: 'alice',
  });
});

test('Dial: spec passed to the call, action gets DialCallStatus/Sid/Duration/RingDuration and replaces the document', async () => {
  const call = scripted({
    dial: () => ({ status: 'busy', dialCallSid: 'CA2', callDuration: 0, ringDuration: 2, recordingUrl: null, publicRecordingUrl: null, sip: null }),
  });
  assert.equal(await interpreter('/dial', call).run(), 'hangup');
  assert.deepEqual(call.ops(), ['answer', 'dial', 'hangup']);
  const dial = call.actions[1];
  assert.ok(dial?.op === 'dial');
  assert.equal(dial.spec.timeout, 10);
  assert.equal(dial.spec.callerId, 'bob');
  assert.deepEqual(dial.spec.targets.map((t) => t.kind === 'number' && t.number), ['+131313']);
  const form = app.to('/dial-done').at(-1)?.form;
  assert.deepEqual(
    [form?.get('DialCallStatus'), form?.get('DialCallSid'), form?.get('DialCallDuration'), form?.get('DialRingDuration'), form?.get('CallStatus')],
    ['busy', 'CA2', '0', '2', 'in-progress'],
  );
});

test('Dial without action continues with the next verb', async () => {
  const call = scripted();
  await interpreter('/dial-no-action', call).run();
  assert.deepEqual(call.ops(), ['answer', 'dial', 'say', 'hangup']);
});

test('caller hangs up during Dial: action still reported with completed, nothing more runs', async () => {
  const before = app.to('/dial-done').length;
  const call = scripted({
    dial: (_s, c) => {
      c.callerHangup();
      return { status: 'canceled', dialCallSid: 'CA3', callDuration: 0, ringDuration: 1, recordingUrl: null, publicRecordingUrl: null, sip: null };
    },
  });
  assert.equal(await interpreter('/dial', call).run(), 'stopped');
  assert.deepEqual(call.ops(), ['answer', 'dial']);
  const reported = app.to('/dial-done').slice(before);
  assert.equal(reported.length, 1);
  assert.equal(reported[0]?.form.get('DialCallStatus'), 'completed');
});

test('Redirect loops are capped with a notification', async () => {
  const before = app.to('/loop').length;
  const call = scripted();
  assert.equal(await interpreter('/loop', call, { maxDocuments: 5 }).run(), 'failed');
  assert.equal(app.to('/loop').length - before, 5);
  assert.equal(app.to('/loop').at(-1)?.method, 'GET');
  assert.deepEqual(call.notifications.map((n) => [n.code, n.log]), [[11215, 0]]);
  assert.deepEqual(call.ops(), ['answer', 'hangup']);
});

test('Gather with digits requests the action with Digits; relative URLs resolve against the document', async () => {
  const call = scripted({ gather: () => ({ digits: '123', speechResult: null }) });
  await interpreter('/gather', call).run();
  assert.deepEqual(call.ops(), ['answer', 'gather', 'say', 'hangup']);
  const g = call.actions[1];
  assert.ok(g?.op === 'gather');
  assert.deepEqual([g.spec.numDigits, g.spec.finishOnKey, g.spec.timeout], [3, '#', 5]);
  assert.deepEqual(g.spec.prompts.map((p) => (p.verb === 'Play' ? p.url : p.verb)), ['Say', `${app.base}/beep.wav`]);
  assert.equal(app.to('/gathered').at(-1)?.form.get('Digits'), '123');
  const said = call.actions[2];
  assert.equal(said?.op === 'say' && said.text, 'thanks');
});

test('Gather without digits runs the next verb and requests nothing', async () => {
  const before = app.to('/gathered').length;
  const call = scripted();
  await interpreter('/gather', call).run();
  assert.equal(app.to('/gathered').length, before);
  const said = call.actions[2];
  assert.equal(said?.op === 'say' && said.text, 'no input');
});

test('Reject as first verb does not answer', async () => {
  const call = scripted();
  assert.equal(await interpreter('/reject', call).run(), 'rejected');
  assert.deepEqual(call.actions, [{ op: 'reject', reason: 'busy' }]);
});

test('Pause first waits unanswered (a Reject after it still rejects); a Reject after answering is ignored', async () => {
  const call = scripted();
  assert.equal(await interpreter('/pause-first', call).run(), 'rejected');
  assert.deepEqual(call.actions, [{ op: 'pause', seconds: 2 }, { op: 'reject', reason: 'rejected' }]);
  const inProgress = scripted({}, { status: 'in-progress' });
  await interpreter('/reject', inProgress).run();
  assert.deepEqual(inProgress.ops(), ['hangup']);
});

test('parse warnings become log=1 notifications', async () => {
  const call = scripted();
  await interpreter('/warn', call).run();
  assert.deepEqual(call.notifications.map((n) => [n.code, n.log]), [[13910, 1]]);
  assert.deepEqual(call.ops(), ['pause', 'hangup']);
});

test('Record action gets RecordingUrl, RecordingDuration and Digits', async () => {
  const call = scripted({ record: () => ({ recordingUrl: 'file:///r/RE1.wav', publicRecordingUrl: 'http://x/RE1.wav', duration: 4, digits: '#' }) });
  await interpreter('/record', call).run();
  const r = call.actions[1];
  assert.ok(r?.op === 'record');
  assert.equal(r.spec.maxLength, 20);
  const form = app.to('/recorded').at(-1)?.form;
  assert.deepEqual([form?.get('RecordingUrl'), form?.get('PublicRecordingUrl'), form?.get('RecordingDuration'), form?.get('Digits')], ['file:///r/RE1.wav', 'http://x/RE1.wav', '4', '#']);
});

test('Refer action gets ReferCallStatus and ReferSipResponseCode', async () => {
  const call = scripted({ refer: () => ({ status: 'completed', sipResponseCode: 200 }) });
  await interpreter('/refer', call, { extraParameters: {} }).run();
  const r = call.actions[1];
  assert.equal(r?.op === 'refer' && r.target.uri, 'sip:alice@127.0.0.1');
  const form = app.to('/referred').at(-1)?.form;
  assert.deepEqual([form?.get('ReferCallStatus'), form?.get('ReferSipResponseCode')], ['completed', '200']);
});

test('app failures: 404 → fail 404, 500 → fail 500 with the setup reason, parse error → its own reason', async () => {
  const nf = scripted();
  assert.equal(await interpreter('/missing', nf).run(), 'failed');
  assert.deepEqual(nf.actions, [{ op: 'fail', failure: { status: 404, reason: 'RCML application URL not found' } }]);
  assert.equal(nf.notifications[0]?.code, 21402);
  const err = scripted();
  await interpreter('/error', err).run();
  assert.deepEqual(err.actions, [{ op: 'fail', failure: { status: 500, reason: 'Problem to setup the call' } }]);
  const broken = scripted();
  await interpreter('/broken', broken).run();
  assert.deepEqual(broken.actions, [{ op: 'fail', failure: { status: 500, reason: 'Problem_to_parse_downloaded_RCML' } }]);
  assert.equal(broken.notifications[0]?.code, 12100);
});

test('fallback URL is used when the primary fails, with a notification for the primary', async () => {
  const call = scripted();
  await interpreter('/error', call, { fallback: { url: `${app.base}/say`, method: 'GET' } }).run();
  assert.deepEqual(call.ops(), ['answer', 'say', 'hangup']);
  assert.deepEqual(call.notifications.map((n) => n.code), [11200]);
});

test('text/plain app → Say of the body', async () => {
  const call = scripted();
  await interpreter('/text', call).run();
  const said = call.actions[1];
  assert.equal(said?.op === 'say' && said.text, 'plain words');
});

test('caller hangup while fetching aborts the request and ends cleanly', async () => {
  const call = scripted();
  const before = app.to('/hang').length;
  const running = interpreter('/hang', call).run();
  const deadline = Date.now() + 5000;
  while (app.to('/hang').length === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  call.callerHangup();
  assert.equal(await running, 'stopped');
  assert.deepEqual(call.actions, []);
  assert.deepEqual(call.notifications, []);
  while (app.aborted.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  assert.ok(app.aborted.includes('/hang'));
});
