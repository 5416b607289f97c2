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
  app = await AppServer.start({
    '/busy': xml('<Response><Reject reason="busy"/></Response>'),
    '/rejected': xml('<Response><Reject reason="rejected"/></Response>'),
    '/broken': (_req, res) => res.writeHead(500).end('oops'),
    '/fallback': xml('<Response><Reject reason="busy"/></Response>'),
    '/not-xml': xml('this is <not xml'),
    '/dial-nobody': xml('<Response><Dial action="/after"><Client>carol</Client></Dial></Response>'),
    '/after': xml('<Response><Reject/></Response>'),
    '/status': (_req, res) => res.writeHead(204).end(),
  });
  n = await startCallNode();
  await n.addClient('carol');
  await n.addNumber('1001', `${app.base}/busy`);
  await n.addNumber('1002', `${app.base}/rejected`);
  await n.addNumber('1003', `${app.base}/missing`);
  await n.addNumber('1004', `${app.base}/broken`, { fallbackUrl: `${app.base}/fallback` });
  await n.addNumber('1005', `${app.base}/not-xml`);
  await n.addNumber('1006', `${app.base}/dial-nobody`);
  await n.addNumber('1007', `${app.base}/busy`, { statusCallback: `${app.base}/status` });
});

after(async () => {
  await stopAll();
  await n.stop();
  await app.close();
});

async function call(number: string): Promise<{ status: number; reason: string; messages: string }> {
  const r = await runSipp({ scenario: { file: join(SCENARIOS, 'uac-fail.xml') }, remote: n.remote, service: number, name: `alice-${number}` });
  assert.equal(r.failed, 0, r.errors || r.output);
  const finals = [...r.messages.matchAll(/SIP\/2\.0 ([3-6]\d\d) ([^\r\n]*)/g)];
  const last = finals[finals.length - 1];
  assert.ok(last, r.messages);
  return { status: Number(last[1]), reason: last[2] ?? '', messages: r.messages };
}

async function cdrOf(number: string) {
  return waitFor(`the CDR of ${number}`, async () => {
    const row = (await n.calls()).find((c) => c.recipient === number && c.direction === 'inbound');
    return row && row.end_time !== null ? row : undefined;
  });
}

test('Reject busy → 486 and a busy CDR', async () => {
  assert.equal((await call('1001')).status, 486);
  assert.equal((await cdrOf('1001')).status, 'busy');
});

test('Reject rejected → 603', async () => {
  assert.equal((await call('1002')).status, 603);
  assert.equal((await cdrOf('1002')).status, 'busy');
});

test('the app URL answers 404 → 404 with a Reason, notification 21402', async () => {
  const r = await call('1003');
  assert.equal(r.status, 404);
  assert.match(r.messages, /Reason: SIP;cause=404;text="RCML application URL not found"/);
  assert.equal((await cdrOf('1003')).status, 'failed');
  assert.ok((await waitFor('notification 21402', async () => ((await n.notificationCodes()).includes(21402) ? true : undefined))));
});

test('the app answers 500 → the fallback URL runs', async () => {
  assert.equal((await call('1004')).status, 486);
  assert.ok(app.to('/fallback').length >= 1);
  assert.equal(app.to('/fallback')[0]?.form.get('To'), '1004');
});

test('RCML that is not XML → 500 Problem_to_parse_downloaded_RCML and a notification', async () => {
  const r = await call('1005');
  assert.equal(r.status, 500);
  assert.match(r.messages, /Reason: [^\r\n]*Problem_to_parse_downloaded_RCML/);
  assert.equal((await cdrOf('1005')).status, 'failed');
  await waitFor('notification 12100', async () => ((await n.notificationCodes()).includes(12100) ? true : undefined));
});

test('Dial to a client that is not registered → DialCallStatus failed, notification 11008', async () => {
  // Dial answers the call first (spec 1.2), so Alice gets a 200, then the node's BYE when the action's document ends.
  const r = await runSipp({ scenario: { file: join(SCENARIOS, 'uac-expect-bye.xml') }, remote: n.remote, service: '1006', name: 'alice-1006' });
  assert.equal(r.failed, 0, r.errors || r.output);
  const action = await waitFor('the Dial action', () => app.to('/after')[0]);
  assert.equal(action.form.get('DialCallStatus'), 'failed');
  assert.equal(action.form.get('DialCallSid'), 'null');
  await waitFor('notification 11008', async () => ((await n.notificationCodes()).includes(11008) ? true : undefined));
  assert.equal((await cdrOf('1006')).status, 'completed');
});

test('the number\'s status callback gets each status once, with the base parameters', async () => {
  assert.equal((await call('1007')).status, 486);
  await cdrOf('1007');
  await n.node.calls.flush();
  const seen = app.to('/status');
  // Sent in order, but over separate connections, so they may arrive in either order.
  assert.deepEqual(seen.map((s) => s.form.get('CallStatus')).sort(), ['busy', 'ringing']);
  assert.equal(seen[0]?.form.get('To'), '1007');
  assert.match(seen[0]?.form.get('CallSid') ?? '', /^ID[0-9a-f]{32}-CA[0-9a-f]{32}$/);
});

test('unknown number → 404; afterwards the node holds no call, dialog or media', async () => {
  assert.equal((await call('9999')).status, 404);
  await n.waitIdle();
});
