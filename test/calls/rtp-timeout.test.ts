import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { RTP_TIMEOUT_CODE } from '../../src/calls/call-handle.js';
import { AppServer, xml } from '../rcml/app-server.js';
import { runSipp } from '../support/sipp.js';
import { stopAll } from '../support/process.js';
import { SCENARIOS, startCallNode, waitFor, type CallNode } from './harness.js';

let n: CallNode;
let app: AppServer;

before(async () => {
  app = await AppServer.start({ '/wait': xml('<Response><Gather timeout="60"/></Response>') });
  n = await startCallNode({ rtpTimeout: 2 });
  await n.addNumber('3001', `${app.base}/wait`);
});

after(async () => {
  await stopAll();
  await n.stop();
  await app.close();
});

test('a caller that answers, sends no RTP and never BYEs is hung up after the RTP timeout, with a completed CDR and a notification', async () => {
  // The app would wait 60 s for digits; SIPp waits at most 10 s for the BYE, so only the RTP timeout can end it.
  const r = await runSipp({ scenario: { file: join(SCENARIOS, 'uac-expect-bye.xml') }, remote: n.remote, service: '3001', name: 'alice-silent', recvTimeoutMs: 10_000 });
  assert.equal(r.failed, 0, r.errors || r.output);
  assert.match(r.messages, /BYE sip:/);
  const cdr = await waitFor('the CDR', async () => {
    const row = (await n.calls()).find((c) => c.recipient === '3001' && c.direction === 'inbound');
    return row && row.end_time !== null ? row : undefined;
  });
  assert.equal(cdr.status, 'completed');
  assert.ok(Number(cdr.duration) >= 2, `talked ${cdr.duration} s`);
  const codes = await waitFor('the RTP timeout notification', async () => {
    const all = await n.notificationCodes();
    return all.includes(RTP_TIMEOUT_CODE) ? all : undefined;
  });
  assert.deepEqual(codes.filter((c) => c === RTP_TIMEOUT_CODE), [RTP_TIMEOUT_CODE]);
  await n.waitIdle();
});
