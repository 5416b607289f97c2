import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ADMIN_SID, forEachDatabase } from './harness.js';

interface AppJson {
  sid: string;
  friendly_name: string;
  account_sid: string;
  voice_caller_id_lookup: boolean;
  rcml_url?: string;
  kind?: string;
  uri: string;
  numbers?: { sid: string; phone_number: string; voice_application_sid?: string; refer_application_sid?: string }[];
}

const apps = `/Accounts/${ADMIN_SID}/Applications`;

forEachDatabase('Applications', (api) => {
  test('create, read, list with the numbers that use each app, update, delete', async () => {
    const r = await api().request('POST', `${apps}.json`, { form: { FriendlyName: 'IVR', RcmlUrl: '/visual-designer/services/apps/x/controller', Kind: 'voice', VoiceCallerIdLookup: 'true' } });
    assert.equal(r.status, 200);
    const a = r.json<AppJson>();
    assert.match(a.sid, /^AP[0-9a-f]{32}$/);
    assert.deepEqual(Object.keys(a), ['sid', 'date_created', 'date_updated', 'friendly_name', 'account_sid', 'api_version', 'voice_caller_id_lookup', 'uri', 'rcml_url', 'kind']);
    assert.equal(a.voice_caller_id_lookup, true);
    assert.equal(a.uri, `/2012-04-24/Accounts/${ADMIN_SID}/Applications/${a.sid}.json`);
    const n = await api().request('POST', `/Accounts/${ADMIN_SID}/IncomingPhoneNumbers.json`, { form: { PhoneNumber: '7000', isSIP: 'true', ReferApplicationSid: a.sid } });
    assert.equal(n.status, 200);
    const list = (await api().request('GET', `${apps}.json`)).json<AppJson[]>();
    const listed = list.find((x) => x.sid === a.sid);
    assert.deepEqual(listed?.numbers?.map((x) => [x.phone_number, x.refer_application_sid]), [['7000', a.sid]]);
    const xmlList = await api().request('GET', apps);
    assert.match(xmlList.text, /<Applications>\s*<Application>[\s\S]*<Numbers>\s*<Number>\s*<Sid>PN[\s\S]*<ReferApplicationSid>/);
    const single = await api().request('GET', `${apps}/${a.sid}`);
    assert.match(single.text, /<RestcommResponse>\s*<Application>\s*<Sid>AP[0-9a-f]{32}<\/Sid>[\s\S]*<VoiceCallerIdLookup>true<\/VoiceCallerIdLookup>[\s\S]*<Kind>voice<\/Kind>/);
    const u = await api().request('PUT', `${apps}/${a.sid}.json`, { form: { FriendlyName: 'IVR 2', RcmlUrl: '' } });
    assert.equal(u.json<AppJson>().friendly_name, 'IVR 2');
    assert.equal(u.json<AppJson>().rcml_url, undefined);
    assert.equal((await api().request('DELETE', `${apps}/${a.sid}`)).status, 200);
    assert.equal((await api().request('GET', `${apps}/${a.sid}.json`)).status, 404);
    assert.equal((await api().request('DELETE', `${apps}/${a.sid}`)).status, 200, 'Restcomm answers 200 even when nothing is there');
  });

  test('bad input answers 400 naming the field; malformed SIDs 404', async () => {
    const noName = await api().request('POST', `${apps}.json`, { form: { RcmlUrl: 'http://127.0.0.1/x' } });
    assert.equal(noName.status, 400);
    assert.match(noName.text, /Friendly name can not be null/);
    const kind = await api().request('POST', `${apps}.json`, { form: { FriendlyName: 'x', Kind: 'video' } });
    assert.equal(kind.status, 400);
    assert.match(kind.text, /Kind/);
    const url = await api().request('POST', `${apps}.json`, { form: { FriendlyName: 'x', RcmlUrl: 'not a url' } });
    assert.equal(url.status, 400);
    assert.match(url.text, /RcmlUrl/);
    assert.equal((await api().request('GET', `${apps}/hello.json`)).status, 404);
  });

  test('sibling accounts do not see each other\'s applications', async () => {
    const a = await api().createAccount('apps-a@example.com');
    const b = await api().createAccount('apps-b@example.com');
    const app = (await api().request('POST', `/Accounts/${a.sid}/Applications.json`, { auth: a.auth, form: { FriendlyName: 'mine' } })).json<AppJson>();
    assert.equal((await api().request('GET', `/Accounts/${a.sid}/Applications/${app.sid}.json`, { auth: b.auth })).status, 403);
    assert.equal((await api().request('GET', `/Accounts/${b.sid}/Applications/${app.sid}.json`, { auth: b.auth })).status, 404);
    assert.deepEqual((await api().request('GET', `/Accounts/${b.sid}/Applications.json`, { auth: b.auth })).json<AppJson[]>(), []);
  });
});
