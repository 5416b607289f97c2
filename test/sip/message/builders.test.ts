import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createRequest, createResponse, formatNameAddr, formatUri, generateBranch, generateTag, parseMessage, parseNameAddr,
  parseUri, serialize, withHeader, withoutHeader, withPrependedVia, withTopViaParams, type SipRequest,
} from '../../../src/sip/message/index.js';

const INVITE = [
  'INVITE sip:bob@example.com SIP/2.0',
  'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKa1;rport',
  'Via: SIP/2.0/TCP proxy.example.com;branch=z9hG4bKb2',
  'Max-Forwards: 70',
  'From: "Alice" <sip:alice@example.com>;tag=1928',
  'To: <sip:bob@example.com>',
  'Call-ID: a84b4c76e66710',
  'CSeq: 314159 INVITE',
  'X-Custom-Thing: odd ,, value;; \\x01"',
  'Timestamp: 54',
  'Content-Length: 4',
  '',
  'abcd',
].join('\r\n');

function invite(): SipRequest {
  const msg = parseMessage(Buffer.from(INVITE));
  assert.equal(msg.kind, 'request');
  return msg;
}

test('createResponse copies Via lines, From, To, Call-ID, CSeq and adds the To tag', () => {
  const res = createResponse(invite(), 180, undefined, { toTag: 'xyz', headers: [['Contact', '<sip:b@192.0.2.9>']] });
  assert.equal(res.status, 180);
  assert.equal(res.reason, 'Ringing');
  assert.deepEqual(res.vias.map((v) => v.branch), ['z9hG4bKa1', 'z9hG4bKb2']);
  assert.equal(res.to.params.get('tag'), 'xyz');
  assert.equal(res.from.params.get('tag'), '1928');
  assert.equal(res.callId, 'a84b4c76e66710');
  assert.deepEqual(res.cseq, { seq: 314159, method: 'INVITE' });
  assert.equal(res.headers.get('contact'), '<sip:b@192.0.2.9>');
  assert.equal(res.headers.has('Timestamp'), false);
  assert.equal(createResponse(invite(), 100).headers.get('Timestamp'), '54');
  const text = serialize(res).toString();
  assert.match(text, /^SIP\/2\.0 180 Ringing\r\n/);
  assert.match(text, /Content-Length: 0\r\n\r\n$/);
});

test('createResponse keeps an existing To tag', () => {
  const req = withHeader(invite(), 'To', '<sip:bob@example.com>;tag=old');
  assert.equal(createResponse(req, 200, 'Fine', { toTag: 'new' }).to.params.get('tag'), 'old');
});

test('serialize(parse(x)) keeps unknown headers byte for byte and fixes Content-Length', () => {
  const out = serialize(invite()).toString();
  assert.equal(out, INVITE);
  const changed = serialize(withoutHeader(invite(), 'content-length')).toString();
  assert.match(changed, /Content-Length: 4\r\n\r\nabcd$/);
});

test('with* helpers return new messages and leave the original alone', () => {
  const req = invite();
  const viaAdded = withPrependedVia(req, 'SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKnew');
  assert.deepEqual(viaAdded.vias.map((v) => v.host), ['10.0.0.1', '192.0.2.1', 'proxy.example.com']);
  assert.equal(req.vias.length, 2);
  const stamped = withTopViaParams(req, '203.0.113.7', 40000);
  assert.equal(stamped.vias[0]?.params.get('received'), '203.0.113.7');
  assert.equal(stamped.vias[0]?.params.get('rport'), '40000');
  const noRport = withTopViaParams(withoutHeader(req, 'via'), null, 1);
  assert.equal(noRport.headers.has('Via'), false);
  const unasked = withTopViaParams(withPrependedVia(req, 'SIP/2.0/UDP h;branch=z9hG4bKx'), null, 7);
  assert.equal(unasked.vias[0]?.params.has('rport'), false);
  assert.equal(unasked.headers.get('via'), 'SIP/2.0/UDP h;branch=z9hG4bKx');
  const mf = withHeader(req, 'max-forwards', '69');
  assert.equal(mf.headers.get('Max-Forwards'), '69');
  assert.equal(req.headers.get('Max-Forwards'), '70');
});

test('createRequest builds a message that serializes and parses back', () => {
  const req = createRequest({
    method: 'OPTIONS',
    uri: 'sip:carol@chicago.example.com;transport=tcp',
    headers: [
      ['v', 'SIP/2.0/TCP h.example.com;branch=z9hG4bK1'], ['f', '<sip:a@b>;tag=1'], ['t', '<sip:c@d>'],
      ['i', 'cid'], ['CSeq', '1 OPTIONS'], ['Max-Forwards', '70'],
    ],
    body: 'hi',
  });
  const back = parseMessage(serialize(req), { stream: true });
  assert.equal(back.kind, 'request');
  assert.equal(back.kind === 'request' && back.uri.params.get('transport'), 'tcp');
  assert.equal(back.headers.get('From'), '<sip:a@b>;tag=1');
  assert.equal(back.body.toString(), 'hi');
  assert.match(serialize(req).toString(), /\r\nVia: SIP\/2\.0\/TCP/);
});

test('URI and name-addr formatting round trips', () => {
  const uri = parseUri('sip:J%20Doe:pw@[2001:db8::1]:5061;transport=tls;lr?subject=hi%20there');
  assert.equal(uri.user, 'J Doe');
  assert.equal(uri.password, 'pw');
  assert.equal(uri.host, '[2001:db8::1]');
  assert.equal(uri.port, 5061);
  assert.equal(uri.params.get('lr'), null);
  assert.equal(uri.headers.get('subject'), 'hi there');
  assert.equal(formatUri(uri), 'sip:J%20Doe:pw@[2001:db8::1]:5061;transport=tls;lr?subject=hi%20there');
  const na = parseNameAddr('"A \\"q\\"" <sip:a@b.example>;tag=9;expires=60');
  assert.equal(na.displayName, 'A "q"');
  assert.equal(formatNameAddr(na), '"A \\"q\\"" <sip:a@b.example>;tag=9;expires=60');
  assert.equal(formatUri(parseUri('tel:+1-201-555-0123;phone-context=example.com')), 'tel:+1-201-555-0123;phone-context=example.com');
  assert.equal(formatUri(parseUri('urn:service:sos')), 'urn:service:sos');
});

test('branch and tag generators use the injected random source', () => {
  const fixed = (n: number): Buffer => Buffer.alloc(n, 0xab);
  assert.equal(generateBranch(fixed), `z9hG4bK${Buffer.alloc(12, 0xab).toString('base64url')}`);
  assert.equal(generateTag(fixed), 'abababababababab');
  assert.notEqual(generateBranch(), generateBranch());
  assert.match(generateBranch(), /^z9hG4bK[A-Za-z0-9_-]{16}$/);
});
