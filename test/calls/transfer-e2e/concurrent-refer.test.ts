import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { pino } from 'pino';
import { realClock } from '../../../src/clock.js';
import type { ReferApp } from '../../../src/calls/transfer/refer-app.js';
import { handleRefer, type TargetOutcome, type TransferCall, type TransferHost } from '../../../src/calls/transfer/refer-handler.js';
import type { TransferEvent } from '../../../src/calls/transfer/transfer-event.js';
import { buildConfig } from '../../../src/config.js';
import { createSipStack, type SipStack } from '../../../src/sip/stack.js';
import { ADMIN_SID, startApi, type TestApi } from '../../api/harness.js';
import { body, SipPeer } from '../transfer/sip-peer.js';

const log = pino({ level: 'silent' });
const ALICE_CALL = 'CA' + 'c'.repeat(32);
const BOB_CALL = 'CA' + 'd'.repeat(32);
/** How long the number lookup takes: a database round trip (PostgreSQL) during which a second REFER can arrive. */
const LOOKUP_MS = 150;

let api: TestApi & { close(): Promise<void> };
let stack: SipStack;
let phoneNumberSid = '';
const runs: string[] = [];
const events: TransferEvent[] = [];
const settled: Array<Promise<void>> = [];

/** Stands in for the call layer's bridge: one bridged call whose target answers after a moment. */
class BridgedCall implements TransferHost {
  describe(): TransferCall {
    return {
      accountSid: ADMIN_SID, transferorCallSid: BOB_CALL, transfereeCallSid: ALICE_CALL, phoneNumberSid, peerToPeer: false,
      transferor: { client: 'bob', user: 'bob' }, transferee: { client: null, user: '+15550001' },
    };
  }
  async runReferApp(_app: Exclude<ReferApp, { kind: 'refused' }>, parameters: Record<string, string>): Promise<TargetOutcome> {
    runs.push(parameters.ReferTarget ?? '');
    await new Promise((r) => setTimeout(r, 200));
    return { status: 200, reason: 'OK', targetCallSid: 'CA' + 'e'.repeat(32) };
  }
  reconnect(): void {}
  hangupTransferor(): void {}
  notify(): void {}
  report(event: TransferEvent): void {
    events.push(event);
  }
}

before(async () => {
  api = await startApi('sqlite');
  const r = await api.request('POST', `/Accounts/${ADMIN_SID}/IncomingPhoneNumbers.json`, { form: { isSIP: 'true', PhoneNumber: '7101', ReferUrl: 'http://127.0.0.1:9/refer' } });
  assert.equal(r.status, 200, r.text);
  phoneNumberSid = r.json<{ sid: string }>().sid;
  const real = api.store;
  const slow = {
    ...real,
    numbers: { ...real.numbers, findBySid: async (account: string, sid: string) => {
      await new Promise((done) => setTimeout(done, LOOKUP_MS));
      return real.numbers.findBySid(account, sid);
    } },
  };
  stack = await createSipStack({ config: buildConfig({ SIP_PORT: '0', SIP_BIND: '127.0.0.1', SIP_EXTERNAL_ADDRESS: '127.0.0.1' }), log, timers: { t1: 20, t2: 80, t4: 100 } });
  const host = new BridgedCall();
  stack.handle('INVITE', (req, tx) => {
    const res = tx.respond(200, 'OK', { headers: [['Contact', stack.contact('UDP')]] });
    const dialog = stack.createUasDialog(req, tx, res);
    dialog.addUsage({
      name: 'refer',
      priority: 20,
      methods: ['REFER'],
      onRequest: (inDialog, itx) => {
        settled.push(handleRefer({ store: slow, log, clock: realClock, transferorByeGraceMs: 50 }, dialog, inDialog, itx, host));
        return true;
      },
    });
  });
});

after(async () => {
  await stack.close();
  await api.close();
});

test('a second REFER while the first is still being checked is refused 403 "already in progress"; one transfer runs, one Refers entry, events in-progress then completed', async () => {
  const peer = await SipPeer.open(stack.udpPort);
  try {
    await peer.call();
    const from = peer.inbox.length;
    peer.send(peer.request('REFER', ['Refer-To: sip:carol@127.0.0.1']));
    peer.send(peer.request('REFER', ['Refer-To: sip:dave@127.0.0.1']));
    const refused = await peer.expect(/^SIP\/2\.0 403 Forbidden - A transfer of this call is already in progress\r\n[\s\S]*CSeq: 3 REFER/, from);
    assert.match(refused.msg, /^Event: refer/m);
    await peer.expect(/^SIP\/2\.0 202 Accepted\r\n[\s\S]*CSeq: 2 REFER/, from);
    for (let seen = from, done = false; !done;) {
      const notify = await peer.expectWhere((m) => m.startsWith('NOTIFY '), 'a NOTIFY', seen, 4000);
      peer.answer(notify.msg, 200, 'OK');
      done = body(notify.msg) === 'SIP/2.0 200 OK\r\n';
      seen = notify.index + 1;
    }
    await Promise.all(settled);
    assert.deepEqual(runs, ['carol']);
    const rows = await api.store.db.selectFrom('refers').selectAll().where('call_sid', '=', ALICE_CALL).execute();
    assert.deepEqual(rows.map((r) => [r.refer_target, r.status]), [['carol', 'completed']]);
    assert.deepEqual(events.map((e) => [e.status, e.referSid, e.targetCallSid]), [
      ['in-progress', rows[0]?.sid, null],
      ['completed', rows[0]?.sid, 'CA' + 'e'.repeat(32)],
    ]);

    // Settled: the same call may be transferred again.
    const again = peer.inbox.length;
    peer.send(peer.request('REFER', ['Refer-To: sip:dave@127.0.0.1']));
    await peer.expect(/^SIP\/2\.0 202 Accepted/, again);
  } finally {
    peer.close();
  }
});
