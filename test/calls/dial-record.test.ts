import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { AppServer, xml } from '../rcml/app-server.js';
import { baresipCalls, toneFile } from '../media-e2e/harness.js';
import { readWav, toneDuration } from '../support/audio.js';
import { Baresip } from '../support/baresip.js';
import { makeRunDir, stopAll } from '../support/process.js';
import { ACCOUNT, startCallNode, waitFor, type CallNode } from './harness.js';

const ALICE_TONE = 1000;
const BOB_TONE = 600;
const PASSWORD = 'Phone-Passw0rd!';
const ADMIN_AUTH = 'Basic ' + Buffer.from('administrator@company.com:Str0ng!Passw0rd#2026').toString('base64');
/** Both tones are mixed at the same level: each holds about half of a window's energy. */
const MIXED_SHARE = 0.25;

let n: CallNode;
let app: AppServer;
let bob: Baresip;

before(async () => {
  app = await AppServer.start({
    '/dial-record': xml('<Response><Dial action="/after" timeout="10" timeLimit="4" record="true"><Client>bob</Client></Dial></Response>'),
    '/dial-plain': xml('<Response><Dial action="/after" timeout="10" timeLimit="2"><Client>bob</Client></Dial></Response>'),
    '/after': xml('<Response><Hangup/></Response>'),
  });
  n = await startCallNode();
  await n.addClient('bob', PASSWORD);
  await n.addNumber('+15551801', `${app.base}/dial-record`);
  await n.addNumber('+15551802', `${app.base}/dial-plain`);
  const registrar = { host: '127.0.0.1', port: n.node.sipPort };
  bob = await Baresip.start({ user: 'bob', autoAnswer: true, playWav: toneFile(BOB_TONE, 30_000), registrar: { ...registrar, password: PASSWORD, regint: 600 } });
  await bob.register();
  await waitFor('bob registered', async () => ((await n.node.registrar.lookup('bob')).length ? true : undefined));
});

after(async () => {
  await stopAll();
  await n.stop();
  await app.close();
});

test('Dial record="true": the bridge is recorded with both parties, the action gets its URL, the file is public and listed on the call', async (t) => {
  const alice = await baresipCalls(n, '+15551801', toneFile(ALICE_TONE, 30_000));
  const action = (await waitFor('the Dial action', () => app.to('/after').find((r) => r.form.get('To') === '+15551801'), 20_000)).form;
  await alice.terminated(0, 10_000);
  await n.waitIdle();

  assert.equal(action.get('DialCallStatus'), 'completed');
  const url = action.get('RecordingUrl') ?? '';
  assert.match(url, new RegExp(`^http://127\\.0\\.0\\.1:${n.node.httpPort}/restcomm/2012-04-24/Accounts/${ACCOUNT}/Recordings/RE[0-9a-f]{32}\\.wav$`));
  assert.equal(action.get('PublicRecordingUrl'), url);

  const res = await fetch(url);
  assert.equal(res.status, 200, 'the recording is downloadable without credentials');
  const file = join(makeRunDir('dial-record'), 'bridge.wav');
  writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  const recorded = readWav(file);
  assert.equal(recorded.sampleRate, 8000);
  const figures = {
    seconds: recorded.samples.length / recorded.sampleRate,
    alice: toneDuration(recorded.samples, ALICE_TONE, 8000, MIXED_SHARE),
    bob: toneDuration(recorded.samples, BOB_TONE, 8000, MIXED_SHARE),
  };
  t.diagnostic(JSON.stringify(figures));
  assert.ok(figures.seconds >= 3 && figures.seconds <= 5, `recording lasts ${figures.seconds} s (timeLimit 4)`);
  assert.ok(figures.alice >= 2000, `recording holds ${figures.alice} ms of the caller's tone`);
  assert.ok(figures.bob >= 2000, `recording holds ${figures.bob} ms of the callee's tone`);

  const callSid = action.get('CallSid') ?? '';
  const row = await n.node.store.db.selectFrom('recordings').selectAll().where('call_sid', '=', callSid).executeTakeFirstOrThrow();
  assert.equal(row.account_sid, ACCOUNT);
  assert.ok(row.duration >= 3 && row.duration <= 5, `recordings.duration=${row.duration}`);
  assert.ok(url.endsWith(`/${row.sid}.wav`));

  const listed = await fetch(`http://127.0.0.1:${n.node.httpPort}/restcomm/2012-04-24/Accounts/${ACCOUNT}/Calls/${callSid}/Recordings.json`, { headers: { authorization: ADMIN_AUTH } });
  assert.equal(listed.status, 200);
  const body = (await listed.json()) as { sid: string; call_sid: string }[];
  assert.deepEqual(body.map((r) => [r.sid, r.call_sid]), [[row.sid, callSid]]);
  await alice.stop();
});

test('Dial without record: no RecordingUrl/PublicRecordingUrl parameters and no recording stored', async () => {
  const before = await n.node.store.db.selectFrom('recordings').select('sid').execute();
  const alice = await baresipCalls(n, '+15551802', toneFile(ALICE_TONE, 30_000), 'carol');
  const action = (await waitFor('the Dial action', () => app.to('/after').find((r) => r.form.get('To') === '+15551802'), 20_000)).form;
  await alice.terminated(0, 10_000);
  await n.waitIdle();
  assert.equal(action.get('DialCallStatus'), 'completed');
  assert.equal(action.has('RecordingUrl'), false);
  assert.equal(action.has('PublicRecordingUrl'), false);
  const after = await n.node.store.db.selectFrom('recordings').select('sid').execute();
  assert.equal(after.length, before.length);
  await alice.stop();
});
