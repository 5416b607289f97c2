import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { AppServer, xml } from '../rcml/app-server.js';
import { runSipp } from '../support/sipp.js';
import { stopAll } from '../support/process.js';
import { SCENARIOS, startCallNode, waitFor, type CallNode } from './harness.js';

let n: CallNode;
let app: AppServer;

before(async () => {
  app = await AppServer.start({ '/busy': xml('<Response><Reject reason="busy"/></Response>') });
  n = await startCallNode();
  await n.addClient('alice', 'alicepass');
  await n.addNumber('2001', `${app.base}/busy`);
});

after(async () => {
  await stopAll();
  await n.stop();
  await app.close();
});

test('an INVITE from a Client is challenged with 407, and runs once the credentials are right', async () => {
  const r = await runSipp({
    scenario: { file: join(SCENARIOS, 'uac-auth.xml') }, remote: n.remote, service: '2001', vars: { me: 'alice' },
    auth: { user: 'alice', password: 'alicepass' }, name: 'alice-auth',
  });
  assert.equal(r.failed, 0, r.errors || r.output);
  assert.match(r.messages, /SIP\/2\.0 407 Proxy Authentication Required[\s\S]*Proxy-Authenticate: Digest [^\r\n]*realm="127\.0\.0\.1"/);
  assert.match(r.messages, /SIP\/2\.0 486 Busy Here/);
  assert.equal(app.to('/busy')[0]?.form.get('From'), 'alice');
  await waitFor('the busy CDR', async () => ((await n.calls()).find((c) => c.status === 'busy') ? true : undefined));
  await n.waitIdle();
});

test('a Client INVITE with a wrong password gets 403 and no call', async () => {
  const r = await runSipp({
    scenario: { file: join(SCENARIOS, 'uac-auth.xml') }, remote: n.remote, service: '2001', vars: { me: 'alice' },
    auth: { user: 'alice', password: 'wrong' }, name: 'alice-wrong',
  });
  assert.match(r.messages, /SIP\/2\.0 403 Forbidden/);
  assert.equal(app.to('/busy').length, 1);
  await n.waitIdle();
});
