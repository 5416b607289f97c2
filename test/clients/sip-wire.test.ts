import assert from 'node:assert/strict';
import { test } from 'node:test';
import { acksPer2xx, assertOneAckPer2xx, parseSippTrace } from '../support/sip-wire.js';

const entry = (direction: 'sent' | 'received', lines: string[]): string =>
  `----------------------------------------------- 2026-12-07 21:10:37.607134\nUDP message ${direction} [100] bytes :\n\n${lines.join('\r\n')}\r\n\r\n`;
const ok = entry('sent', ['SIP/2.0 200 OK', 'Call-ID: c1', 'CSeq: 1 INVITE', 'Content-Length: 0']);
const ack = entry('received', ['ACK sip:bob@127.0.0.1 SIP/2.0', 'Call-ID: c1', 'CSeq: 1 ACK', 'Referred-By: <sip:x@y>', 'Content-Length: 0']);

test('a SIPp trace is read into messages with direction, method or status, Call-ID, CSeq and headers', () => {
  const wire = parseSippTrace(ok + ack);
  assert.equal(wire.length, 2);
  assert.deepEqual([wire[0]?.direction, wire[0]?.status, wire[0]?.method, wire[0]?.cseq], ['sent', 200, null, { seq: 1, method: 'INVITE' }]);
  assert.deepEqual([wire[1]?.direction, wire[1]?.method, wire[1]?.callId], ['received', 'ACK', 'c1']);
  assert.equal(wire[1]?.header('referred-by'), '<sip:x@y>');
});

test('one ACK per 2xx passes; a second ACK for a single 2xx fails, and so does a missing one', () => {
  assertOneAckPer2xx(ok + ack);
  assertOneAckPer2xx(ok + ack + ok + ack);
  assert.deepEqual(acksPer2xx(parseSippTrace(ok + ack + ack)), [{ callId: 'c1', seq: 1, sent2xx: 1, acks: 2 }]);
  assert.throws(() => assertOneAckPer2xx(ok + ack + ack), /2 ACK\(s\) for 1 2xx/);
  assert.throws(() => assertOneAckPer2xx(ok), /0 ACK\(s\) for 1 2xx/);
  assert.throws(() => assertOneAckPer2xx(''), /answered INVITEs/);
});
