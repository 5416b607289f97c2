import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { AppServer, xml } from '../rcml/app-server.js';
import { startCallNode, waitFor, type CallNode } from '../calls/harness.js';
import { readWav, toneDuration } from '../support/audio.js';
import { makeRunDir, stopAll } from '../support/process.js';
import { runSipp } from '../support/sipp.js';
import { baresipCalls, toneFile } from './harness.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'media');

const CALLER_TONE = 600;
const BEEP = 1000;

let n: CallNode;
let app: AppServer;

before(async () => {
  app = await AppServer.start({
    '/record': xml('<Response><Record maxLength="3" playBeep="true" action="/after"/></Response>'),
    '/after': xml('<Response><Hangup/></Response>'),
    '/record-key': xml('<Response><Record maxLength="20" timeout="10" finishOnKey="#" action="/after-key"/></Response>'),
    '/after-key': xml('<Response><Hangup/></Response>'),
    '/record-long': xml('<Response><Record maxLength="20" timeout="10" action="/after-hangup"/></Response>'),
    '/after-hangup': xml('<Response><Hangup/></Response>'),
  });
  n = await startCallNode();
  await n.addNumber('+15551301', `${app.base}/record`);
  await n.addNumber('+15551302', `${app.base}/record-key`);
  await n.addNumber('+15551303', `${app.base}/record-long`);
});

after(async () => {
  await stopAll();
  await n.stop();
  await app.close();
});

test('Record: the caller hears the beep, the action gets a 3 s recording whose .wav (no auth) holds the caller\'s tone', async (t) => {
  const alice = await baresipCalls(n, '+15551301', toneFile(CALLER_TONE, 30_000));
  const action = (await waitFor('the Record action', () => app.to('/after')[0], 15_000)).form;
  await alice.terminated(0, 10_000);

  const heard = readWav(alice.lastDump().received).samples;
  const beepMs = toneDuration(heard, BEEP);
  t.diagnostic(`caller heard ${beepMs} ms of beep`);
  assert.ok(beepMs >= 180 && beepMs <= 320, `caller heard ${beepMs} ms of the ${BEEP} Hz beep`);

  const duration = Number(action.get('RecordingDuration'));
  assert.ok(duration >= 2 && duration <= 3, `RecordingDuration=${action.get('RecordingDuration')}`);
  const url = action.get('RecordingUrl') ?? '';
  assert.match(url, new RegExp(`^http://127\\.0\\.0\\.1:${n.node.httpPort}/restcomm/2012-04-24/Accounts/AC[0-9a-f]{32}/Recordings/RE[0-9a-f]{32}\\.wav$`));
  const res = await fetch(url);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /audio\/(x-)?wav/);
  const file = join(makeRunDir('recording'), 'recording.wav');
  writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  const recorded = readWav(file);
  const toneMs = toneDuration(recorded.samples, CALLER_TONE, recorded.sampleRate);
  t.diagnostic(`recording: ${recorded.samples.length / recorded.sampleRate} s, ${toneMs} ms of ${CALLER_TONE} Hz`);
  assert.ok(toneMs >= 2500 && toneMs <= 3000, `recording holds ${toneMs} ms of the caller's ${CALLER_TONE} Hz tone`);
  assert.equal(toneDuration(recorded.samples, BEEP, recorded.sampleRate), 0, 'the beep is not part of the recording');

  await n.waitIdle();
  const row = await n.node.store.db.selectFrom('recordings').selectAll().where('call_sid', '=', action.get('CallSid') ?? '').executeTakeFirst();
  assert.equal(row?.duration, duration);
});

test('Record finishOnKey="#": a PCMA caller talks, presses # (RFC 4733); the action gets Digits=# and the talk\'s length', async () => {
  const alice = await runSipp({ scenario: { file: join(FIXTURES, 'uac-talk-pound.xml') }, remote: n.remote, service: '+15551302', name: 'alice-talk-pound' });
  assert.equal(alice.failed, 0, alice.errors || alice.output);
  const action = (await waitFor('the Record action', () => app.to('/after-key')[0])).form;
  assert.equal(action.get('Digits'), '#');
  const duration = Number(action.get('RecordingDuration'));
  assert.ok(duration >= 2 && duration <= 4, `RecordingDuration=${action.get('RecordingDuration')}`);
  assert.match(action.get('RecordingUrl') ?? '', /\/Recordings\/RE[0-9a-f]{32}\.wav$/);
});

test('Record, the caller hangs up after about 2 s: the action still gets the recording, with Digits=hangup', async () => {
  const alice = await baresipCalls(n, '+15551303', toneFile(CALLER_TONE, 30_000));
  await new Promise((r) => setTimeout(r, 2500));
  await alice.hangup();
  const action = (await waitFor('the Record action', () => app.to('/after-hangup')[0])).form;
  assert.equal(action.get('Digits'), 'hangup');
  const duration = Number(action.get('RecordingDuration'));
  assert.ok(duration >= 1 && duration <= 3, `RecordingDuration=${action.get('RecordingDuration')}`);
  assert.match(action.get('RecordingUrl') ?? '', /\/Recordings\/RE[0-9a-f]{32}\.wav$/);
  await n.waitIdle();
  const call = (await n.calls()).find((c) => c.sid === action.get('CallSid'));
  assert.equal(call?.status, 'completed');
});
