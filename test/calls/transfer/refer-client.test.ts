import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { pino } from 'pino';
import { ReferClient, sipfragStatus, statusForCode, type ReferResult } from '../../../src/calls/transfer/refer-client.js';
import { readReferRequest, type ReferRequest } from '../../../src/calls/transfer/refer-request.js';
import { ReferSubscription } from '../../../src/calls/transfer/refer-subscription.js';
import { buildConfig } from '../../../src/config.js';
import { computeHa1, computeResponse } from '../../../src/sip/auth/digest.js';
import { createRequest, generateCallId, generateTag, type SipRequest } from '../../../src/sip/message/index.js';
import { createSipStack, type Dialog, type ServerTransaction, type SipStack } from '../../../src/sip/stack.js';
import { realClock, type Clock } from '../../../src/clock.js';
import { ManualClock } from '../../support/clock.js';

const log = pino({ level: 'silent' });
const FAST = { t1: 20, t2: 80, t4: 100 };

/** What the phone (stack `phone`) does with the REFER it receives. */
type PhoneScript = (refer: ReferRequest, req: SipRequest, tx: ServerTransaction, dialog: Dialog) => void;

let platform: SipStack;
let phone: SipStack;
let script: PhoneScript = () => undefined;
const received: ReferRequest[] = [];
/** Told the sipfrag status of every NOTIFY the platform's ReferClient takes. */
let notified: (status: number | null) => void = () => undefined;

function stack(): Promise<SipStack> {
  const config = buildConfig({ SIP_PORT: '0', SIP_BIND: '127.0.0.1', SIP_EXTERNAL_ADDRESS: '127.0.0.1' });
  return createSipStack({ config, log, timers: FAST });
}

before(async () => {
  platform = await stack();
  phone = await stack();
  phone.handle('INVITE', (req, tx) => {
    const res = tx.respond(200, 'OK', { headers: [['Contact', phone.contact('UDP', 'bob')]] });
    const dialog = phone.createUasDialog(req, tx, res);
    dialog.addUsage({
      name: 'refer',
      priority: 20,
      methods: ['REFER'],
      onRequest: (inDialog, itx) => {
        const reading = readReferRequest(inDialog);
        if (reading.kind === 'refused') {
          itx.respond(reading.refusal.status, reading.refusal.reason);
          return true;
        }
        received.push(reading.refer);
        script(reading.refer, inDialog, itx, dialog);
        return true;
      },
    });
  });
});

after(async () => {
  await platform.close();
  await phone.close();
});

/** A confirmed call from the platform to the phone; the platform's dialog routes NOTIFYs to `client()`. */
async function call(client: () => ReferClient | null): Promise<Dialog> {
  const invite = createRequest({
    method: 'INVITE',
    uri: `sip:bob@127.0.0.1:${phone.udpPort}`,
    headers: [
      ['From', `<sip:alice@127.0.0.1>;tag=${generateTag()}`],
      ['To', '<sip:bob@127.0.0.1>'],
      ['Call-ID', generateCallId()],
      ['CSeq', '1 INVITE'],
      ['Contact', platform.contact('UDP', 'dialtone')],
    ],
  });
  const tx = platform.sendRequest(invite);
  const final = await tx.final;
  assert.equal(final.status, 200);
  const dialog = platform.createUacDialog(tx, final);
  dialog.ack(1);
  dialog.addUsage({
    name: 'refer-subscription',
    priority: 20,
    methods: ['NOTIFY'],
    onRequest: (req, itx) => {
      if (client()?.receive(req, itx) ?? false) notified(sipfragStatus(req.body));
      else itx.respond(481, 'Call/Transaction Does Not Exist');
      return true;
    },
  });
  return dialog;
}

async function refer(opts: { credentials?: { username: string; password: string }; timeoutMs?: number; clock?: Clock; signal?: AbortSignal } = {}): Promise<ReferResult> {
  let client: ReferClient | null = null;
  const dialog = await call(() => client);
  client = ReferClient.send({
    dialog,
    referTo: 'sip:carol@127.0.0.1:5099?Replaces=abc%40h',
    referredBy: '<sip:dialtone@127.0.0.1>',
    credentials: opts.credentials ?? null,
    timeoutMs: opts.timeoutMs ?? 3000,
    clock: opts.clock ?? realClock,
    ...(opts.signal ? { signal: opts.signal } : {}),
    log,
  });
  return client.result;
}

test('sipfrag status lines and the status each final code stands for', () => {
  assert.equal(sipfragStatus(Buffer.from('SIP/2.0 180 Ringing\r\n')), 180);
  assert.equal(sipfragStatus(Buffer.from('SIP/2.0 200 OK\r\nContact: <sip:x@y>\r\n')), 200);
  assert.equal(sipfragStatus(Buffer.from('SIP/2.0 503')), 503);
  assert.equal(sipfragStatus(Buffer.from('HTTP/1.1 200 OK\r\n')), null);
  assert.equal(sipfragStatus(Buffer.from('')), null);
  assert.deepEqual([200, 486, 600, 408, 480, 487, 404, 503].map(statusForCode), ['completed', 'busy', 'busy', 'no-answer', 'no-answer', 'canceled', 'failed', 'failed']);
});

