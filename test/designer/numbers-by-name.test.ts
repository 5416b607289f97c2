import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ADMIN_SID, forEachDatabase, type TestApi } from '../api/harness.js';
import { newProject } from './support.js';

type Json = Record<string, unknown>;
const numbers = `/Accounts/${ADMIN_SID}/IncomingPhoneNumbers.json`;

async function create(api: TestApi, form: Record<string, string>): Promise<{ status: number; body: Json }> {
  const r = await api.request('POST', numbers, { form: { isSIP: 'true', ...form } });
  return { status: r.status, body: r.json<Json>() };
}

forEachDatabase('IncomingPhoneNumbers naming applications', (api) => {
  test('VoiceApplicationSid, SmsApplicationSid and ReferApplicationSid take an application name or sid', async () => {
    const voice = await newProject(api(), 'by-name voice');
    const sms = await newProject(api(), 'by-name sms', 'sms');
    const refer = await newProject(api(), 'by-name refer');
    const r = await create(api(), { PhoneNumber: '7001', VoiceApplicationSid: 'by-name voice', SmsApplicationSid: 'by-name sms', ReferApplicationSid: refer });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.voice_application_sid, voice);
    assert.equal(r.body.voice_application_name, 'by-name voice');
    assert.equal(r.body.sms_application_sid, sms);
    assert.equal(r.body.refer_application_sid, refer);
    const updated = await api().request('POST', `/Accounts/${ADMIN_SID}/IncomingPhoneNumbers/${String(r.body.sid)}.json`, { form: { ReferApplicationSid: 'by-name voice' } });
    assert.equal(updated.json<Json>().refer_application_sid, voice);
  });

  test('ReferUrl: a URL stays a URL; the name of an application sets ReferApplicationSid and no URL', async () => {
    const refer = await newProject(api(), 'refer by url field');
    const named = await create(api(), { PhoneNumber: '7002', ReferUrl: 'refer by url field' });
    assert.equal(named.status, 200, JSON.stringify(named.body));
    assert.equal(named.body.refer_application_sid, refer);
    assert.equal(named.body.refer_url, null);
    assert.equal(named.body.refer_application_name, 'refer by url field');
    const url = await create(api(), { PhoneNumber: '7003', ReferUrl: 'http://127.0.0.1:9000/refer.xml' });
    assert.equal(url.body.refer_url, 'http://127.0.0.1:9000/refer.xml');
    assert.equal(url.body.refer_application_sid, null);
    const relative = await create(api(), { PhoneNumber: '7004', ReferUrl: `/visual-designer/services/apps/${refer}/controller` });
    assert.equal(relative.body.refer_url, `/visual-designer/services/apps/${refer}/controller`);
  });

  test('an unknown or ambiguous name is a 400 naming the field; another account\'s application is not seen', async () => {
    await newProject(api(), 'twin');
    await api().request('POST', `/Accounts/${ADMIN_SID}/Applications.json`, { form: { FriendlyName: 'twin', RcmlUrl: 'http://127.0.0.1:9000/twin' } });
    const other = await api().createAccount('byname-other@example.com');
    await newProject(api(), 'foreign app', 'voice', other.auth);
    const cases: [Record<string, string>, RegExp][] = [
      [{ VoiceApplicationSid: 'no such app' }, /^VoiceApplicationSid "no such app" is neither the sid nor the name of an application of this account$/],
      [{ SmsApplicationSid: 'twin' }, /^SmsApplicationSid "twin" is the name of 2 applications of this account: give the application's sid$/],
      [{ ReferUrl: 'twin' }, /^ReferUrl "twin" is the name of 2 applications/],
      [{ ReferUrl: 'nothing by that name' }, /^ReferUrl "nothing by that name" is neither an http\(s\) URL nor the name of an application of this account$/],
      [{ VoiceApplicationSid: 'foreign app' }, /VoiceApplicationSid "foreign app" is neither/],
      [{ ReferApplicationSid: 'AP00000000000000000000000000000000' }, /^ReferApplicationSid AP0{32} is not an application of this account$/],
    ];
    for (const [i, [form, message]] of cases.entries()) {
      const r = await create(api(), { PhoneNumber: `71${i}`, ...form });
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.match(String(r.body.message), message);
    }
  });
});
