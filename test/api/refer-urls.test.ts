import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ADMIN_SID, forEachDatabase, type TestApi } from './harness.js';

type Json = Record<string, unknown>;

const clients = `/Accounts/${ADMIN_SID}/Clients`;

async function application(api: TestApi, accountSid: string, auth?: readonly [string, string]): Promise<string> {
  const r = await api.request('POST', `/Accounts/${accountSid}/Applications.json`, { auth, form: { FriendlyName: 'refer app', RcmlUrl: 'http://127.0.0.1:8090/refer-app' } });
  assert.equal(r.status, 200, r.text);
  return r.json<{ sid: string }>().sid;
}

async function ok(reply: Promise<{ status: number; text: string; json<T>(): T }>): Promise<Json> {
  const r = await reply;
  assert.equal(r.status, 200, r.text);
  return r.json<Json>();
}

async function badRequest(reply: Promise<{ status: number; text: string; json<T>(): T }>, message: RegExp): Promise<void> {
  const r = await reply;
  assert.equal(r.status, 400, r.text);
  assert.match(r.json<{ message: string }>().message, message);
}

forEachDatabase('Refer URLs of Clients', (api) => {
  test('create with ReferUrl and ReferMethod renders them after the voice fields; the row holds them', async () => {
    const c = await ok(api().request('POST', `${clients}.json`, { form: { Login: 'p2p-alice', Password: 'RestComm12', VoiceUrl: 'http://127.0.0.1/v', ReferUrl: 'http://127.0.0.1:8090/refer', ReferMethod: 'get' } }));
    assert.equal(c.refer_url, 'http://127.0.0.1:8090/refer');
    assert.equal(c.refer_method, 'GET');
    assert.ok(!('refer_application_sid' in c), 'a null application is omitted');
    const keys = Object.keys(c);
    assert.deepEqual(keys.slice(keys.indexOf('voice_fallback_method') + 1, keys.indexOf('uri')), ['refer_url', 'refer_method']);
    const row = await api().store.clients.findByLogin('p2p-alice');
    assert.equal(row?.refer_url, 'http://127.0.0.1:8090/refer');
    assert.equal(row?.refer_method, 'GET');
    assert.equal(row?.refer_application_sid, null);
  });

  test('a client without refer fields renders exactly as before (no ReferMethod either)', async () => {
    const c = await ok(api().request('POST', `${clients}.json`, { form: { Login: 'p2p-plain', Password: 'RestComm12' } }));
    assert.ok(!('refer_method' in c) && !('refer_url' in c) && !('refer_application_sid' in c), JSON.stringify(c));
    assert.equal((await api().store.clients.findByLogin('p2p-plain'))?.refer_method, 'POST', 'the column default');
    const xml = await api().request('GET', `${clients}/${String(c.sid)}`);
    assert.doesNotMatch(xml.text, /<Refer/);
  });

  test('XML: ReferUrl, ReferMethod, ReferApplicationSid after VoiceApplicationSid; update sets and clears them', async () => {
    const app = await application(api(), ADMIN_SID);
    const created = await ok(api().request('POST', `${clients}.json`, { form: { Login: 'p2p-bob', Password: 'RestComm12', VoiceApplicationSid: app } }));
    const path = `${clients}/${String(created.sid)}`;
    const set = await api().request('POST', path, { form: { ReferUrl: 'http://127.0.0.1:8090/r', ReferMethod: 'POST', ReferApplicationSid: app } });
    assert.equal(set.status, 200, set.text);
    assert.match(set.text, new RegExp(`<VoiceApplicationSid>${app}</VoiceApplicationSid>\\s*<ReferUrl>http://127.0.0.1:8090/r</ReferUrl>\\s*<ReferMethod>POST</ReferMethod>\\s*<ReferApplicationSid>${app}</ReferApplicationSid>\\s*<Uri>`));
    const got = await ok(api().request('GET', `${path}.json`));
    assert.equal(got.refer_application_sid, app);
    assert.equal(got.refer_url, 'http://127.0.0.1:8090/r');

    const cleared = await ok(api().request('PUT', `${path}.json`, { form: { ReferUrl: '', ReferMethod: 'GET' } }));
    assert.ok(!('refer_url' in cleared), 'an empty ReferUrl clears it');
    assert.equal(cleared.refer_method, 'GET');
    assert.equal(cleared.refer_application_sid, app, 'fields not given stay');
    const reset = await ok(api().request('POST', `${path}.json`, { form: { ReferApplicationSid: '', ReferMethod: '' } }));
    assert.ok(!('refer_application_sid' in reset) && !('refer_method' in reset), JSON.stringify(reset));
    const row = await api().store.clients.findByLogin('p2p-bob');
    assert.deepEqual([row?.refer_url, row?.refer_method, row?.refer_application_sid], [null, 'POST', null]);
  });

  test('bad values answer 400 naming the field, on create and on update, and change nothing', async () => {
    const other = await api().createAccount('p2p-other@example.com');
    const foreignApp = await application(api(), other.sid, other.auth);
    const cases: [Record<string, string>, RegExp][] = [
      [{ ReferMethod: 'PATCH' }, /ReferMethod must be GET or POST, not "PATCH"/],
      [{ ReferUrl: 'ftp://127.0.0.1/r' }, /ReferUrl "ftp:\/\/127.0.0.1\/r" is not an http\(s\) URL/],
      [{ ReferApplicationSid: 'APnope' }, /ReferApplicationSid APnope is not an application of this account/],
      [{ ReferApplicationSid: foreignApp }, new RegExp(`ReferApplicationSid ${foreignApp} is not an application`)],
    ];
    for (const [form, message] of cases) {
      await badRequest(api().request('POST', `${clients}.json`, { form: { Login: 'p2p-bad', Password: 'RestComm12', ...form } }), message);
    }
    assert.equal(await api().store.clients.findByLogin('p2p-bad'), undefined);
    const c = await ok(api().request('POST', `${clients}.json`, { form: { Login: 'p2p-carol', Password: 'RestComm12', ReferUrl: 'http://127.0.0.1:8090/keep' } }));
    for (const [form, message] of cases) {
      await badRequest(api().request('POST', `${clients}/${String(c.sid)}.json`, { form }), message);
    }
    const xml = await api().request('POST', `${clients}/${String(c.sid)}`, { form: { ReferMethod: 'DELETE' } });
    assert.equal(xml.status, 400);
    assert.match(xml.text, /<Message>ReferMethod must be GET or POST/);
    const row = await api().store.clients.findByLogin('p2p-carol');
    assert.deepEqual([row?.refer_url, row?.refer_method, row?.refer_application_sid], ['http://127.0.0.1:8090/keep', 'POST', null]);
  });
});

