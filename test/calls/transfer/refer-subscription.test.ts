import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { pino } from 'pino';
import { realClock, type Clock } from '../../../src/clock.js';
import { readReferRequest } from '../../../src/calls/transfer/refer-request.js';
import { ReferSubscription } from '../../../src/calls/transfer/refer-subscription.js';
import { buildConfig } from '../../../src/config.js';
import { createSipStack, type Dialog, type SipStack } from '../../../src/sip/stack.js';
import { ManualClock } from '../../support/clock.js';
import { body, header, SipPeer } from './sip-peer.js';

const log = pino({ level: 'silent' });
const FAST = { t1: 20, t2: 80, t4: 100 };

let stack: SipStack;
/** Subscriptions the stack accepted, in order, for the test to drive. */
const accepted: ReferSubscription[] = [];
let waiting: Array<() => void> = [];
/** The clock of the subscriptions accepted from now on. */
let clock: Clock = realClock;

before(async () => {
  const config = buildConfig({ SIP_PORT: '0', SIP_BIND: '127.0.0.1', SIP_EXTERNAL_ADDRESS: '127.0.0.1' });
  stack = await createSipStack({ config, log, timers: FAST });
  stack.handle('INVITE', (req, tx) => {
    const res = tx.respond(200, 'OK', { headers: [['Contact', stack.contact('UDP')]] });
    const dialog: Dialog = stack.createUasDialog(req, tx, res);
    dialog.addUsage({
      name: 'refer',
      priority: 20,
      methods: ['REFER'],
      onRequest: (inDialog, itx) => {
        const reading = readReferRequest(inDialog);
        if (reading.kind === 'refused') itx.respond(reading.refusal.status, reading.refusal.reason);
        else accepted.push(ReferSubscription.accept({ dialog, tx: itx, referSub: reading.refer.referSub, log, clock, retryDelayMs: 20 }));
        for (const w of waiting.splice(0)) w();
        return true;
      },
    });
  });
});

after(async () => {
  await stack.close();
});

async function nextSubscription(count: number): Promise<ReferSubscription> {
  const deadline = Date.now() + 4000;
  while (accepted.length < count) {
    if (Date.now() > deadline) throw new Error('no REFER accepted');
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, 100);
      waiting.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }
  return accepted[count - 1] as ReferSubscription;
}

async function transferCall(referHeaders: string[]): Promise<{ peer: SipPeer; sub: ReferSubscription; from: number }> {
  const peer = await SipPeer.open(stack.udpPort);
  await peer.call();
  const from = peer.inbox.length;
  const expected = accepted.length + 1;
  peer.send(peer.request('REFER', referHeaders));
  return { peer, sub: await nextSubscription(expected), from };
}

const NOTIFY = /^NOTIFY /;

/** NOTIFY transactions among `msgs` (UDP retransmissions of one NOTIFY count once). */
function notifyCount(msgs: string[]): number {
  return new Set(msgs.filter((m) => NOTIFY.test(m)).map((m) => /^CSeq: (\d+)/m.exec(m)?.[1])).size;
}

test('202 first, then 100 Trying, 180 Ringing and the final 200 OK, one NOTIFY at a time', async () => {
  const { peer, sub, from } = await transferCall(['Refer-To: sip:carol@127.0.0.1:5099']);
  try {
    const accepted202 = await peer.expect(/^SIP\/2\.0 202 Accepted/, from);
    assert.equal(header(accepted202.msg, 'Event'), 'refer');
    assert.equal(header(accepted202.msg, 'Refer-Sub'), undefined);
    const trying = await peer.expect(NOTIFY, from);
    assert.ok(trying.index > accepted202.index, 'the 202 goes out before the first NOTIFY');
    assert.equal(header(trying.msg, 'Event'), 'refer');
    assert.match(header(trying.msg, 'Subscription-State') ?? '', /^active;expires=(60|59)$/);
    assert.equal(header(trying.msg, 'Content-Type'), 'message/sipfrag;version=2.0');
    assert.equal(body(trying.msg), 'SIP/2.0 100 Trying\r\n');
    assert.match(trying.msg, /^To: .*;tag=/m);
    sub.progress(180, 'Ringing');
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(notifyCount(peer.inbox.slice(from)), 1, 'no second NOTIFY while the first is unanswered');
    peer.answer(trying.msg, 200, 'OK');
    const ringing = await peer.expectNext('NOTIFY', trying.msg, from);
    assert.equal(body(ringing.msg), 'SIP/2.0 180 Ringing\r\n');
    assert.match(header(ringing.msg, 'Subscription-State') ?? '', /^active;expires=\d+$/);
    peer.answer(ringing.msg, 200, 'OK');
    const done = sub.finish(200, 'OK');
    const final = await peer.expectNext('NOTIFY', ringing.msg, from);
    assert.equal(header(final.msg, 'Subscription-State'), 'terminated;reason=noresource');
    assert.equal(body(final.msg), 'SIP/2.0 200 OK\r\n');
    assert.equal(sub.lastSentStatus, 200);
    peer.answer(final.msg, 200, 'OK');
    assert.deepEqual(await done, { answered: true, notifyResponse: 200, lastSentStatus: 200 });
    assert.equal(sub.isEnded, true);
  } finally {
    peer.close();
  }
});