test('the REFER carries Refer-To and Referred-By, and the NOTIFYs up to 200 OK make it completed', async () => {
  const before = received.length;
  script = (_r, _req, tx, dialog) => {
    const sub = ReferSubscription.accept({ dialog, tx, referSub: true, log, clock: realClock });
    sub.progress(180, 'Ringing');
    void sub.finish(200, 'OK');
  };
  assert.deepEqual(await refer(), { status: 'completed', sipResponseCode: 200 });
  const got = received[before];
  assert.equal(got?.dialUri, 'sip:carol@127.0.0.1:5099');
  assert.equal(got?.replaces, 'abc@h');
  assert.equal(got?.referredBy?.uri.user, 'dialtone');
});

test('a busy target reported in the final NOTIFY is busy with its code', async () => {
  script = (_r, _req, tx, dialog) => {
    void ReferSubscription.accept({ dialog, tx, referSub: true, log, clock: realClock }).finish(486, 'Busy Here');
  };
  assert.deepEqual(await refer(), { status: 'busy', sipResponseCode: 486 });
});

test('a refused REFER is failed with the refusal code', async () => {
  script = (_r, _req, tx) => void tx.respond(603, 'Decline');
  assert.deepEqual(await refer(), { status: 'failed', sipResponseCode: 603 });
});

test('a digest challenge is answered with the given credentials, and without them the REFER fails 407', async () => {
  const realm = 'phone.example';
  const nonce = 'n0nce' + generateTag();
  const authorizations: string[] = [];
  script = (_r, req, tx, dialog) => {
    const auth = req.headers.get('Proxy-Authorization');
    if (auth === undefined) {
      tx.respond(407, 'Proxy Authentication Required', { headers: [['Proxy-Authenticate', `Digest realm="${realm}", nonce="${nonce}", qop="auth", algorithm=MD5`]] });
      return;
    }
    authorizations.push(auth);
    const p = (name: string): string => new RegExp(`${name}="?([^",]+)"?`).exec(auth)?.[1] ?? '';
    const expected = computeResponse({ algorithm: 'MD5', ha1: computeHa1('MD5', 'alice', realm, 's3cret'), nonce, method: 'REFER', uri: p('uri'), nc: p('nc'), cnonce: p('cnonce') });
    if (p('response') !== expected) return void tx.respond(403, 'Forbidden - wrong digest');
    void ReferSubscription.accept({ dialog, tx, referSub: true, log, clock: realClock }).finish(200, 'OK');
  };
  assert.deepEqual(await refer({ credentials: { username: 'alice', password: 's3cret' } }), { status: 'completed', sipResponseCode: 200 });
  assert.equal(authorizations.length, 1);
  assert.match(authorizations[0] ?? '', /username="alice", realm="phone\.example"/);
  assert.deepEqual(await refer(), { status: 'failed', sipResponseCode: 407 });
});

test('Refer-Sub: false in the 202 means no NOTIFY will come: completed with 202', async () => {
  script = (_r, _req, tx, dialog) => void ReferSubscription.accept({ dialog, tx, referSub: false, log, clock: realClock });
  assert.deepEqual(await refer(), { status: 'completed', sipResponseCode: 202 });
});

test('no final NOTIFY within the timeout on the clock: no-answer with the last status seen', async () => {
  script = (_r, _req, tx, dialog) => {
    ReferSubscription.accept({ dialog, tx, referSub: true, log, clock: realClock }).progress(180, 'Ringing');
  };
  const clock = new ManualClock();
  let result: ReferResult | null = null;
  const ringing = new Promise<void>((resolve) => {
    notified = (status) => {
      if (status === 180) resolve();
    };
  });
  const outcome = refer({ timeoutMs: 60_000, clock }).then((r) => (result = r));
  await ringing;
  assert.equal(clock.pending, 1, 'the REFER was accepted and the wait for the final NOTIFY is on the clock');
  clock.advance(59_999);
  await new Promise((r) => setImmediate(r));
  assert.equal(result, null, 'still waiting a millisecond before the timeout');
  clock.advance(1);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(result, { status: 'no-answer', sipResponseCode: 180 });
  await outcome;
});

test('the referee hangs up after the 202 without a final NOTIFY: taken as completed', async () => {
  script = (_r, _req, tx, dialog) => {
    ReferSubscription.accept({ dialog, tx, referSub: true, log, clock: realClock });
    setTimeout(() => dialog.sendRequest('BYE'), 50);
  };
  assert.deepEqual(await refer(), { status: 'completed', sipResponseCode: 202 });
});

test('aborting while waiting is canceled', async () => {
  const ac = new AbortController();
  script = (_r, _req, tx, dialog) => {
    ReferSubscription.accept({ dialog, tx, referSub: true, log, clock: realClock });
    setTimeout(() => ac.abort(), 200);
  };
  assert.deepEqual(await refer({ signal: ac.signal }), { status: 'canceled', sipResponseCode: 100 });
});
