import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { AppServer, xml } from '../rcml/app-server.js';
import { startCallNode, waitFor, type CallNode } from '../calls/harness.js';
import { toneSamples, writeWav } from '../support/audio.js';
import { makeRunDir, stopAll } from '../support/process.js';
import { runSipp } from '../support/sipp.js';
import { baresipCalls, silenceFile, toneFile, wavFile } from './harness.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'media');

let n: CallNode;
let app: AppServer;

before(async () => {
  app = await AppServer.start({
    // The prompt is far longer than the scenario: the first digit must cut it short and count.
    '/finish-key': (req, res) => xml(`<Response><Gather action="/got" finishOnKey="#" timeout="5"><Play>${app.base}/prompt.wav</Play></Gather><Redirect>/no-input</Redirect></Response>`)(req, res),
    '/prompt.wav': wavFile(toneFile(440, 20_000)),
    '/two-digits': xml('<Response><Gather action="/got" numDigits="2" timeout="5"/><Redirect>/no-input</Redirect></Response>'),
    '/timeout': xml('<Response><Gather action="/got" timeout="2"/><Redirect>/no-input</Redirect></Response>'),
    '/say-keypad': xml('<Response><Gather action="/got" timeout="5"><Say loop="0">Please enter your code, then press pound.</Say></Gather><Redirect>/no-input</Redirect></Response>'),
    '/got': xml('<Response><Hangup/></Response>'),
    '/no-input': xml('<Response><Hangup/></Response>'),
  });
  n = await startCallNode();
  await n.addNumber('+15551201', `${app.base}/finish-key`);
  await n.addNumber('+15551202', `${app.base}/two-digits`);
  await n.addNumber('+15551203', `${app.base}/timeout`);
  await n.addNumber('+15551204', `${app.base}/say-keypad`);
});

after(async () => {
  await stopAll();
  await n.stop();
  await app.close();
});

/** The Gather action of the call to `number`, by the CallSid the node sent. */
async function actionFor(number: string, path: string): Promise<URLSearchParams> {
  await n.waitIdle(15_000);
  const call = (await n.calls()).filter((c) => c.recipient === number).pop();
  assert.ok(call, `no CDR for ${number}`);
  const req = await waitFor(`${path} for ${number}`, () => app.to(path).find((r) => r.form.get('CallSid') === call.sid));
  return req.form;
}

test('Gather, RFC 4733: 1 (cutting the 20 s prompt short), 2, # from SIPp\'s pcaps → Digits=12, finishOnKey not included', async () => {
  const alice = await runSipp({ scenario: { file: join(FIXTURES, 'uac-rfc4733-12pound.xml') }, remote: n.remote, service: '+15551201', name: 'alice-4733' });
  assert.equal(alice.failed, 0, alice.errors || alice.output);
  const form = await actionFor('+15551201', '/got');
  assert.equal(form.get('Digits'), '12');
});

test('Gather, SIP INFO application/dtmf-relay: Signal=5, Signal=7 with numDigits=2 → Digits=57', async () => {
  const alice = await runSipp({ scenario: { file: join(FIXTURES, 'uac-info-57.xml') }, remote: n.remote, service: '+15551202', name: 'alice-info' });
  assert.equal(alice.failed, 0, alice.errors || alice.output);
  const form = await actionFor('+15551202', '/got');
  assert.equal(form.get('Digits'), '57');
});

/** DTMF key pairs (RFC 3551 / Q.23). */
const KEYS: Readonly<Record<string, readonly [number, number]>> = {
  '3': [697, 1477], '9': [852, 1477], '#': [941, 1477],
};

test('Gather, in-band: a caller whose microphone plays the tones 3, 9 → Digits=39 (numDigits=2)', async () => {
  const gap = new Int16Array(8000 * 0.2);
  const parts: Int16Array[] = [new Int16Array(8000 * 1.5)];
  for (const k of ['3', '9']) parts.push(toneSamples(KEYS[k]!, 150, 8000, 6000), gap);
  parts.push(new Int16Array(8000 * 25));
  const mic = new Int16Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) { mic.set(p, at); at += p.length; }
  const path = join(makeRunDir('dtmf-inband'), 'dtmf-39.wav');
  writeWav(path, mic, 8000);
  const alice = await baresipCalls(n, '+15551202', path);
  await alice.terminated(0, 15_000);
  const form = await actionFor('+15551202', '/got');
  assert.equal(form.get('Digits'), '39');
});

test('Gather with no input: after timeout the next verb runs and the action is not requested', async () => {
  const alice = await runSipp({ scenario: { file: join(FIXTURES, 'uac-silent.xml') }, remote: n.remote, service: '+15551203', name: 'alice-silent' });
  assert.equal(alice.failed, 0, alice.errors || alice.output);
  const form = await actionFor('+15551203', '/no-input');
  const call = form.get('CallSid');
  assert.equal(app.to('/got').filter((r) => r.form.get('CallSid') === call).length, 0);
});

test('Gather from a real phone\'s keypad: baresip keys 4, 2, # during a Say prompt → Digits=42', async () => {
  const alice = await baresipCalls(n, '+15551204', silenceFile());
  const mark = alice.process.mark();
  await alice.process.waitFor(/audio=\d+\/[1-9]\d*/, 10_000, mark);
  for (const key of ['4', '2', '#']) {
    alice.process.write(key);
    await new Promise((r) => setTimeout(r, 300));
  }
  await alice.terminated(0, 10_000);
  const form = await actionFor('+15551204', '/got');
  assert.equal(form.get('Digits'), '42');
});
