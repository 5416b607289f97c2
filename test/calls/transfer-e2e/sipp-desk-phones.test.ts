import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { AppServer, xml } from '../../rcml/app-server.js';
import { runSipp, startSippUas } from '../../support/sipp.js';
import { stopAll } from '../../support/process.js';
import { assertOneAckPer2xx, parseSippTrace } from '../../support/sip-wire.js';
import { SCENARIOS, startCallNode, waitFor, type CallNode } from '../harness.js';
import { rcml, refers, setReferUrl, sipfrags } from './harness.js';

let n: CallNode;
let app: AppServer;

before(async () => {
  app = await AppServer.start({
    '/dial-bob': xml('<Response><Dial timeout="10"><Client>bob</Client></Dial></Response>'),
    '/refer': rcml((f) => `<Response><Dial timeout="10"><Client>${f.get('ReferTarget') ?? ''}</Client></Dial></Response>`),
  });
  n = await startCallNode();
  for (const login of ['bob', 'carol']) await n.addClient(login);
  const numberA = await n.addNumber('+15553001', `${app.base}/dial-bob`);
  await setReferUrl(n, numberA, `${app.base}/refer`);
});

after(async () => {
  await stopAll();
  await n.stop();
  await app.close();
});

/**
 * SIPp Alice (hangs up after 6 s) calls the number; SIPp desk-phone Bob answers the Dial and transfers to
 * SIPp Carol (answers, waits for BYE). Returns the three SIPp results.
 */
async function transferWith(scenario: string, name: string) {
  await n.node.store.db.deleteFrom('registrations').execute();
  const carol = await startSippUas({ name: `${name}-carol`, recvTimeoutMs: 20_000 });
  await n.bind('carol', carol.port);
  const bob = await startSippUas({ scenario: { file: join(SCENARIOS, scenario) }, vars: { target: `sip:carol@127.0.0.1:${n.node.sipPort}` }, name: `${name}-bob`, recvTimeoutMs: 20_000 });
  await n.bind('bob', bob.port);
  const alice = await runSipp({ scenario: { builtin: 'uac' }, remote: n.remote, service: '+15553001', extraArgs: ['-d', '6000'], recvTimeoutMs: 20_000, name: `${name}-alice` });
  return { alice, bob: await bob.result(), carol: await carol.result() };
}

for (const [scenario, label] of [
  ['transfer-referred-by.xml', 'Yealink-style REFER with Referred-By and a display name in Refer-To'],
  ['transfer-bye-after-202.xml', 'a phone that sends BYE right after the 202'],
  ['transfer-norefersub.xml', 'Refer-Sub: false'],
] as const) {
  test(`SIPp desk phone through a real Dial: ${label}; alice ends up with carol`, async () => {
    const before = (await refers(n)).length;
    const { alice, bob, carol } = await transferWith(scenario, scenario.replace('.xml', ''));
    assert.equal(alice.failed, 0, alice.errors || alice.output);
    assert.equal(bob.failed, 0, bob.errors || bob.output);
    assert.equal(carol.failed, 0, carol.errors || carol.output);
    assertOneAckPer2xx(bob.messages);
    assertOneAckPer2xx(carol.messages);
    const carolInvite = parseSippTrace(carol.messages).find((m) => m.direction === 'received' && m.method === 'INVITE');
    if (scenario === 'transfer-referred-by.xml') assert.match(carolInvite?.header('Referred-By') ?? '', /^"Bob" <sip:bob@127\.0\.0\.1:\d+>$/, 'carol sees who transferred the call');
    else assert.equal(carolInvite?.header('Referred-By'), undefined, 'no Referred-By in the REFER, none made up');
    assert.match(bob.messages, /^Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, REFER, NOTIFY, INFO, UPDATE/m, 'the INVITE to bob advertises REFER');
    assert.match(bob.messages, /^Supported: norefersub/m);
    assert.match(bob.messages, /SIP\/2.0 202 Accepted/);
    const frags = sipfrags(bob.messages);
    if (scenario === 'transfer-norefersub.xml') assert.deepEqual(frags, []);
    else if (scenario === 'transfer-referred-by.xml') assert.deepEqual([frags[0], frags.at(-1)], ['SIP/2.0 100 Trying', 'SIP/2.0 200 OK']);
    else assert.ok(frags.length <= 1, frags.join(' | '));

    const row = await waitFor('the settled Refers entry', async () => {
      const rows = await refers(n);
      return rows.length > before && rows[0]?.status !== 'in-progress' ? rows[0] : undefined;
    });
    assert.equal(row.status, 'completed', row.failure_reason ?? '');
    assert.equal(row.transferor, 'bob');
    assert.equal(row.refer_target, 'carol');
    if (scenario === 'transfer-referred-by.xml') assert.equal(row.notify_status, 200);
    if (scenario === 'transfer-norefersub.xml') assert.equal(row.notify_status, undefined, 'no NOTIFY was sent');
    await n.waitIdle(10_000);
    const calls = await n.calls();
    const carolLeg = calls.filter((c) => c.recipient === 'carol').at(-1);
    assert.equal(carolLeg?.status, 'completed');
    assert.equal(carolLeg?.parent_call_sid, row.call_sid);
  });
}
