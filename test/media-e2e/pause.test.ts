import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { AppServer, xml } from '../rcml/app-server.js';
import { startCallNode, type CallNode } from '../calls/harness.js';
import { stopAll } from '../support/process.js';
import { runSipp } from '../support/sipp.js';
import { sipTimeline } from './harness.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'media');

let n: CallNode;
let app: AppServer;

before(async () => {
  app = await AppServer.start({
    '/pause-first': xml('<Response><Pause length="3"/><Say>Thanks for waiting.</Say><Hangup/></Response>'),
  });
  n = await startCallNode();
  await n.addNumber('+15551401', `${app.base}/pause-first`);
});

after(async () => {
  await stopAll();
  await n.stop();
  await app.close();
});

test('Pause as the first verb keeps the call ringing: 180, then 200 only after the pause', async (t) => {
  const alice = await runSipp({ scenario: { file: join(FIXTURES, 'uac-silent.xml') }, remote: n.remote, service: '+15551401', recvTimeoutMs: 10_000, name: 'alice-pause' });
  assert.equal(alice.failed, 0, alice.errors || alice.output);
  const timeline = sipTimeline(alice.messages).filter((e) => e.direction === 'received' || e.line.startsWith('INVITE'));
  const invite = timeline.find((e) => e.line.startsWith('INVITE'));
  const ringing = timeline.find((e) => e.line === 'SIP/2.0 180 Ringing');
  const ok = timeline.find((e) => e.line.startsWith('SIP/2.0 200'));
  assert.ok(invite && ringing && ok, timeline.map((e) => e.line).join('\n'));
  assert.deepEqual(timeline.filter((e) => e.line.startsWith('SIP/2.0 1') || e.line.startsWith('SIP/2.0 2')).map((e) => e.line.slice(8, 11)).filter((c) => c !== '100'), ['180', '200']);
  const waited = ok.at - invite.at;
  t.diagnostic(`200 OK ${waited} ms after the INVITE (Pause length=3)`);
  assert.ok(waited >= 2500, `200 OK came ${waited} ms after the INVITE`);
  await n.waitIdle();
  const [call] = await n.calls();
  assert.equal(call?.status, 'completed');
});
