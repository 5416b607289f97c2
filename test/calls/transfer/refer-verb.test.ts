import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AppServer, xml } from '../../rcml/app-server.js';
import { Baresip } from '../../support/baresip.js';
import { stopAll } from '../../support/process.js';
import { startSippUas, type SippRun } from '../../support/sipp.js';
import { startCallNode, waitFor, type CallNode } from '../harness.js';

let n: CallNode;
let app: AppServer;
let carol: SippRun;

before(async () => {
  carol = await startSippUas({ name: 'carol-uas', recvTimeoutMs: 20_000 });
  app = await AppServer.start({
    '/refer-app': xml(`<Response><Refer action="/after-refer"><Sip>sip:carol@127.0.0.1:${carol.port}</Sip></Refer></Response>`),
    '/after-refer': xml('<Response><Hangup/></Response>'),
  });
  n = await startCallNode();
  await n.addNumber('+15559001', `${app.base}/refer-app`);
});

after(async () => {
  await stopAll();
  await n.stop();
  await app.close();
});

test('RCML <Refer>: the caller (baresip) is sent a REFER, calls Carol, and the action gets completed/200', async () => {
  const alice = await Baresip.start({ user: 'alice' });
  try {
    const mark = alice.process.mark();
    await alice.dial(`sip:+15559001@${n.remote}`);
    await alice.process.waitFor(/Call established: sip:carol@/, 15_000, mark);
    const action = await waitFor('the Refer action', () => app.to('/after-refer')[0], 15_000);
    assert.equal(action.form.get('ReferCallStatus'), 'completed');
    assert.equal(action.form.get('ReferSipResponseCode'), '200');
    await alice.hangup();
    const carolResult = await carol.result();
    assert.equal(carolResult.successful, 1, carolResult.errors || carolResult.output);
    assert.match(carolResult.messages, /^INVITE sip:carol@127\.0\.0\.1:\d+ SIP\/2\.0/m);
    await n.waitIdle();
  } finally {
    await alice.stop();
  }
});
