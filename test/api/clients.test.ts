import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { ADMIN_SID, forEachDatabase, SIP_DOMAIN } from './harness.js';

interface ClientJson {
  sid: string;
  login: string;
  password: string;
  password_algorithm: string;
  status: string;
  friendly_name: string;
  voice_url?: string;
  voice_method: string;
  voice_application_sid?: string;
  push_client_identity?: string;
  uri: string;
}

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');
const clients = `/Accounts/${ADMIN_SID}/Clients`;

forEachDatabase('Clients', (api) => {
  test('create stores the digest HA1 with the SIP domain as realm; the same login again returns the same client', async () => {
    const r = await api().request('POST', `${clients}.json`, { form: { Login: 'alice', Password: 'RestComm12', VoiceUrl: 'http://127.0.0.1/app' } });
    assert.equal(r.status, 200);
    const c = r.json<ClientJson>();
    assert.match(c.sid, /^CL[0-9a-f]{32}$/);
    assert.equal(c.password, md5(`alice:${SIP_DOMAIN}:RestComm12`));
    assert.equal(c.password_algorithm, 'MD5');
    assert.equal(c.status, '1');
    assert.equal(c.friendly_name, 'alice');
    assert.equal(c.voice_method, 'POST');
    assert.equal(c.uri, `/2012-04-24/Accounts/${ADMIN_SID}/Clients/${c.sid}.json`);
    assert.ok(!('voice_fallback_url' in c), 'null fields are omitted in JSON');
    const again = await api().request('POST', `${clients}.json`, { form: { Login: 'alice', Password: 'RestComm1234' } });
    assert.equal(again.status, 200);
    assert.equal(again.json<ClientJson>().sid, c.sid);
    assert.equal(again.json<ClientJson>().password, c.password, 'unchanged');
    const forAuth = await api().store.clients.findClientByLogin('alice');
    assert.equal(forAuth?.sid, c.sid);
    assert.equal(forAuth?.account_status, 'active');
    assert.equal(await api().store.clients.findClientByLogin('nobody'), undefined);
  });

  test('a login owned by another account is a 409', async () => {
    const other = await api().createAccount('client-owner@example.com');
    const r = await api().request('POST', `/Accounts/${other.sid}/Clients.json`, { auth: other.auth, form: { Login: 'alice', Password: 'RestComm12' } });
    assert.equal(r.status, 409);
    assert.match(r.text, /another account/);
  });

  test('XML create, get and list with Restcomm tags', async () => {
    const r = await api().request('POST', clients, { form: { Login: 'bob', Password: 'RestComm12', FriendlyName: 'Bob B', Status: '0' } });
    assert.equal(r.status, 200);
    assert.match(r.text, /^<RestcommResponse>\s*<Client>\s*<Sid>CL[0-9a-f]{32}<\/Sid>/);
    assert.match(r.text, /<Password_Algorithm>MD5<\/Password_Algorithm>\s*<Status>0<\/Status>\s*<VoiceMethod>POST<\/VoiceMethod>\s*<VoiceFallbackMethod>POST<\/VoiceFallbackMethod>\s*<Uri>/);
    assert.doesNotMatch(r.text, /<VoiceUrl>/);
    const sid = /<Sid>(CL[0-9a-f]{32})<\/Sid>/.exec(r.text)?.[1] ?? '';
    const one = await api().request('GET', `${clients}/${sid}`);
    assert.match(one.text, /<FriendlyName>Bob B<\/FriendlyName>/);
    const list = await api().request('GET', clients);
    assert.match(list.text, /^<RestcommResponse>\s*<Clients>\s*<Client>/);
    assert.equal((list.text.match(/<Client>/g) ?? []).length, 2);
  });

  test('bad input: missing, invalid or weak values answer 400 naming the field', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ Password: 'RestComm12' }, /Login can not be null/],
      [{ Login: 'carol' }, /Password can not be null/],
      [{ Login: 'ca@rol', Password: 'RestComm12' }, /invalid character/],
      [{ Login: 'ca=rol', Password: 'RestComm12' }, /invalid character/],
      [{ Login: 'carol', Password: 'password' }, /Password too weak/],
      [{ Login: 'carol', Password: 'RestComm12', VoiceUrl: 'ftp://x' }, /VoiceUrl/],
      [{ Login: 'carol', Password: 'RestComm12', VoiceMethod: 'PATCH' }, /VoiceMethod/],
      [{ Login: 'carol', Password: 'RestComm12', VoiceApplicationSid: 'APnope' }, /VoiceApplicationSid/],
      [{ Login: 'carol', Password: 'RestComm12', FriendlyName: 'x'.repeat(65) }, /FriendlyName/],
    ];
    for (const [form, message] of cases) {
      const r = await api().request('POST', `${clients}.json`, { form });
      assert.equal(r.status, 400, JSON.stringify(form));
      assert.match(r.json<{ message: string }>().message, message);
    }
  });

  test('update re-hashes the password, clears an empty URL, sets push identity; delete then 404', async () => {
    const c = (await api().request('POST', `${clients}.json`, { form: { Login: 'dave', Password: 'RestComm12', VoiceUrl: 'http://127.0.0.1/v' } })).json<ClientJson>();
    const u = await api().request('PUT', `${clients}/${c.sid}.json`, { form: { Password: 'RestComm1234', VoiceUrl: '', IsPushEnabled: 'TRUE', Login: 'ignored' } });
    assert.equal(u.status, 200);
    const updated = u.json<ClientJson>();
    assert.equal(updated.password, md5(`dave:${SIP_DOMAIN}:RestComm1234`));
    assert.equal(updated.login, 'dave');
    assert.equal(updated.voice_url, undefined);
    assert.equal(updated.push_client_identity, c.sid);
    assert.equal((await api().request('GET', `${clients}/${c.sid}.json`)).json<ClientJson>().password, updated.password, 'persisted');
    const weak = await api().request('POST', `${clients}/${c.sid}.json`, { form: { Password: 'abc(12' } });
    assert.equal(weak.status, 400);
    assert.equal((await api().request('DELETE', `${clients}/${c.sid}`)).status, 200);
    assert.equal((await api().request('DELETE', `${clients}/${c.sid}`)).status, 404);
    assert.equal((await api().request('GET', `${clients}/${c.sid}.json`)).status, 404);
    assert.equal((await api().request('GET', `${clients}/not-a-sid.json`)).status, 404);
  });
});
