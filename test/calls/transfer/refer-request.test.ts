import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readReferRequest, type ReferRequest } from '../../../src/calls/transfer/refer-request.js';
import { parseMessage, type SipRequest } from '../../../src/sip/message/index.js';

function refer(...extra: string[]): SipRequest {
  const text = [
    'REFER sip:dialtone@127.0.0.1:5080 SIP/2.0',
    'Via: SIP/2.0/UDP 127.0.0.1:5062;branch=z9hG4bKrefer1;rport',
    'Max-Forwards: 70',
    'From: <sip:bob@127.0.0.1>;tag=bob1',
    'To: <sip:alice@127.0.0.1>;tag=dt1',
    'Call-ID: refer-parse@127.0.0.1',
    'CSeq: 3 REFER',
    'Contact: <sip:127.0.0.1:5062>',
    ...extra,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
  const msg = parseMessage(Buffer.from(text));
  assert.equal(msg.kind, 'request');
  return msg as SipRequest;
}

function accepted(req: SipRequest): ReferRequest {
  const r = readReferRequest(req);
  if (r.kind !== 'refer') assert.fail(`refused: ${r.refusal.reason}`);
  return r.refer;
}

function refusal(req: SipRequest): string {
  const r = readReferRequest(req);
  if (r.kind !== 'refused') assert.fail(`accepted ${r.refer.raw}`);
  assert.equal(r.refusal.status, 400);
  return r.refusal.reason;
}

test('linphone and baresip: bare addr-spec with a port', () => {
  const r = accepted(refer('Refer-To: sip:carol@127.0.0.1:5064'));
  assert.equal(r.target.user, 'carol');
  assert.equal(r.target.port, 5064);
  assert.equal(r.referTarget, 'carol');
  assert.equal(r.dialUri, 'sip:carol@127.0.0.1:5064');
  assert.equal(r.raw, 'sip:carol@127.0.0.1:5064');
  assert.equal(r.referSub, true);
  assert.equal(r.replaces, undefined);
  assert.equal(r.referredBy, undefined);
});

test('compact form r: is read as Refer-To', () => {
  assert.equal(accepted(refer('r: <sip:+15551234@pbx.example.com>')).referTarget, '+15551234');
});

test('desk phone styles: quoted and unquoted display names, params, user=phone', () => {
  const yealink = accepted(refer('Refer-To: "Carol Smith" <sip:carol@10.0.0.5;transport=udp>'));
  assert.equal(yealink.referTarget, 'carol');
  assert.equal(yealink.dialUri, 'sip:carol@10.0.0.5;transport=udp');
  const polycom = accepted(refer('Refer-To: Carol <sip:2002@pbx.example.com:5060;user=phone>'));
  assert.equal(polycom.referTarget, '2002');
  assert.equal(polycom.target.params.get('user'), 'phone');
  const cisco = accepted(refer('Refer-To: <sip:2003@192.168.1.10>', 'Referred-By: <sip:2001@192.168.1.10>'));
  assert.equal(cisco.referTarget, '2003');
  assert.equal(cisco.referredBy?.uri.user, '2001');
});

test('Referred-By with and without brackets, and unreadable Referred-By is ignored', () => {
  assert.equal(accepted(refer('Refer-To: <sip:carol@h>', 'Referred-By: sip:bob@h')).referredBy?.uri.user, 'bob');
  const cid = accepted(refer('Refer-To: <sip:carol@h>', 'Referred-By: "Bob" <sip:bob@h>;cid="20398823.2UWQFN309shb3@referrer.example"'));
  assert.equal(cid.referredBy?.displayName, 'Bob');
  assert.equal(cid.referredBy?.params.get('cid'), '"20398823.2UWQFN309shb3@referrer.example"');
  const odd = accepted(refer('Refer-To: <sip:carol@h>', 'Referred-By: <<bob>>'));
  assert.equal(odd.referredBy, undefined);
  assert.equal(odd.referTarget, 'carol');
});

test('tel URIs and host-only URIs', () => {
  const tel = accepted(refer('Refer-To: <tel:+1-201-555-0123>'));
  assert.equal(tel.target.scheme, 'tel');
  assert.equal(tel.referTarget, '+1-201-555-0123');
  const hostOnly = accepted(refer('Refer-To: <sip:voicemail.example.com>'));
  assert.equal(hostOnly.referTarget, 'sip:voicemail.example.com', 'the whole URI when it has no user part');
});

test('URI headers: Replaces is split out and not dialed', () => {
  const r = accepted(refer('Refer-To: <sip:carol@h?Replaces=abc%40h%3Bto-tag%3D1%3Bfrom-tag%3D2>'));
  assert.equal(r.replaces, 'abc@h;to-tag=1;from-tag=2');
  assert.equal(r.dialUri, 'sip:carol@h');
  assert.equal(r.raw, '<sip:carol@h?Replaces=abc%40h%3Bto-tag%3D1%3Bfrom-tag%3D2>');
  const bare = accepted(refer('Refer-To: sip:carol@h?Replaces=x%40h'));
  assert.equal(bare.replaces, 'x@h', 'a bracket-less URI with headers is still read');
});

test('Refer-Sub: false is honoured, true and absent mean a subscription', () => {
  assert.equal(accepted(refer('Refer-To: <sip:carol@h>', 'Refer-Sub: false')).referSub, false);
  assert.equal(accepted(refer('Refer-To: <sip:carol@h>', 'Refer-Sub: TRUE')).referSub, true);
  assert.equal(refusal(refer('Refer-To: <sip:carol@h>', 'Refer-Sub: maybe')), 'Bad Request - Malformed Refer-Sub: "maybe" is neither true nor false');
});

test('missing, doubled and malformed Refer-To are refused with a 400 naming the fault', () => {
  assert.equal(refusal(refer()), 'Bad Request - Missing Refer-To');
  assert.equal(refusal(refer('Refer-To: ')), 'Bad Request - Missing Refer-To');
  assert.equal(refusal(refer('Refer-To: <sip:a@h>', 'Refer-To: <sip:b@h>')), 'Bad Request - More than one Refer-To');
  assert.match(refusal(refer('Refer-To: carol')), /^Bad Request - Malformed Refer-To: Missing URI scheme/);
  assert.match(refusal(refer('Refer-To: <sip:carol@h')), /^Bad Request - Malformed Refer-To: Missing ">"/);
  assert.match(refusal(refer('Refer-To: <sip:carol@bad host>')), /^Bad Request - Malformed Refer-To: /);
  assert.match(refusal(refer('Refer-To: <sip:@h>')), /^Bad Request - Malformed Refer-To: Empty user part/);
  assert.equal(refusal(refer('Refer-To: <http://evil.example/x>')), 'Bad Request - Malformed Refer-To: scheme "http" is not sip, sips or tel');
  assert.match(refusal(refer('Refer-To: <sip:a@h>, <sip:b@h>')), /^Bad Request - Malformed Refer-To: /);
});
