import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../support/clock.js';
import type { SipMessage, SipRequest, SipResponse } from '../../../src/sip/message/types.js';
import { DEFAULT_TIMERS, type TransactionEnv } from '../../../src/sip/transaction/types.js';
import { InviteClientTransaction } from '../../../src/sip/transaction/invite-client.js';
import { NonInviteClientTransaction } from '../../../src/sip/transaction/non-invite-client.js';
import { InviteServerTransaction } from '../../../src/sip/transaction/invite-server.js';
import { NonInviteServerTransaction } from '../../../src/sip/transaction/non-invite-server.js';
import { Reliable2xx } from '../../../src/sip/transaction/reliable-2xx.js';

// The state machines only read method and status, so these stand-ins carry just that.
const req = (method: string): SipRequest => ({ kind: 'request', method }) as unknown as SipRequest;
const res = (status: number): SipResponse => ({ kind: 'response', status }) as unknown as SipResponse;

function harness(reliable = false) {
  const clock = new ManualClock();
  const sent: { at: number; msg: SipMessage }[] = [];
  const env: TransactionEnv = { clock, timers: DEFAULT_TIMERS, reliable, send: (msg) => sent.push({ at: clock.now(), msg }) };
  const log: string[] = [];
  const events = {
    onResponse: (r: SipResponse) => log.push(`response ${r.status}`),
    onTimeout: () => log.push('timeout'),
    onTerminated: () => log.push('terminated'),
  };
  return { clock, sent, env, log, events };
}

test('INVITE client over UDP retransmits at 0.5, 1.5, 3.5, ... s and times out at 64·T1', () => {
  const h = harness();
  const tx = new InviteClientTransaction(req('INVITE'), h.env, () => req('ACK'), h.events);
  tx.start();
  h.clock.advance(40_000);
  assert.deepEqual(
    h.sent.map((s) => s.at),
    [0, 500, 1500, 3500, 7500, 15500, 31500],
  );
  assert.deepEqual(h.log, ['timeout', 'terminated']);
  assert.equal(tx.state, 'terminated');
  assert.equal(h.clock.pending, 0);
});

test('INVITE client over TCP never retransmits but still times out', () => {
  const h = harness(true);
  const tx = new InviteClientTransaction(req('INVITE'), h.env, () => req('ACK'), h.events);
  tx.start();
  h.clock.advance(31_999);
  assert.equal(h.sent.length, 1);
  assert.deepEqual(h.log, []);
  h.clock.advance(1);
  assert.deepEqual(h.log, ['timeout', 'terminated']);
});

test('INVITE client: provisional stops retransmission, non-2xx is ACKed, retransmitted final re-ACKed, Timer D ends it', () => {
  const h = harness();
  const tx = new InviteClientTransaction(req('INVITE'), h.env, () => req('ACK'), h.events);
  tx.start();
  h.clock.advance(600);
  tx.receive(res(180));
  h.clock.advance(60_000);
  assert.equal(h.sent.length, 2, 'no retransmission once proceeding, and no Timer B');
  assert.equal(tx.state, 'proceeding');
  tx.receive(res(486));
  assert.equal(tx.state, 'completed');
  assert.equal((h.sent[2]?.msg as SipRequest).method, 'ACK');
  tx.receive(res(486));
  assert.equal(h.sent.length, 4, 'ACK resent for the retransmitted 486');
  assert.deepEqual(h.log, ['response 180', 'response 486']);
  h.clock.advance(31_999);
  assert.equal(tx.state, 'completed');
  h.clock.advance(1);
  assert.equal(tx.state, 'terminated');
});

test('INVITE client: 2xx goes to Accepted (RFC 6026), 2xx retransmissions reach the TU, Timer M ends it', () => {
  const h = harness();
  const tx = new InviteClientTransaction(req('INVITE'), h.env, () => req('ACK'), h.events);
  tx.start();
  tx.receive(res(200));
  tx.receive(res(200));
  tx.receive(res(486));
  assert.deepEqual(h.log, ['response 200', 'response 200']);
  assert.equal(h.sent.length, 1, 'the transaction does not ACK a 2xx');
  h.clock.advance(32_000);
  assert.equal(tx.state, 'terminated');
});

