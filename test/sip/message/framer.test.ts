import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMessage, SipParseError, SipStreamFramer } from '../../../src/sip/message/index.js';

function msg(n: number, body = ''): string {
  return `OPTIONS sip:a@example.com SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK${n}\r\nFrom: <sip:b@example.com>;tag=1\r\n`
    + `To: <sip:a@example.com>\r\nCall-ID: c${n}\r\nCSeq: ${n} OPTIONS\r\nl: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

function callIds(items: Array<Buffer | SipParseError>): string[] {
  return items.map((item) => {
    assert.ok(item instanceof Buffer, String(item));
    return parseMessage(item, { stream: true }).callId;
  });
}

test('cuts merged messages and skips CRLF keep-alives, counting pings', () => {
  let pings = 0;
  const framer = new SipStreamFramer({ onPing: () => pings++ });
  const stream = Buffer.from(`\r\n\r\n${msg(1, 'hello')}\r\n${msg(2)}\r\n\r\n${msg(3, 'ü')}`);
  assert.deepEqual(callIds(framer.push(stream)), ['c1', 'c2', 'c3']);
  assert.equal(pings, 2);
  assert.equal(framer.pending, 0);
});

test('reassembles a message delivered one byte at a time', () => {
  const framer = new SipStreamFramer();
  const bytes = Buffer.from(msg(4, 'v=0\r\n') + msg(5));
  const out: Array<Buffer | SipParseError> = [];
  for (let i = 0; i < bytes.length; i++) out.push(...framer.push(bytes.subarray(i, i + 1)));
  assert.deepEqual(callIds(out), ['c4', 'c5']);
  const body = parseMessage(out[0] as Buffer, { stream: true }).body.toString();
  assert.equal(body, 'v=0\r\n');
});

test('missing Content-Length, duplicates and oversize messages end the stream with an error', () => {
  const missing = new SipStreamFramer().push(Buffer.from(msg(6).replace('l: 0\r\n', '')));
  assert.equal(missing.length, 1);
  assert.ok(missing[0] instanceof SipParseError);
  assert.equal(missing[0].reason, 'Bad Request - Missing Content-Length');
  const twice = new SipStreamFramer();
  const dup = twice.push(Buffer.from(msg(7).replace('l: 0\r\n', 'l: 0\r\nContent-Length: 3\r\n')));
  assert.equal(dup[0] instanceof SipParseError && dup[0].reason, 'Bad Request - Multiple Content-Length headers');
  assert.deepEqual(twice.push(Buffer.from(msg(8))), []);
  const small = new SipStreamFramer({ maxMessageSize: 300 });
  const big = small.push(Buffer.from(msg(9, 'x'.repeat(400))));
  assert.equal(big[0] instanceof SipParseError && big[0].status, 513);
  const endless = new SipStreamFramer({ maxMessageSize: 300 });
  assert.deepEqual(endless.push(Buffer.from('INVITE sip:x SIP/2.0\r\n')), []);
  const overflow = endless.push(Buffer.from('X: y\r\n'.repeat(60)));
  assert.equal(overflow[0] instanceof SipParseError && overflow[0].reason, 'Message Too Large');
});
