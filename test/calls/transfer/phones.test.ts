import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { pino } from 'pino';
import { realClock } from '../../../src/clock.js';
import type { ReferApp } from '../../../src/calls/transfer/refer-app.js';
import { handleRefer, type TargetOutcome, type TransferCall, type TransferHost } from '../../../src/calls/transfer/refer-handler.js';
import { buildConfig } from '../../../src/config.js';
import { createRequest, generateCallId, generateTag } from '../../../src/sip/message/index.js';
import { createSipStack, type Dialog, type SipStack } from '../../../src/sip/stack.js';
import { ADMIN_SID, startApi, type TestApi } from '../../api/harness.js';
import { Baresip } from '../../support/baresip.js';
import { Linphone } from '../../support/linphone.js';
import { freePort } from '../../support/net.js';

const log = pino({ level: 'silent' });
const CAROL = 'sip:carol@127.0.0.1:5099';

let api: TestApi & { close(): Promise<void> };
let stack: SipStack;
let phoneNumberSid = '';

before(async () => {
  api = await startApi('sqlite');
  const config = buildConfig({ SIP_PORT: '0', SIP_BIND: '127.0.0.1', SIP_EXTERNAL_ADDRESS: '127.0.0.1' });
  stack = await createSipStack({ config, log });
  const r = await api.request('POST', `/Accounts/${ADMIN_SID}/IncomingPhoneNumbers.json`, { form: { PhoneNumber: '8001', isSIP: 'true', ReferUrl: 'http://127.0.0.1:8090/refer' } });
  phoneNumberSid = r.json<{ sid: string }>().sid;
});

after(async () => {
  await stack.close();
  await api.close();
});

/** Stands in for the call layer: the refer app "dials" Carol, who rings and answers. */
class RingingTarget implements TransferHost {
  readonly events: string[] = [];
  parameters: Record<string, string> = {};
  constructor(private readonly dialog: Dialog, private readonly call: TransferCall) {}
  describe(): TransferCall {
    return this.call;
  }
  async runReferApp(_app: ReferApp, parameters: Record<string, string>, _r: unknown, progress: (s: number, r: string) => void): Promise<TargetOutcome> {
    this.parameters = parameters;
    this.events.push('run');
    progress(180, 'Ringing');
    await new Promise((r) => setTimeout(r, 300));
    return { status: 200, reason: 'OK' };
  }
  reconnect(): void {
    this.events.push('reconnect');
  }
  hangupTransferor(): void {
    this.events.push('hangup');
    this.dialog.sendRequest('BYE');
  }
  notify(): void {
    this.events.push('notify');
  }
}

/**
 * Dialtone calls the phone (as a Dial leg would) and waits for its REFER; resolves with what the
 * handler asked of the call layer once the transfer attempt is settled.
 */
async function callPhone(uri: string, transfereeCallSid: string): Promise<{ dialog: Dialog; ended: Promise<string>; done: Promise<RingingTarget> }> {
  const rtp = await freePort();
  const sdp = ['v=0', `o=- 1 1 IN IP4 127.0.0.1`, 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', `m=audio ${rtp} RTP/AVP 0 101`, 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:101 telephone-event/8000', 'a=sendrecv', ''].join('\r\n');
  const tx = stack.sendRequest(createRequest({
    method: 'INVITE',
    uri,
    headers: [
      ['From', `<sip:+15550001@127.0.0.1>;tag=${generateTag()}`],
      ['To', `<${uri}>`],
      ['Call-ID', generateCallId()],
      ['CSeq', '1 INVITE'],
      ['Contact', stack.contact('UDP', 'dialtone')],
      ['Allow', 'INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE, REFER, NOTIFY'],
      ['Supported', 'norefersub'],
      ['Content-Type', 'application/sdp'],
    ],
    body: sdp,
  }));
  const ok = await tx.final;
  assert.equal(ok.status, 200, `${ok.status} ${ok.reason}`);
  const dialog = stack.createUacDialog(tx, ok);
  dialog.ack(1);
  const ended = new Promise<string>((resolve) => dialog.onTerminated(resolve));
  const call: TransferCall = {
    accountSid: ADMIN_SID,
    transferorCallSid: 'CA' + '1'.repeat(32),
    transfereeCallSid,
    phoneNumberSid,
    peerToPeer: false,
    transferor: { client: 'bob', user: '' },
    transferee: { client: null, user: '+15550001' },
  };
  const done = new Promise<RingingTarget>((resolve) => {
    // What else the phone sends in the call (a hold re-INVITE before it refers) is simply accepted.
    dialog.addUsage({
      name: 'phone-call',
      priority: 20,
      methods: ['INVITE', 'UPDATE', 'INFO', 'NOTIFY', 'REFER'],
      onRequest: (req, itx) => {
        if (req.method !== 'REFER') {
          itx.respond(200);
          return true;
        }
        const host = new RingingTarget(dialog, call);
        void handleRefer({ store: api.store, log, clock: realClock }, dialog, req, itx, host).then(() => resolve(host));
        return true;
      },
    });
  });
  return { dialog, ended, done };
}

test('linphonec transfers with its own transfer command: it sees the outcome, hangs up itself, the log says completed', async () => {
  const bob = await Linphone.start({ user: 'bob', autoAnswer: true });
  const callSid = 'CA' + '2'.repeat(32);
  try {
    const mark = bob.process.mark();
    const { ended, done } = await callPhone(bob.uri, callSid);
    await bob.connected(mark);
    const beforeTransfer = bob.process.mark();
    await bob.transfer(CAROL);
    await bob.ended(beforeTransfer);
    const host = await done;
    assert.equal(await ended, 'bye-received');
    assert.deepEqual(host.events, ['run'], 'linphonec hung up by itself within the grace period');
    assert.equal(host.parameters.ReferTarget, 'carol');
    assert.equal(host.parameters.Transferor, 'bob');
    const row = await api.store.db.selectFrom('refers').selectAll().where('call_sid', '=', callSid).executeTakeFirst();
    assert.equal(row?.status, 'completed');
    assert.equal(row?.notify_status, 200);
  } finally {
    await bob.stop();
  }
});

test('baresip transfers with /transfer: it hangs up itself after the final NOTIFY, the log says completed', async () => {
  const bob = await Baresip.start({ user: 'bob', autoAnswer: true });
  const callSid = 'CA' + '3'.repeat(32);
  try {
    const mark = bob.process.mark();
    const { ended, done } = await callPhone(bob.uri, callSid);
    await bob.established(mark);
    // baresip prints nothing when it ends its own leg after a transfer; its BYE is what tells.
    await bob.command(`/transfer ${CAROL}`);
    const host = await done;
    assert.equal(await ended, 'bye-received');
    assert.deepEqual(host.events, ['run'], 'baresip hung up by itself within the grace period');
    assert.equal(host.parameters.ReferTarget, 'carol');
    const row = await api.store.db.selectFrom('refers').selectAll().where('call_sid', '=', callSid).executeTakeFirst();
    assert.equal(row?.status, 'completed');
    assert.equal(row?.notify_status, 200);
  } finally {
    await bob.stop();
  }
});