forEachDatabase('Refer URLs of Accounts', (api) => {
  test('create with ReferUrl renders the refer fields at the end; without them the account renders as before', async () => {
    const r = await ok(api().request('POST', '/Accounts.json', { form: { EmailAddress: 'refer-a@example.com', Password: 'RestComm12', ReferUrl: 'http://127.0.0.1:8090/acct' } }));
    assert.deepEqual(Object.keys(r).slice(-3), ['subresource_uris', 'refer_url', 'refer_method']);
    assert.equal(r.refer_url, 'http://127.0.0.1:8090/acct');
    assert.equal(r.refer_method, 'POST');
    const plain = await ok(api().request('POST', '/Accounts.json', { form: { EmailAddress: 'refer-plain@example.com', Password: 'RestComm12' } }));
    assert.equal(Object.keys(plain).at(-1), 'subresource_uris');
    const row = await api().store.accounts.findBySid(String(plain.sid));
    assert.deepEqual([row?.refer_url, row?.refer_method, row?.refer_application_sid], [null, 'POST', null]);
  });

  test('XML tags at the end; update sets an application of the account itself, and empty values clear', async () => {
    const sub = await api().createAccount('refer-b@example.com');
    const app = await application(api(), sub.sid, sub.auth);
    const set = await api().request('POST', `/Accounts/${sub.sid}`, { auth: sub.auth, form: { ReferApplicationSid: app, ReferMethod: 'GET' } });
    assert.equal(set.status, 200, set.text);
    assert.match(set.text, new RegExp(`</SubresourceUris>\\s*<ReferMethod>GET</ReferMethod>\\s*<ReferApplicationSid>${app}</ReferApplicationSid>\\s*</Account>`));
    const got = await ok(api().request('GET', `/Accounts.json/${sub.sid}`));
    assert.equal(got.refer_application_sid, app);
    assert.ok(!('refer_url' in got));
    const cleared = await ok(api().request('PUT', `/Accounts.json/${sub.sid}`, { form: { ReferApplicationSid: '', ReferMethod: '' } }));
    assert.equal(Object.keys(cleared).at(-1), 'subresource_uris');
    const row = await api().store.accounts.findBySid(sub.sid);
    assert.deepEqual([row?.refer_url, row?.refer_method, row?.refer_application_sid], [null, 'POST', null]);
  });

  test('bad values answer 400 naming the field, on create and on update, and change nothing', async () => {
    const sub = await api().createAccount('refer-c@example.com');
    const adminApp = await application(api(), ADMIN_SID);
    const cases: [Record<string, string>, RegExp][] = [
      [{ ReferMethod: 'PUT' }, /ReferMethod must be GET or POST, not "PUT"/],
      [{ ReferUrl: 'mailto:x@example.com' }, /ReferUrl "mailto:x@example.com" is not an http\(s\) URL/],
      [{ ReferApplicationSid: 'AP0' }, /ReferApplicationSid AP0 is not an application of this account/],
      [{ ReferApplicationSid: adminApp }, new RegExp(`ReferApplicationSid ${adminApp} is not an application of this account`)],
    ];
    for (const [form, message] of cases) {
      await badRequest(api().request('POST', '/Accounts.json', { form: { EmailAddress: 'refer-bad@example.com', Password: 'RestComm12', ...form } }), message);
      await badRequest(api().request('POST', `/Accounts.json/${sub.sid}`, { form: { FriendlyName: 'renamed', ...form } }), message);
    }
    assert.equal(await api().store.accounts.findByEmail('refer-bad@example.com'), undefined);
    const row = await api().store.accounts.findBySid(sub.sid);
    assert.notEqual(row?.friendly_name, 'renamed', 'a refused update writes nothing');
    assert.deepEqual([row?.refer_url, row?.refer_method, row?.refer_application_sid], [null, 'POST', null]);
  });
});