test('non-INVITE client: Timer E doubles up to T2, stays at T2 in Proceeding, Timer F times out', () => {
  const h = harness();
  const tx = new NonInviteClientTransaction(req('OPTIONS'), h.env, h.events);
  tx.start();
  h.clock.advance(32_000);
  assert.deepEqual(
    h.sent.map((s) => s.at),
    [0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500],
  );
  assert.deepEqual(h.log, ['timeout', 'terminated']);

  const p = harness();
  const tx2 = new NonInviteClientTransaction(req('BYE'), p.env, p.events);
  tx2.start();
  p.clock.advance(100);
  tx2.receive(res(100));
  p.clock.advance(9000);
  assert.deepEqual(
    p.sent.map((s) => s.at),
    [0, 500, 4500, 8500],
  );
  tx2.receive(res(200));
  assert.equal(tx2.state, 'completed');
  p.clock.advance(4999);
  assert.equal(tx2.state, 'completed');
  p.clock.advance(1);
  assert.equal(tx2.state, 'terminated');
  assert.deepEqual(p.log, ['response 100', 'response 200', 'terminated']);
});

test('non-INVITE client over TCP: terminated right after the final response (Timer K = 0)', () => {
  const h = harness(true);
  const tx = new NonInviteClientTransaction(req('OPTIONS'), h.env, h.events);
  tx.start();
  tx.receive(res(200));
  assert.equal(tx.state, 'terminated');
  assert.equal(h.clock.pending, 0);
});

test('INVITE server: retransmissions resend the last response; non-2xx retransmitted by Timer G; ACK confirms; Timer I ends', () => {
  const h = harness();
  const tx = new InviteServerTransaction(req('INVITE'), h.env, h.events);
  tx.respond(res(100));
  tx.receive(req('INVITE'));
  assert.deepEqual(
    h.sent.map((s) => (s.msg as SipResponse).status),
    [100, 100],
  );
  tx.respond(res(486));
  h.clock.advance(8000);
  assert.deepEqual(
    h.sent.slice(2).map((s) => s.at),
    [0, 500, 1500, 3500, 7500],
  );
  tx.receive(req('INVITE'));
  assert.equal((h.sent.at(-1)?.msg as SipResponse).status, 486);
  tx.receive(req('ACK'));
  assert.equal(tx.state, 'confirmed');
  const count = h.sent.length;
  h.clock.advance(4999);
  assert.equal(h.sent.length, count, 'no retransmission after ACK');
  h.clock.advance(1);
  assert.equal(tx.state, 'terminated');
  assert.throws(() => tx.respond(res(200)), /already answered/);
});

test('INVITE server: no ACK for a non-2xx → Timer H at 64·T1 reports a timeout', () => {
  const h = harness();
  const tx = new InviteServerTransaction(req('INVITE'), h.env, h.events);
  tx.respond(res(404));
  h.clock.advance(31_999);
  assert.deepEqual(h.log, []);
  h.clock.advance(1);
  assert.deepEqual(h.log, ['timeout', 'terminated']);
  assert.deepEqual(
    h.sent.map((s) => s.at),
    [0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500],
  );
});

test('INVITE server: 2xx enters Accepted and absorbs retransmitted INVITEs until Timer L', () => {
  const h = harness();
  const tx = new InviteServerTransaction(req('INVITE'), h.env, h.events);
  tx.respond(res(200));
  tx.receive(req('INVITE'));
  assert.equal(h.sent.length, 1);
  assert.equal(tx.state, 'accepted');
  h.clock.advance(32_000);
  assert.equal(tx.state, 'terminated');
});

test('non-INVITE server: absorbs in Trying, resends in Proceeding and Completed, Timer J ends it', () => {
  const h = harness();
  const tx = new NonInviteServerTransaction(req('REGISTER'), h.env, h.events);
  tx.receive(req('REGISTER'));
  assert.equal(h.sent.length, 0);
  tx.respond(res(100));
  tx.receive(req('REGISTER'));
  tx.respond(res(200));
  tx.receive(req('REGISTER'));
  assert.deepEqual(
    h.sent.map((s) => (s.msg as SipResponse).status),
    [100, 100, 200, 200],
  );
  h.clock.advance(31_999);
  assert.equal(tx.state, 'completed');
  h.clock.advance(1);
  assert.equal(tx.state, 'terminated');
});

test('Reliable2xx retransmits at T1 doubling to T2 until acked, or reports a timeout at 64·T1', () => {
  const h = harness();
  let timeouts = 0;
  const r = new Reliable2xx(res(200), h.env, () => timeouts++);
  r.start();
  h.clock.advance(8000);
  assert.deepEqual(
    h.sent.map((s) => s.at),
    [500, 1500, 3500, 7500],
  );
  r.acked();
  h.clock.advance(60_000);
  assert.equal(h.sent.length, 4);
  assert.equal(timeouts, 0);
  assert.equal(h.clock.pending, 0);

  const g = harness();
  const r2 = new Reliable2xx(res(200), g.env, () => timeouts++);
  r2.start();
  g.clock.advance(32_000);
  assert.equal(timeouts, 1);
  assert.equal(r2.pending, false);
});
