import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { pino } from 'pino';
import type { ReferApp } from '../../../src/calls/transfer/refer-app.js';
import { handleRefer, type TargetOutcome, type TransferCall, type TransferHost } from '../../../src/calls/transfer/refer-handler.js';
import { buildConfig } from '../../../src/config.js';
import { createSipStack, type Dialog, type SipStack } from '../../../src/sip/stack.js';
import type { Refer } from '../../../src/store/refers.js';
import { ADMIN_SID, startApi, type TestApi } from '../../api/harness.js';
import { ManualClock } from '../../support/clock.js';
import { waitFor } from '../harness.js';
import { body, header, SipPeer } from './sip-peer.js';

const log = pino({ level: 'silent' });
const FAST = { t1: 20, t2: 80, t4: 100 };
const ALICE_CALL = 'CA' + 'a'.repeat(32);
const BOB_CALL = 'CA' + 'b'.repeat(32);

let api: TestApi & { close(): Promise<void> };
let stack: SipStack;
let host: (dialog: Dialog) => TransferHost;
let settled: Array<Promise<void>> = [];
let store: () => Parameters<typeof handleRefer>[0]['store'] = () => api.store;
/** The handler's clock: the transferor's BYE grace (2 s by default) passes only when a test advances it. */
const clock = new ManualClock();

before(async () => {
  api = await startApi('sqlite');
  const config = buildConfig({ SIP_PORT: '0', SIP_BIND: '127.0.0.1', SIP_EXTERNAL_ADDRESS: '127.0.0.1' });
  stack = await createSipStack({ config, log, timers: FAST });
  stack.handle('INVITE', (req, tx) => {
    const res = tx.respond(200, 'OK', { headers: [['Contact', stack.contact('UDP')]] });
    const dialog = stack.createUasDialog(req, tx, res);
    dialog.addUsage({
      name: 'refer',
      priority: 20,
      methods: ['REFER'],
      onRequest: (inDialog, itx) => {
        settled.push(handleRefer({ store: store(), log, clock }, dialog, inDialog, itx, host(dialog)));
        return true;
      },
    });
  });
});

after(async () => {
  await stack.close();
  await api.close();
});

async function number(form: Record<string, string>): Promise<string> {
  const r = await api.request('POST', `/Accounts/${ADMIN_SID}/IncomingPhoneNumbers.json`, { form: { isSIP: 'true', ...form } });
  assert.equal(r.status, 200, r.text);
  return r.json<{ sid: string }>().sid;
}

function callOn(phoneNumberSid: string | null): TransferCall {
  return {
    accountSid: ADMIN_SID,
    transferorCallSid: BOB_CALL,
    transfereeCallSid: ALICE_CALL,
    phoneNumberSid,
    peerToPeer: false,
    transferor: { client: 'bob', user: 'ignored-contact-user' },
    transferee: { client: null, user: '+15550001' },
  };
}

/** A call layer stand-in that records what the handler asked of it. */
class ScriptedHost implements TransferHost {
  readonly events: string[] = [];
  app: ReferApp | null = null;
  parameters: Record<string, string> = {};
  constructor(
    private readonly dialog: Dialog,
    private readonly call: TransferCall | null,
    private readonly target: (progress: (s: number, r: string) => void) => Promise<TargetOutcome>,
  ) {}
  describe(): TransferCall | null {
    return this.call;
  }
  runReferApp(app: Exclude<ReferApp, { kind: 'refused' }>, parameters: Record<string, string>, _r: unknown, progress: (s: number, r: string) => void): Promise<TargetOutcome> {
    this.app = app;
    this.parameters = parameters;
    this.events.push('run');
    return this.target(progress);
  }
  reconnect(): void {
    this.events.push('reconnect');
  }
  hangupTransferor(): void {
    this.events.push('hangup');
    this.dialog.sendRequest('BYE');
  }
  notify(n: { code: number; message: string }): void {
    this.events.push(`notify ${n.code}`);
  }
}

async function refersOf(callSid: string): Promise<Refer[]> {
  return api.store.db.selectFrom('refers').selectAll().where('call_sid', '=', callSid).where('transferor_call_sid', '=', BOB_CALL).orderBy('date_created').execute();
}

async function settle(): Promise<void> {
  await Promise.all(settled);
  settled = [];
}

