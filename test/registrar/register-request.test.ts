import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMessage } from '../../src/sip/message/parser.js';
import type { SipRequest } from '../../src/sip/message/types.js';
import { readRegister } from '../../src/registrar/register-request.js';
import { planBindings, type RegisterContext } from '../../src/registrar/binding-plan.js';
import { routingTarget } from '../../src/registrar/routing-target.js';
import type { BindingRow } from '../../src/registrar/binding-store.js';

const LIMITS = { defaultSeconds: 3600, maxSeconds: 3600, minSeconds: 60 };

function register(extra: string[], cseq = 1, callId = 'c1'): SipRequest {
  const text = [
    'REGISTER sip:127.0.0.1:5080 SIP/2.0',
    'Via: SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK1',
    'From: <sip:alice@127.0.0.1>;tag=1',
    'To: <sip:alice@127.0.0.1>',
    `Call-ID: ${callId}`,
    `CSeq: ${cseq} REGISTER`,
    'Max-Forwards: 70',
    ...extra,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
  const msg = parseMessage(Buffer.from(text));
  assert.equal(msg.kind, 'request');
  return msg as SipRequest;
}

test('expiry: Contact param, then Expires header, then default; capped; 423 below the minimum', () => {
  const r1 = readRegister(register(['Contact: <sip:alice@10.0.0.5:5060>;expires=120', 'Expires: 300']), LIMITS);
  assert.equal(r1.kind === 'update' && r1.contacts[0]?.expires, 120);
  const r2 = readRegister(register(['Contact: <sip:alice@10.0.0.5:5060>', 'Expires: 300']), LIMITS);
  assert.equal(r2.kind === 'update' && r2.contacts[0]?.expires, 300);
  const r3 = readRegister(register(['Contact: <sip:alice@10.0.0.5:5060>']), LIMITS);
  assert.equal(r3.kind === 'update' && r3.contacts[0]?.expires, 3600);
  const r4 = readRegister(register(['Contact: <sip:alice@10.0.0.5:5060>;expires=99999']), LIMITS);
  assert.equal(r4.kind === 'update' && r4.contacts[0]?.expires, 3600);
  assert.deepEqual(readRegister(register(['Contact: <sip:alice@10.0.0.5:5060>;expires=30']), LIMITS), {
    kind: 'reject', status: 423, reason: 'Interval Too Brief', headers: [['Min-Expires', '60']],
  });
  const r5 = readRegister(register(['Contact: <sip:alice@10.0.0.5:5060>', 'Expires: 0']), LIMITS);
  assert.equal(r5.kind === 'update' && r5.contacts[0]?.expires, 0);
});

test('wildcard, query, parameters and bad input', () => {
  assert.deepEqual(readRegister(register(['Contact: *', 'Expires: 0']), LIMITS), { kind: 'remove-all' });
  assert.deepEqual(readRegister(register(['Contact: *']), LIMITS), { kind: 'reject', status: 400, reason: 'Bad Request - Contact "*" requires Expires: 0' });
  assert.deepEqual(readRegister(register(['Contact: *, <sip:a@b>', 'Expires: 0']), LIMITS), { kind: 'reject', status: 400, reason: 'Bad Request - Contact "*" must be the only Contact' });
  assert.deepEqual(readRegister(register([]), LIMITS), { kind: 'query' });
  assert.deepEqual(readRegister(register(['Contact: <sip:a@b>', 'Expires: soon']), LIMITS), { kind: 'reject', status: 400, reason: 'Bad Request - Invalid Expires header' });
  assert.deepEqual(readRegister(register(['Contact: <sip:a@b>;q=2']), LIMITS), { kind: 'reject', status: 400, reason: 'Bad Request - Invalid Contact q parameter' });
  assert.deepEqual(readRegister(register(['Contact: <sip:user@example.com?Route=%3Csip:sip.example.com%3E>']), LIMITS), { kind: 'reject', status: 400, reason: 'Bad Request - Contact URI must not carry headers' });
  const ok = readRegister(register(['Contact: <sip:alice@10.0.0.5:5060;transport=tcp>;q=0.5;+sip.instance="<urn:uuid:1>";reg-id=1']), LIMITS);
  assert.equal(ok.kind, 'update');
  if (ok.kind !== 'update') return;
  assert.equal(ok.contacts[0]?.q, 0.5);
  assert.equal(ok.contacts[0]?.instanceId, '<urn:uuid:1>');
  assert.equal(ok.contacts[0]?.regId, 1);
});

test('routing target takes the source address when the Contact differs (NAT), keeping transport', () => {
  const req = register(['Contact: <sip:alice@192.168.1.20:5060;transport=udp>']);
  const intent = readRegister(req, LIMITS);
  assert.equal(intent.kind, 'update');
  if (intent.kind !== 'update') return;
  const uri = intent.contacts[0]?.uri;
  assert.ok(uri);
  assert.equal(routingTarget(uri, { address: '203.0.113.7', port: 40000, transport: 'UDP' }).raw, 'sip:alice@203.0.113.7:40000;transport=udp');
  assert.equal(routingTarget(uri, { address: '192.168.1.20', port: 5060, transport: 'UDP' }).raw, 'sip:alice@192.168.1.20:5060;transport=udp');
});

function ctx(over: Partial<RegisterContext> = {}): RegisterContext {
  let n = 0;
  return {
    login: 'alice', accountSid: 'AC1', clientSid: 'CL1', aor: 'sip:alice@127.0.0.1', callId: 'c1', cseq: 2, userAgent: 'ua',
    source: { address: '10.0.0.5', port: 5060, transport: 'UDP' }, now: Date.parse('2026-01-01T00:00:00Z'), newSid: () => `RG${++n}`, ...over,
  };
}

function contactsOf(extra: string[]) {
  const intent = readRegister(register(extra), LIMITS);
  assert.equal(intent.kind, 'update');
  return intent.kind === 'update' ? intent.contacts : [];
}

test('planning: new, refresh, removal, Call-ID/CSeq ordering, instance replacement', () => {
  const first = planBindings([], contactsOf(['Contact: <sip:alice@10.0.0.5:5060>;expires=600']), ctx());
  assert.equal(first.kind, 'apply');
  if (first.kind !== 'apply') return;
  const row = first.upsert[0] as BindingRow;
  assert.equal(row.sid, 'RG1');
  assert.equal(row.expires_at, '2026-01-01T00:10:00.000Z');
  assert.equal(row.received_uri, 'sip:alice@10.0.0.5:5060');
  assert.equal(row.transport, 'UDP');
  const refresh = planBindings([row], contactsOf(['Contact: <sip:alice@10.0.0.5:5060>;expires=600']), ctx({ cseq: 3 }));
  assert.equal(refresh.kind === 'apply' && refresh.upsert[0]?.sid, 'RG1');
  assert.deepEqual(planBindings([row], contactsOf(['Contact: <sip:alice@10.0.0.5:5060>']), ctx({ cseq: 2 })), { kind: 'out-of-order' });
  const otherCall = planBindings([row], contactsOf(['Contact: <sip:alice@10.0.0.5:5060>']), ctx({ cseq: 1, callId: 'c2' }));
  assert.equal(otherCall.kind, 'apply');
  assert.deepEqual(planBindings([row], contactsOf(['Contact: <sip:alice@10.0.0.5:5060>;expires=0']), ctx({ cseq: 3 })), { kind: 'apply', remove: ['RG1'], upsert: [] });
  const second = planBindings([row], contactsOf(['Contact: <sip:alice@10.0.0.6:5060>']), ctx({ cseq: 3, newSid: () => 'RG2' }));
  assert.deepEqual(second.kind === 'apply' && [second.remove, second.upsert[0]?.sid], [[], 'RG2']);
  const withInstance = { ...row, instance_id: '<urn:uuid:1>', reg_id: 1 };
  const moved = planBindings([withInstance], contactsOf(['Contact: <sip:alice@10.0.0.9:5070>;+sip.instance="<urn:uuid:1>";reg-id=1']), ctx({ cseq: 3 }));
  assert.equal(moved.kind === 'apply' && moved.upsert[0]?.sid, 'RG1');
  assert.equal(moved.kind === 'apply' && moved.upsert[0]?.contact_uri, 'sip:alice@10.0.0.9:5070');
});