test('a NOTIFY answered 491 is sent again with a new CSeq', async () => {
  const { peer, sub, from } = await transferCall(['Refer-To: <sip:carol@127.0.0.1>']);
  try {
    const first = await peer.expect(NOTIFY, from);
    peer.answer(first.msg, 491, 'Request Pending');
    const again = await peer.expectNext('NOTIFY', first.msg, from);
    assert.equal(body(again.msg), 'SIP/2.0 100 Trying\r\n');
    const seq = (m: string): number => Number(/^CSeq: (\d+) NOTIFY/m.exec(m)?.[1]);
    assert.ok(seq(again.msg) > seq(first.msg));
    peer.answer(again.msg, 200, 'OK');
    const done = sub.finish(486, 'Busy Here');
    const final = await peer.expectNext('NOTIFY', again.msg, from);
    assert.equal(body(final.msg), 'SIP/2.0 486 Busy Here\r\n');
    peer.answer(final.msg, 200, 'OK');
    assert.deepEqual(await done, { answered: true, notifyResponse: 200, lastSentStatus: 486 });
  } finally {
    peer.close();
  }
});

test('a 481 to a NOTIFY ends the subscription quietly', async () => {
  const { peer, sub, from } = await transferCall(['Refer-To: <sip:carol@127.0.0.1>']);
  try {
    const first = await peer.expect(NOTIFY, from);
    peer.answer(first.msg, 481, 'Call/Transaction Does Not Exist');
    const end = await sub.onFinalAnswered;
    assert.deepEqual(end, { answered: false, notifyResponse: 481, lastSentStatus: 100 });
    const count = peer.inbox.length;
    await sub.finish(200, 'OK');
    assert.equal(notifyCount(peer.inbox.slice(count).filter((m) => !m.includes('100 Trying'))), 0);
  } finally {
    peer.close();
  }
});

test('the transferor hangs up right after the 202: no further NOTIFY, the end resolves', async () => {
  const { peer, sub, from } = await transferCall(['Refer-To: <sip:carol@127.0.0.1>', 'Referred-By: <sip:bob@127.0.0.1>']);
  try {
    await peer.expect(/^SIP\/2\.0 202/, from);
    peer.send(peer.request('BYE'));
    await peer.expect(/^SIP\/2\.0 200 OK\r\n[\s\S]*CSeq: \d+ BYE/, from);
    const trying = await peer.expect(NOTIFY, from);
    peer.answer(trying.msg, 481, 'Call/Transaction Does Not Exist');
    const end = await sub.finish(200, 'OK');
    assert.equal(end.answered, false);
    assert.equal(peer.inbox.slice(from).filter((m) => /^NOTIFY /.test(m) && /terminated/.test(m)).length, 0);
  } finally {
    peer.close();
  }
});

test('Refer-Sub: false: the 202 says so and no NOTIFY is sent', async () => {
  const { peer, sub, from } = await transferCall(['Refer-To: <sip:carol@127.0.0.1>', 'Refer-Sub: false']);
  try {
    const res = await peer.expect(/^SIP\/2\.0 202/, from);
    assert.equal(header(res.msg, 'Refer-Sub'), 'false');
    assert.deepEqual(await sub.finish(200, 'OK'), { answered: false, notifyResponse: 0, lastSentStatus: null });
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(notifyCount(peer.inbox.slice(from)), 0);
  } finally {
    peer.close();
  }
});