test('flow 6.1: 202, NOTIFY 100/180/200, BYE to the transferor after the final NOTIFY is answered, logged completed', async () => {
  const pn = await number({ PhoneNumber: '7001', ReferUrl: 'http://127.0.0.1:8090/refer' });
  let scripted: ScriptedHost | null = null;
  host = (dialog) => (scripted = new ScriptedHost(dialog, callOn(pn), async (progress) => {
    progress(180, 'Ringing');
    await new Promise((r) => setTimeout(r, 200));
    return { status: 200, reason: 'OK' };
  }));
  const peer = await SipPeer.open(stack.udpPort);
  try {
    await peer.call();
    const from = peer.inbox.length;
    peer.send(peer.request('REFER', ['Refer-To: sip:carol@127.0.0.1:5099', 'Referred-By: <sip:bob@127.0.0.1>']));
    const ok = await peer.expect(/^SIP\/2\.0 202 Accepted/, from);
    const trying = await peer.expect(/^NOTIFY /, from);
    assert.ok(trying.index > ok.index);
    peer.answer(trying.msg, 200, 'OK');
    const ringing = await peer.expectNext('NOTIFY', trying.msg, from);
    assert.equal(body(ringing.msg), 'SIP/2.0 180 Ringing\r\n');
    peer.answer(ringing.msg, 200, 'OK');
    const final = await peer.expectNext('NOTIFY', ringing.msg, from);
    assert.equal(body(final.msg), 'SIP/2.0 200 OK\r\n');
    assert.equal(header(final.msg, 'Subscription-State'), 'terminated;reason=noresource');
    assert.equal(peer.inbox.slice(from).some((m) => m.startsWith('BYE ')), false, 'no BYE before the final NOTIFY is answered');
    peer.answer(final.msg, 200, 'OK');
    const h = scripted as unknown as ScriptedHost;
    await waitFor('the transferor\'s BYE grace', () => (clock.dueIn().join() === '2000' ? true : undefined));
    clock.advance(1999);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(h.events, ['run'], 'the transferor has the whole 2 s grace to hang up itself');
    clock.advance(1);
    await peer.expect(/^BYE /, from);
    await settle();
    assert.deepEqual(h.events, ['run', 'hangup']);
    assert.deepEqual(h.app, { kind: 'rcml', url: 'http://127.0.0.1:8090/refer', method: 'POST', referUrl: 'http://127.0.0.1:8090/refer', referApplicationSid: null });
    assert.deepEqual(h.parameters, { Transferor: 'bob', Transferee: '+15550001', ReferTarget: 'carol', ReferTo: 'sip:carol@127.0.0.1:5099', ReferredBy: 'sip:bob@127.0.0.1' });
    const [row] = await refersOf(ALICE_CALL);
    assert.equal(row?.status, 'completed');
    assert.equal(row?.notify_status, 200);
    assert.equal(row?.transferor, 'bob');
    assert.equal(row?.refer_target, 'carol');
    assert.equal(row?.refer_url, 'http://127.0.0.1:8090/refer');
    assert.equal(row?.refer_method, 'POST');
  } finally {
    peer.close();
  }
});

test('RFC 5589 6.3: the target is busy and the transferor waited: failure sipfrag, reconnect, logged failed', async () => {
  const pn = await number({ PhoneNumber: '7002', ReferUrl: 'http://127.0.0.1:8090/refer' });
  let scripted: ScriptedHost | null = null;
  host = (dialog) => (scripted = new ScriptedHost(dialog, { ...callOn(pn), transfereeCallSid: 'CA' + 'd'.repeat(32) }, async () => ({ status: 486, reason: 'Busy Here' })));
  const peer = await SipPeer.open(stack.udpPort);
  try {
    await peer.call();
    const from = peer.inbox.length;
    peer.send(peer.request('REFER', ['Refer-To: <sip:carol@127.0.0.1>']));
    const trying = await peer.expect(/^NOTIFY /, from);
    peer.answer(trying.msg, 200, 'OK');
    const final = await peer.expectNext('NOTIFY', trying.msg, from);
    assert.equal(body(final.msg), 'SIP/2.0 486 Busy Here\r\n');
    peer.answer(final.msg, 200, 'OK');
    await settle();
    assert.deepEqual((scripted as unknown as ScriptedHost).events, ['run', 'reconnect']);
    const [row] = await refersOf('CA' + 'd'.repeat(32));
    assert.equal(row?.status, 'failed');
    assert.equal(row?.notify_status, 486);
    assert.equal(row?.failure_reason, '486 Busy Here; transferee reconnected to the transferor');
  } finally {
    peer.close();
  }
});

