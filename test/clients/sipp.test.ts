import { createSocket } from 'node:dgram';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runSipp, startSippUas } from '../support/sipp.js';

test('a SIPp UAC completes one call against a SIPp UAS and the driver counts it', async () => {
  const uas = await startSippUas();
  const uac = await runSipp({ scenario: { builtin: 'uac' }, remote: `127.0.0.1:${uas.port}`, service: 'bob' });
  const server = await uas.result();

  assert.equal(uac.exitCode, 0, uac.output);
  assert.equal(uac.successful, 1);
  assert.equal(uac.failed, 0);
  assert.match(uac.messages, new RegExp(`^INVITE sip:bob@127\\.0\\.0\\.1:${uas.port} SIP/2\\.0`, 'm'));
  for (const line of [/^SIP\/2\.0 180 Ringing/m, /^SIP\/2\.0 200 OK/m, /^ACK sip:/m, /^BYE sip:/m]) assert.match(uac.messages, line);
  assert.equal(server.exitCode, 0, server.output);
  assert.equal(server.successful, 1);
  assert.equal(server.failed, 0);
});

test('a call to a port where nobody answers is reported as failed, not successful', async () => {
  const silent = await startSippUas({ scenario: { builtin: 'uas' } });
  await silent.stop();
  const uac = await runSipp({ scenario: { builtin: 'uac' }, remote: `127.0.0.1:${silent.port}`, recvTimeoutMs: 1000 });
  assert.equal(uac.exitCode, 1, uac.output);
  assert.equal(uac.successful, 0);
  assert.equal(uac.failed, 1);
  assert.match(uac.messages, /^INVITE sip:/m);
});

test('a UAS whose port is already taken by another program is reported, not mistaken for ready', async () => {
  const squatter = createSocket('udp4');
  const port = await new Promise<number>((resolve) => squatter.bind(0, '127.0.0.1', () => resolve(squatter.address().port)));
  try {
    await assert.rejects(startSippUas({ localPort: port }), (err: Error) => /exited before listening/.test(err.message) && /Unable to bind main socket/.test(err.message));
  } finally {
    squatter.close();
  }
});
