import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { NO_REFER_APP_CODE, resolveReferApp, type ReferApp } from '../../../src/calls/transfer/refer-app.js';
import { startApi, type TestApi } from '../../api/harness.js';

let api: TestApi & { close(): Promise<void> };
let account: { sid: string; auth: [string, string] };
let clientSid: string;
let accountApp: string;
let clientApp: string;

const accountPath = (): string => `/Accounts.json/${account.sid}`;
const clientPath = (): string => `/Accounts/${account.sid}/Clients/${clientSid}.json`;

async function post(path: string, form: Record<string, string>): Promise<{ sid: string }> {
  const r = await api.request('POST', path, { auth: account.auth, form });
  assert.equal(r.status, 200, r.text);
  return r.json<{ sid: string }>();
}

const application = async (url: string): Promise<string> =>
  (await post(`/Accounts/${account.sid}/Applications.json`, { FriendlyName: url, RcmlUrl: url })).sid;

const p2p = (callerClient?: string | null): Promise<ReferApp> =>
  resolveReferApp(api.store, { accountSid: account.sid, phoneNumberSid: null, peerToPeer: true, ...(callerClient === undefined ? {} : { callerClient }) });

const rcml = (url: string, method: 'GET' | 'POST', referUrl: string | null, referApplicationSid: string | null): ReferApp =>
  ({ kind: 'rcml', url, method, referUrl, referApplicationSid });

before(async () => {
  api = await startApi('sqlite');
  account = await api.createAccount('p2p-refer@example.com');
  accountApp = await application('http://127.0.0.1:8090/account-app');
  clientApp = await application('http://127.0.0.1:8090/client-app');
  clientSid = (await post(`/Accounts/${account.sid}/Clients.json`, { Login: 'p2p-caller', Password: 'RestComm12' })).sid;
});

after(async () => {
  await api.close();
});

test('peer to peer: client application > client URL > account application > account URL > direct dial', async () => {
  await post(accountPath(), { ReferUrl: 'http://127.0.0.1:8090/account-url', ReferApplicationSid: accountApp, ReferMethod: 'GET' });
  await post(clientPath(), { ReferUrl: 'http://127.0.0.1:8090/client-url', ReferApplicationSid: clientApp });
  assert.deepEqual(await p2p('p2p-caller'), rcml('http://127.0.0.1:8090/client-app', 'POST', 'http://127.0.0.1:8090/client-url', clientApp));

  await post(clientPath(), { ReferApplicationSid: '', ReferMethod: 'GET' });
  assert.deepEqual(await p2p('p2p-caller'), rcml('http://127.0.0.1:8090/client-url', 'GET', 'http://127.0.0.1:8090/client-url', null));

  await post(clientPath(), { ReferUrl: '' });
  assert.deepEqual(await p2p('p2p-caller'), rcml('http://127.0.0.1:8090/account-app', 'GET', 'http://127.0.0.1:8090/account-url', accountApp), "the account's method, not the client's");

  await post(accountPath(), { ReferApplicationSid: '', ReferMethod: '' });
  assert.deepEqual(await p2p('p2p-caller'), rcml('http://127.0.0.1:8090/account-url', 'POST', 'http://127.0.0.1:8090/account-url', null));

  await post(accountPath(), { ReferUrl: '' });
  assert.deepEqual(await p2p('p2p-caller'), { kind: 'direct' });
});

test('peer to peer without a known calling client dials directly', async () => {
  await post(accountPath(), { ReferUrl: 'http://127.0.0.1:8090/account-url' });
  try {
    assert.deepEqual(await p2p(), { kind: 'direct' }, 'the call layer gave no caller');
    assert.deepEqual(await p2p(null), { kind: 'direct' });
    assert.deepEqual(await p2p('nobody-here'), { kind: 'direct' }, 'a client deleted meanwhile');
  } finally {
    await post(accountPath(), { ReferUrl: '' });
  }
});

test("peer to peer: a client's Refer application that lost its RCML URL is refused, not bypassed", async () => {
  const app = await application('http://127.0.0.1:8090/soon-empty');
  await post(clientPath(), { ReferApplicationSid: app });
  await post(accountPath(), { ReferUrl: 'http://127.0.0.1:8090/account-url' });
  try {
    await api.store.applications.update(app, { rcml_url: null });
    const r = await p2p('p2p-caller');
    assert.equal(r.kind, 'refused');
    if (r.kind !== 'refused') return;
    assert.equal(r.status, 404);
    assert.equal(r.reasonHeader, 'SIP;cause=404;text="SIP Refer failed. Refer application of the client or account is missing or has no RCML URL"');
    assert.equal(r.notification.code, NO_REFER_APP_CODE);
    assert.equal(r.notification.message, `REFER refused: Refer application ${app} of client p2p-caller is missing or has no RCML URL`);
  } finally {
    await post(clientPath(), { ReferApplicationSid: '' });
    await post(accountPath(), { ReferUrl: '' });
  }
});

test("calls on a number keep the number's rule: its application > its URL > 404, whatever the client and account say", async () => {
  await post(clientPath(), { ReferUrl: 'http://127.0.0.1:8090/client-url' });
  await post(accountPath(), { ReferUrl: 'http://127.0.0.1:8090/account-url' });
  const numberApp = await application('http://127.0.0.1:8090/number-app');
  const number = await post(`/Accounts/${account.sid}/IncomingPhoneNumbers.json`, {
    isSIP: 'true', PhoneNumber: '7001', ReferUrl: 'http://127.0.0.1:8090/number-url', ReferApplicationSid: numberApp,
  });
  const onNumber = (peerToPeer: boolean): Promise<ReferApp> =>
    resolveReferApp(api.store, { accountSid: account.sid, phoneNumberSid: number.sid, peerToPeer, callerClient: 'p2p-caller' });
  assert.deepEqual(await onNumber(false), rcml('http://127.0.0.1:8090/number-app', 'POST', 'http://127.0.0.1:8090/number-url', numberApp));
  await post(`/Accounts/${account.sid}/IncomingPhoneNumbers/${number.sid}.json`, { ReferApplicationSid: '' });
  assert.deepEqual(await onNumber(false), rcml('http://127.0.0.1:8090/number-url', 'POST', 'http://127.0.0.1:8090/number-url', null));
  await post(`/Accounts/${account.sid}/IncomingPhoneNumbers/${number.sid}.json`, { ReferUrl: '' });
  const refused = await onNumber(false);
  assert.equal(refused.kind === 'refused' && refused.notification.message, 'REFER refused: phone number 7001 has neither a Refer URL nor a Refer application');
  const noNumber = await resolveReferApp(api.store, { accountSid: account.sid, phoneNumberSid: null, peerToPeer: false, callerClient: 'p2p-caller' });
  assert.equal(noNumber.kind, 'refused', "a non-peer-to-peer call without a number never uses the client's Refer URL");
});