test('the transferor hangs up right after the 202: the transfer goes on, no BYE and no reconnect', async () => {
  const pn = await number({ PhoneNumber: '7003', ReferUrl: 'http://127.0.0.1:8090/refer' });
  let scripted: ScriptedHost | null = null;
  let release: () => void = () => undefined;
  const answered = new Promise<void>((r) => (release = r));
  host = (dialog) => (scripted = new ScriptedHost(dialog, { ...callOn(pn), transfereeCallSid: 'CA' + 'e'.repeat(32) }, async () => {
    await answered;
    return { status: 200, reason: 'OK' };
  }));
  const peer = await SipPeer.open(stack.udpPort);
  try {
    await peer.call();
    const from = peer.inbox.length;
    peer.send(peer.request('REFER', ['Refer-To: <sip:carol@127.0.0.1>']));
    await peer.expect(/^SIP\/2\.0 202/, from);
    peer.send(peer.request('BYE'));
    await peer.expect(/^SIP\/2\.0 200 OK\r\n[\s\S]*CSeq: \d+ BYE/, from);
    release();
    await settle();
    assert.deepEqual((scripted as unknown as ScriptedHost).events, ['run']);
    const [row] = await refersOf('CA' + 'e'.repeat(32));
    assert.equal(row?.status, 'completed');
  } finally {
    peer.close();
  }
});

test('no Refer URL: 404 with Reason, a Notification, a failed log entry, and the call untouched', async () => {
  const pn = await number({ PhoneNumber: '7004' });
  let scripted: ScriptedHost | null = null;
  host = (dialog) => (scripted = new ScriptedHost(dialog, { ...callOn(pn), transfereeCallSid: 'CA' + 'f'.repeat(32) }, async () => ({ status: 200, reason: 'OK' })));
  const peer = await SipPeer.open(stack.udpPort);
  try {
    await peer.call();
    const from = peer.inbox.length;
    peer.send(peer.request('REFER', ['Refer-To: <sip:carol@127.0.0.1>']));
    const res = await peer.expect(/^SIP\/2\.0 404 /, from);
    assert.match(res.msg, /^SIP\/2\.0 404 Not Found - No Refer URL for this call\r\n/);
    assert.equal(header(res.msg, 'Reason'), 'SIP;cause=404;text="SIP Refer failed. Set Refer URL or Refer application for incoming phone number"');
    assert.equal(header(res.msg, 'Event'), 'refer');
    await settle();
    assert.deepEqual((scripted as unknown as ScriptedHost).events, ['notify 11310']);
    const [row] = await refersOf('CA' + 'f'.repeat(32));
    assert.equal(row?.status, 'failed');
    assert.equal(row?.failure_reason, '404 REFER refused: phone number 7004 has neither a Refer URL nor a Refer application');
    assert.equal(peer.inbox.slice(from).some((m) => m.startsWith('NOTIFY ')), false);
  } finally {
    peer.close();
  }
});

test('a call that may not be transferred gets 403, a bad Refer-To 400', async () => {
  host = (dialog) => new ScriptedHost(dialog, null, async () => ({ status: 200, reason: 'OK' }));
  const peer = await SipPeer.open(stack.udpPort);
  try {
    await peer.call();
    let from = peer.inbox.length;
    peer.send(peer.request('REFER', ['Refer-To: <sip:carol@127.0.0.1>']));
    assert.match((await peer.expect(/^SIP\/2\.0 4/, from)).msg, /^SIP\/2\.0 403 Forbidden - This call may not be transferred\r\n/);
    from = peer.inbox.length;
    peer.send(peer.request('REFER', ['Refer-To: <mailto:carol@example.com>']));
    assert.match((await peer.expect(/^SIP\/2\.0 4/, from)).msg, /^SIP\/2\.0 400 Bad Request - Malformed Refer-To: scheme "mailto"/);
    await settle();
  } finally {
    peer.close();
  }
});

test('the database failing during the lookup: 500 with Retry-After, no 202', async () => {
  const pn = await number({ PhoneNumber: '7005', ReferUrl: 'http://127.0.0.1:8090/refer' });
  host = (dialog) => new ScriptedHost(dialog, callOn(pn), async () => ({ status: 200, reason: 'OK' }));
  store = () => ({ ...api.store, numbers: { ...api.store.numbers, findBySid: () => Promise.reject(new Error('database is gone')) } });
  const peer = await SipPeer.open(stack.udpPort);
  try {
    await peer.call();
    const from = peer.inbox.length;
    peer.send(peer.request('REFER', ['Refer-To: <sip:carol@127.0.0.1>']));
    const res = await peer.expect(/^SIP\/2\.0 [2-6]/, from);
    assert.match(res.msg, /^SIP\/2\.0 500 Server Internal Error - Refer application lookup failed\r\n/);
    assert.equal(header(res.msg, 'Retry-After'), '5');
    await settle();
  } finally {
    store = () => api.store;
    peer.close();
  }
});
