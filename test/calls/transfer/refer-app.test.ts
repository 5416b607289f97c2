import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { NO_REFER_APP_CODE, referParameters, resolveReferApp, type ReferApp } from '../../../src/calls/transfer/refer-app.js';
import { readReferRequest, type ReferRequest } from '../../../src/calls/transfer/refer-request.js';
import { parseMessage, type SipRequest } from '../../../src/sip/message/index.js';
import { ADMIN_SID, startApi, type TestApi } from '../../api/harness.js';

let api: TestApi & { close(): Promise<void> };

before(async () => {
  api = await startApi('sqlite');
});

after(async () => {
  await api.close();
});

async function number(form: Record<string, string>): Promise<string> {
  const r = await api.request('POST', `/Accounts/${ADMIN_SID}/IncomingPhoneNumbers.json`, { form: { isSIP: 'true', ...form } });
  assert.equal(r.status, 200, r.text);
  return r.json<{ sid: string }>().sid;
}

const resolve = (phoneNumberSid: string | null, peerToPeer = false): Promise<ReferApp> =>
  resolveReferApp(api.store, { accountSid: ADMIN_SID, phoneNumberSid, peerToPeer });

test('the Refer URL of the number the call arrived on, with its method (POST by default)', async () => {
  assert.deepEqual(await resolve(await number({ PhoneNumber: '6001', ReferUrl: 'http://127.0.0.1:8090/refer', ReferMethod: 'GET' })), {
    kind: 'rcml',
    url: 'http://127.0.0.1:8090/refer',
    method: 'GET',
    referUrl: 'http://127.0.0.1:8090/refer',
    referApplicationSid: null,
  });
  const post = await resolve(await number({ PhoneNumber: '6002', ReferUrl: 'http://127.0.0.1:8090/r2' }));
  assert.equal(post.kind === 'rcml' && post.method, 'POST');
});

test('a Refer application wins over the Refer URL and supplies its RCML URL', async () => {
  const app = (await api.request('POST', `/Accounts/${ADMIN_SID}/Applications.json`, { form: { FriendlyName: 'refer app', RcmlUrl: 'http://127.0.0.1:8090/app' } })).json<{ sid: string }>();
  const resolved = await resolve(await number({ PhoneNumber: '6003', ReferUrl: 'http://127.0.0.1:8090/ignored', ReferApplicationSid: app.sid }));
  assert.deepEqual(resolved, { kind: 'rcml', url: 'http://127.0.0.1:8090/app', method: 'POST', referUrl: 'http://127.0.0.1:8090/ignored', referApplicationSid: app.sid });
});

test('no Refer URL: 404 with an RFC 3326 Reason naming it, and a Notification', async () => {
  const r = await resolve(await number({ PhoneNumber: '6004' }));
  assert.equal(r.kind, 'refused');
  if (r.kind !== 'refused') return;
  assert.equal(r.status, 404);
  assert.equal(r.reasonHeader, 'SIP;cause=404;text="SIP Refer failed. Set Refer URL or Refer application for incoming phone number"');
  assert.equal(r.notification.code, NO_REFER_APP_CODE);
  assert.equal(r.notification.message, 'REFER refused: phone number 6004 has neither a Refer URL nor a Refer application');
  const gone = await resolve('PN' + '0'.repeat(32));
  assert.equal(gone.kind === 'refused' && gone.notification.message, `REFER refused: phone number PN${'0'.repeat(32)} no longer exists`);
  const noNumber = await resolve(null);
  assert.equal(noNumber.kind, 'refused');
});

test('peer-to-peer calls without a number dial the target directly', async () => {
  assert.deepEqual(await resolve(null, true), { kind: 'direct' });
});

function refer(...headers: string[]): ReferRequest {
  const text = ['REFER sip:x@127.0.0.1 SIP/2.0', 'Via: SIP/2.0/UDP 127.0.0.1:5062;branch=z9hG4bKa', 'From: <sip:b@h>;tag=1', 'To: <sip:a@h>;tag=2', 'Call-ID: c', 'CSeq: 2 REFER', ...headers, 'Content-Length: 0', '', ''].join('\r\n');
  const r = readReferRequest(parseMessage(Buffer.from(text)) as SipRequest);
  assert.equal(r.kind, 'refer');
  return (r as { refer: ReferRequest }).refer;
}

test('parameters come from the legs, not from Contact users', () => {
  const params = referParameters({ client: 'bob', user: 'ignored' }, { client: null, user: '+15550001' }, refer('Refer-To: "Carol" <sip:carol@127.0.0.1:5064>', 'Referred-By: <sip:bob@127.0.0.1>'));
  assert.deepEqual(params, {
    Transferor: 'bob',
    Transferee: '+15550001',
    ReferTarget: 'carol',
    ReferTo: '"Carol" <sip:carol@127.0.0.1:5064>',
    ReferredBy: 'sip:bob@127.0.0.1',
  });
  assert.equal(referParameters({ client: null, user: '2001' }, { client: 'alice', user: 'x' }, refer('Refer-To: <sip:pbx.example.com>')).ReferTarget, 'sip:pbx.example.com');
});
