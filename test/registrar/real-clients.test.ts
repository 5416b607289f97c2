import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { buildConfig } from '../../src/config.js';
import { startNode, type RunningNode } from '../../src/node.js';
import { ADMIN_ACCOUNT_SID } from '../../src/store/sid.js';
import { Baresip } from '../support/baresip.js';
import { Linphone } from '../support/linphone.js';
import { freePortRange } from '../support/net.js';

const ADMIN_PASSWORD = 'Adm1n-Passw0rd!';
const CLIENT_PASSWORD = 'Cl1ent-Secret!';
const WAIT_MS = 10_000;

let node: RunningNode;

before(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dialtone-real-clients-'));
  const rtp = await freePortRange(20);
  const config = buildConfig({
    SIP_BIND: '127.0.0.1', SIP_PORT: '0', HTTP_BIND: '127.0.0.1', HTTP_PORT: '0', DATA_DIR: dir, SIP_DOMAIN: '127.0.0.1',
    RTP_PORTS: `${rtp}-${rtp + 19}`, ADMIN_PASSWORD,
  });
  node = await startNode(config, pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }));
  for (const login of ['alice', 'bob', 'carol']) await createClient(login, CLIENT_PASSWORD);
});
after(async () => {
  await node.stop();
});

async function createClient(login: string, password: string): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${node.httpPort}/restcomm/2012-04-24/Accounts/${ADMIN_ACCOUNT_SID}/Clients.json`, {
    method: 'POST',
    headers: {
      authorization: 'Basic ' + Buffer.from(`${ADMIN_ACCOUNT_SID}:${ADMIN_PASSWORD}`).toString('base64'),
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ Login: login, Password: password }).toString(),
  });
  assert.equal(res.status, 200, await res.text());
}

/** Polls the registrar until `check` holds for the login's bindings (the client's un-REGISTER is asynchronous). */
async function bindingsUntil(login: string, check: (n: number) => boolean): Promise<number> {
  const deadline = Date.now() + WAIT_MS;
  let n = (await node.registrar.lookup(login)).length;
  while (!check(n) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    n = (await node.registrar.lookup(login)).length;
  }
  return n;
}

test('linphonec registers (binding stored with its source address), then unregisters on quit', async () => {
  const alice = await Linphone.start({ user: 'alice', registrar: { host: '127.0.0.1', port: node.sipPort, user: 'alice', password: CLIENT_PASSWORD, expires: 600 } });
  try {
    await alice.register();
    const [binding, ...others] = await node.registrar.lookup('alice');
    assert.equal(others.length, 0);
    assert.equal(binding?.transport, 'UDP');
    assert.equal(binding?.target, `sip:alice@127.0.0.1:${alice.sipPort};transport=udp`);
    assert.match(binding?.userAgent ?? '', /Linphone/i);
    assert.ok((binding?.expiresAt.getTime() ?? 0) - Date.now() > 500_000, 'expires in about 600 s');
    const rows = await node.store.db.selectFrom('registrations').selectAll().where('login', '=', 'alice').execute();
    assert.equal(rows[0]?.aor, 'sip:alice@127.0.0.1');
  } finally {
    // linphonec's `unregister` command only prints "unregistered" and sends nothing (5.1.65); `quit` sends Expires: 0.
    await alice.stop();
  }
  assert.equal(await bindingsUntil('alice', (n) => n === 0), 0, 'quit unregisters');
});

test('linphonec with a wrong password gets no binding, and the node still serves', async () => {
  const bad = await Linphone.start({ user: 'carol', registrar: { host: '127.0.0.1', port: node.sipPort, user: 'carol', password: 'Wrong-Passw0rd!' } });
  try {
    await assert.rejects(bad.register(), /registration failed/);
    assert.deepEqual(await node.registrar.lookup('carol'), []);
  } finally {
    await bad.stop();
  }
  const good = await Linphone.start({ user: 'carol', registrar: { host: '127.0.0.1', port: node.sipPort, user: 'carol', password: CLIENT_PASSWORD } });
  try {
    await good.register();
    assert.equal((await node.registrar.lookup('carol')).length, 1);
  } finally {
    await good.stop();
  }
  assert.equal(await bindingsUntil('carol', (n) => n === 0), 0, 'quit unregisters');
});

test('baresip registers, shows OK in /reginfo, then unregisters on /quit', async () => {
  const bob = await Baresip.start({ user: 'bob', registrar: { host: '127.0.0.1', port: node.sipPort, password: CLIENT_PASSWORD, regint: 600 } });
  try {
    await bob.register();
    assert.match(await bob.reginfo(), /sip:bob@127\.0\.0\.1:\d+ +OK/);
    const [binding, ...others] = await node.registrar.lookup('bob');
    assert.equal(others.length, 0);
    assert.equal(binding?.transport, 'UDP');
    // baresip puts a per-account suffix in its Contact user ("bob-0x55e19a2e24a0"); only the AoR says "bob".
    assert.match(binding?.contactUri ?? '', /^sip:bob-0x[0-9a-f]+@127\.0\.0\.1:\d+/);
    assert.match(binding?.userAgent ?? '', /baresip/i);
  } finally {
    // baresip 1.0.0 has no /uareg; /quit un-REGISTERs (Expires: 0) and waits for the answer.
    await bob.stop();
  }
  assert.equal(await bindingsUntil('bob', (n) => n === 0), 0, 'quit unregisters');
});