test('a second REFER in the same dialog gets NOTIFYs with ;id=<its CSeq>', async () => {
  const { peer, sub, from } = await transferCall(['Refer-To: <sip:carol@127.0.0.1>']);
  try {
    const first = await peer.expect(NOTIFY, from);
    peer.answer(first.msg, 200, 'OK');
    const end = sub.finish(603, 'Decline');
    const final = await peer.expectNext('NOTIFY', first.msg, from);
    peer.answer(final.msg, 200, 'OK');
    await end;
    const mark = peer.inbox.length;
    const expected = accepted.length + 1;
    peer.send(peer.request('REFER', ['Refer-To: <sip:dave@127.0.0.1>']));
    const second = await nextSubscription(expected);
    const seq = Number(/^CSeq: (\d+) REFER/m.exec((await peer.expect(/^SIP\/2\.0 202/, mark)).msg)?.[1]);
    const notify = await peer.expectNext('NOTIFY', final.msg, mark);
    assert.equal(header(notify.msg, 'Event'), `refer;id=${seq}`);
    peer.answer(notify.msg, 200, 'OK');
    const done = second.finish(200, 'OK');
    const last = await peer.expectNext('NOTIFY', notify.msg, mark);
    assert.equal(header(last.msg, 'Event'), `refer;id=${seq}`);
    peer.answer(last.msg, 200, 'OK');
    assert.equal((await done).answered, true);
  } finally {
    peer.close();
  }
});

test('the subscription expires on the clock: expires counts down, then a last NOTIFY with the current state and reason=timeout', async () => {
  const manual = new ManualClock();
  clock = manual;
  const { peer, sub, from } = await transferCall(['Refer-To: <sip:carol@127.0.0.1>']);
  clock = realClock;
  const turn = (): Promise<void> => new Promise((r) => setImmediate(r));
  try {
    const trying = await peer.expect(NOTIFY, from);
    assert.equal(header(trying.msg, 'Subscription-State'), 'active;expires=60');
    peer.answer(trying.msg, 200, 'OK');
    manual.advance(30_000);
    sub.progress(180, 'Ringing');
    const ringing = await peer.expectNext('NOTIFY', trying.msg, from);
    assert.equal(header(ringing.msg, 'Subscription-State'), 'active;expires=30');
    peer.answer(ringing.msg, 200, 'OK');
    manual.advance(29_999);
    await turn();
    assert.equal(sub.isEnded, false, 'not expired a millisecond early');
    manual.advance(1);
    await turn();
    assert.equal(sub.isEnded, true, 'expired at 60 s');
    const last = await peer.expectNext('NOTIFY', ringing.msg, from);
    assert.equal(header(last.msg, 'Subscription-State'), 'terminated;reason=timeout');
    assert.equal(body(last.msg), 'SIP/2.0 180 Ringing\r\n');
    peer.answer(last.msg, 200, 'OK');
    assert.deepEqual(await sub.onFinalAnswered, { answered: true, notifyResponse: 200, lastSentStatus: 180 });
    const count = peer.inbox.length;
    await sub.finish(200, 'OK');
    assert.equal(notifyCount(peer.inbox.slice(count)), 0, 'no NOTIFY after the expiry');
    assert.equal(manual.pending, 0);
  } finally {
    peer.close();
  }
});

test('a malformed or missing Refer-To is answered 400 naming the fault, and nothing is subscribed', async () => {
  const peer = await SipPeer.open(stack.udpPort);
  try {
    await peer.call();
    const before = accepted.length;
    let from = peer.inbox.length;
    peer.send(peer.request('REFER', ['Refer-To: <carol>']));
    const bad = await peer.expect(/^SIP\/2\.0 400 /, from);
    assert.match(bad.msg, /^SIP\/2\.0 400 Bad Request - Malformed Refer-To: /);
    from = peer.inbox.length;
    peer.send(peer.request('REFER'));
    assert.match((await peer.expect(/^SIP\/2\.0 400 /, from)).msg, /^SIP\/2\.0 400 Bad Request - Missing Refer-To\r\n/);
    assert.equal(accepted.length, before);
  } finally {
    peer.close();
  }
});

test('a REFER for an unknown dialog gets 481 from the stack', async () => {
  const peer = await SipPeer.open(stack.udpPort);
  try {
    peer.toTag = 'no-such-dialog';
    peer.send(peer.request('REFER', ['Refer-To: <sip:carol@127.0.0.1>']));
    assert.match((await peer.expect(/^SIP\/2\.0 /)).msg, /^SIP\/2\.0 481 /);
  } finally {
    peer.close();
  }
});
