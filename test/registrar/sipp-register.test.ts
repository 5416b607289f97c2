import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { ManualClock } from '../support/clock.js';
import { freePort } from '../support/net.js';
import { runSipp } from '../support/sipp.js';
import { startRegistrarNode, type RegistrarNode } from '../support/registrar-node.js';

const scenario = (name: string): { file: string } => ({ file: fileURLToPath(new URL(`./scenarios/${name}.xml`, import.meta.url)) });

let node: RegistrarNode;
const clock = new ManualClock();

before(async () => {
  node = await startRegistrarNode(clock, { expiry: { minSeconds: 1 } });
  await node.addClient('alice', '1234');
  await node.addClient('dora', '1234', { status: 0 });
});
after(async () => {
  await node.close();
});

async function register(name: string, user: string, password: string, expires: number, localPort?: number, transport: 'udp' | 'tcp' = 'udp') {
  return runSipp({
    ...(localPort === undefined ? {} : { localPort }),
    ...(transport === 'tcp' ? { extraArgs: ['-t', 't1'] } : {}),
    scenario: scenario(name), remote: `127.0.0.1:${transport === 'tcp' ? node.tcpPort : node.port}`, service: user, auth: { user, password },
    vars: { expires: String(expires) }, name: `reg-${name}-${user}`, deadlineMs: 15_000,
  });
}

test('right password: 200 with the Contact, binding stored with the source address', async () => {
  const r = await register('register-ok', 'alice', '1234', 600);
  assert.equal(r.exitCode, 0, r.errors || r.output);
  assert.match(r.messages, /SIP\/2\.0 401 Unauthorized[\s\S]*WWW-Authenticate: Digest realm="127\.0\.0\.1", nonce="[^"]+", opaque="[^"]+", algorithm=MD5, qop="auth"/);
  assert.match(r.messages, /SIP\/2\.0 200 OK[\s\S]*Contact: <sip:alice@127\.0\.0\.1:\d+>;expires=600/);
  const bindings = await node.registrar.lookup('alice');
  assert.equal(bindings.length, 1);
  assert.match(bindings[0]?.target ?? '', /^sip:alice@127\.0\.0\.1:\d+$/);
  assert.equal(bindings[0]?.userAgent, 'SIPp registrar test');
  const rows = await node.store.db.selectFrom('registrations').selectAll().where('login', '=', 'alice').execute();
  assert.equal(rows.length, 1);
  assert.equal(rows[0]?.aor, 'sip:alice@127.0.0.1');
});

test('over TCP: the binding records TCP and unregister removes it', async () => {
  const localPort = await freePort();
  const on = await register('register-ok', 'alice', '1234', 600, localPort, 'tcp');
  assert.equal(on.exitCode, 0, on.errors || on.output);
  assert.match(on.messages, /Via: SIP\/2\.0\/TCP/);
  const binding = (await node.registrar.lookup('alice')).find((b) => b.contactUri === `sip:alice@127.0.0.1:${localPort}`);
  assert.equal(binding?.transport, 'TCP');
  const off = await register('unregister', 'alice', '1234', 0, localPort, 'tcp');
  assert.equal(off.exitCode, 0, off.errors || off.output);
  assert.equal((await node.registrar.lookup('alice')).some((b) => b.contactUri === `sip:alice@127.0.0.1:${localPort}`), false);
});

test('a refresh in the same Call-ID with a higher CSeq updates the binding instead of adding one', async () => {
  const localPort = await freePort();
  const r = await runSipp({
    localPort, scenario: scenario('register-refresh'), remote: `127.0.0.1:${node.port}`, service: 'alice', auth: { user: 'alice', password: '1234' },
    vars: { expires: '600', refresh: '1200' }, name: 'reg-refresh', deadlineMs: 15_000,
  });
  assert.equal(r.exitCode, 0, r.errors || r.output);
  assert.match(r.messages, new RegExp(`CSeq: 4 REGISTER[\\s\\S]*Contact: <sip:alice@127\\.0\\.0\\.1:${localPort}>;expires=1200`));
  const rows = await node.store.db.selectFrom('registrations').selectAll().where('contact_uri', '=', `sip:alice@127.0.0.1:${localPort}`).execute();
  assert.equal(rows.length, 1);
  assert.equal(rows[0]?.cseq, 4);
});

test('unregister with Expires: 0 removes the binding', async () => {
  const localPort = await freePort();
  const contact = `sip:alice@127.0.0.1:${localPort}`;
  const on = await register('register-ok', 'alice', '1234', 600, localPort);
  assert.equal(on.exitCode, 0, on.errors || on.output);
  assert.equal((await node.registrar.lookup('alice')).some((b) => b.contactUri === contact), true);
  const off = await register('unregister', 'alice', '1234', 0, localPort);
  assert.equal(off.exitCode, 0, off.errors || off.output);
  assert.equal((await node.registrar.lookup('alice')).some((b) => b.contactUri === contact), false);
});

test('wrong password and unknown user both get 403 after the challenge', async () => {
  const wrong = await register('register-forbidden', 'alice', 'nope', 600);
  assert.equal(wrong.exitCode, 0, wrong.errors || wrong.output);
  assert.match(wrong.messages, /SIP\/2\.0 403 Forbidden/);
  const unknown = await register('register-forbidden', 'zed', '1234', 600);
  assert.equal(unknown.exitCode, 0, unknown.errors || unknown.output);
  const disabled = await register('register-forbidden', 'dora', '1234', 600);
  assert.equal(disabled.exitCode, 0, disabled.errors || disabled.output);
  assert.deepEqual(await node.registrar.lookup('zed'), []);
  assert.deepEqual(await node.registrar.lookup('dora'), []);
});

test('a short registration disappears when it expires', async () => {
  const r = await register('register-ok', 'alice', '1234', 2);
  assert.equal(r.exitCode, 0, r.errors || r.output);
  const port = /Contact: <sip:alice@127\.0\.0\.1:(\d+)>;expires=2/.exec(r.messages)?.[1];
  assert.ok(port, 'the 200 lists the short binding');
  const hasShort = async () => (await node.store.db.selectFrom('registrations').select('sid').where('contact_uri', 'like', `%:${port}`).execute()).length;
  assert.equal(await hasShort(), 1);
  clock.advance(1_500);
  await new Promise((res) => setTimeout(res, 50));
  assert.equal(await hasShort(), 1, 'not removed before it expires');
  // The sweep is asynchronous (it reads the store), so the manual clock moves in steps while it settles.
  for (let i = 0; i < 50 && (await hasShort()) > 0; i++) {
    clock.advance(100);
    await new Promise((res) => setTimeout(res, 20));
  }
  assert.equal(await hasShort(), 0);
});
