import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { Baresip } from '../support/baresip.js';
import { Linphone } from '../support/linphone.js';
import { startSippUas } from '../support/sipp.js';

const REGISTER_OK = fileURLToPath(new URL('../fixtures/sipp/register-ok.xml', import.meta.url));

test('linphonec registers with a registrar and the driver sees it registered', async () => {
  const registrar = await startSippUas({ scenario: { file: REGISTER_OK }, name: 'sipp-registrar' });
  const alice = await Linphone.start({ user: 'alice', registrar: { host: '127.0.0.1', port: registrar.port, user: 'alice', password: 'secret' } });
  try {
    await alice.register();
    const result = await registrar.result();
    assert.equal(result.successful, 1, result.output);
    assert.match(result.messages, new RegExp(`^REGISTER sip:127\\.0\\.0\\.1:${registrar.port} SIP/2\\.0`, 'm'));
    // linphonec drops the registrar's port from its identity (see /work/shared/clients/README.md).
    assert.match(result.messages, /^To: "alice" <sip:alice@127\.0\.0\.1>/m);
    assert.match(result.messages, new RegExp(`^Contact: "alice" <sip:alice@127\\.0\\.0\\.1:${alice.sipPort};transport=udp>`, 'm'));
  } finally {
    await Promise.all([alice.stop(), registrar.stop()]);
  }
});

test('baresip registers with a registrar and the driver sees it registered', async () => {
  const registrar = await startSippUas({ scenario: { file: REGISTER_OK }, name: 'sipp-registrar' });
  const bob = await Baresip.start({ user: 'bob', registrar: { host: '127.0.0.1', port: registrar.port, password: 'secret' } });
  try {
    await bob.register();
    const result = await registrar.result();
    assert.equal(result.successful, 1, result.output);
    assert.match(result.messages, new RegExp(`^REGISTER sip:127\\.0\\.0\\.1:${registrar.port};transport=udp SIP/2\\.0`, 'm'));
    assert.doesNotMatch(result.messages, /^Route:/m);
    assert.match(result.messages, new RegExp(`^To: <sip:bob@127\\.0\\.0\\.1:${registrar.port}>`, 'm'));
    assert.match(await bob.reginfo(), new RegExp(`> sip:bob@127\\.0\\.0\\.1:${registrar.port} +OK +Expires 300s`));
  } finally {
    await Promise.all([bob.stop(), registrar.stop()]);
  }
});

test('a registration nobody answers makes register() reject at its deadline instead of hanging', async () => {
  const registrar = await startSippUas({ name: 'sipp-silent' });
  await registrar.stop();
  const bob = await Baresip.start({ user: 'bob', registrar: { host: '127.0.0.1', port: registrar.port, password: 'secret' } });
  try {
    await assert.rejects(bob.register(3000), /did not print|registration failed/);
  } finally {
    await bob.stop();
  }
});
