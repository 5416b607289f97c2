import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { AppServer, xml } from '../rcml/app-server.js';
import { runSipp, startSippUas } from '../support/sipp.js';
import { stopAll } from '../support/process.js';
import { SCENARIOS, startCallNode, waitFor, type CallNode } from './harness.js';

let n: CallNode;
let app: AppServer;

before(async () => {
  app = await AppServer.start({
    '/dial-bob': xml('<Response><Dial action="/after" timeout="3"><Client>bob</Client></Dial></Response>'),
    '/after': xml('<Response><Hangup/></Response>'),
  });
  n = await startCallNode();
  await n.addClient('bob');
  await n.addNumber('+15550001', `${app.base}/dial-bob`);
});

after(async () => {
  await stopAll();
  await n.stop();
  await app.close();
});

test('Alice calls a number whose app dials client bob; Alice hangs up; both CDRs completed', async () => {
  const bob = await startSippUas({ name: 'bob-uas' });
  await n.bind('bob', bob.port);
  const alice = await runSipp({ scenario: { builtin: 'uac' }, remote: n.remote, service: '+15550001', extraArgs: ['-d', '1500'], name: 'alice-uac' });
  assert.equal(alice.failed, 0, alice.errors || alice.output);
  assert.equal(alice.successful, 1);
  const bobResult = await bob.result();
  assert.equal(bobResult.successful, 1, bobResult.errors);
  assert.match(alice.messages, /SIP\/2.0 180 Ringing/);
  assert.match(bobResult.messages, /X-RestComm-CallSid: ID[0-9a-f]{32}-CA[0-9a-f]{32}/);

  const action = await waitFor('the Dial action', () => app.to('/after')[0]);
  assert.equal(action.form.get('DialCallStatus'), 'completed');
  await n.waitIdle();
  const calls = await n.calls();
  const inbound = calls.find((c) => c.direction === 'inbound');
  const leg = calls.find((c) => c.direction === 'outbound-dial');
  assert.ok(inbound && leg, JSON.stringify(calls));
  assert.equal(inbound.status, 'completed');
  assert.equal(inbound.recipient, '+15550001');
  assert.ok(inbound.phone_number_sid?.startsWith('PN'));
  assert.equal(leg.status, 'completed');
  assert.equal(leg.parent_call_sid, inbound.sid);
  assert.equal(leg.recipient, 'bob');
  assert.equal(action.form.get('DialCallSid'), leg.sid);
  assert.ok(inbound.end_time !== null && leg.end_time !== null);
});
