import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ADMIN_SID, forEachDatabase } from './harness.js';

type NumberJson = Record<string, unknown> & { sid: string; phone_number: string; capabilities: Record<string, boolean> };
interface Page {
  page: number;
  num_pages: number;
  page_size: number;
  total: number;
  start: string;
  end: string;
  uri: string;
  previous_page_uri: string;
  next_page_uri: string;
  last_page_uri: string;
  incomingPhoneNumbers: NumberJson[];
}

const numbers = `/Accounts/${ADMIN_SID}/IncomingPhoneNumbers`;

forEachDatabase('IncomingPhoneNumbers', (api) => {
  test('a pure-SIP number with Refer fields: stored as given, nulls kept in JSON, key order of Restcomm', async () => {
    const app = (await api().request('POST', `/Accounts/${ADMIN_SID}/Applications.json`, { form: { FriendlyName: 'transfer app', RcmlUrl: 'http://127.0.0.1/t' } })).json<{ sid: string }>();
    const r = await api().request('POST', `${numbers}.json`, {
      form: { PhoneNumber: '11223344', isSIP: 'TRUE', ReferUrl: 'http://127.0.0.1/refer', ReferMethod: 'get', ReferApplicationSid: app.sid, VoiceCapable: 'true' },
    });
    assert.equal(r.status, 200);
    const n = r.json<NumberJson>();
    assert.equal(n.phone_number, '11223344');
    assert.equal(n.friendly_name, '11223344');
    assert.equal(n.refer_url, 'http://127.0.0.1/refer');
    assert.equal(n.refer_method, 'GET');
    assert.equal(n.refer_application_sid, app.sid);
    assert.equal(n.refer_application_name, 'transfer app');
    assert.equal(n.voice_url, null);
    assert.equal(n.ussd_method, 'POST');
    assert.deepEqual(n.capabilities, { voice_capable: true, sms_capable: false, mms_capable: false, fax_capable: false });
    assert.ok(!('voice_application_name' in n));
    const keys = Object.keys(n);
    assert.deepEqual(keys.slice(0, 4), ['sid', 'account_sid', 'friendly_name', 'phone_number']);
    assert.deepEqual(keys.slice(-7), ['refer_url', 'refer_method', 'refer_application_sid', 'refer_application_name', 'capabilities', 'api_version', 'uri']);
    assert.equal(n.uri, `/2012-04-24/Accounts/${ADMIN_SID}/IncomingPhoneNumbers/${n.sid}.json`);
    const xml = await api().request('GET', `${numbers}/${n.sid}`);
    assert.match(xml.text, /<ReferUrl>http:\/\/127.0.0.1\/refer<\/ReferUrl>\s*<ReferMethod>GET<\/ReferMethod>\s*<ReferApplicationSid>AP/);
    assert.match(xml.text, /<Capabilities>\s*<Voice>true<\/Voice>\s*<Sms>false<\/Sms>/);
    assert.doesNotMatch(xml.text, /<VoiceUrl>/);
    const routed = await api().store.numbers.findNumberForRouting('+11223344');
    assert.equal(routed?.sid, n.sid);
    assert.equal(routed?.account_status, 'active');
  });

  test('without isSIP the number is stored in E.164; a taken number answers 400 21452', async () => {
    const r = await api().request('POST', `${numbers}/Local.json`, { form: { PhoneNumber: '1 (415) 555-0100' } });
    assert.equal(r.status, 200);
    assert.equal(r.json<NumberJson>().phone_number, '+14155550100');
    const dup = await api().request('POST', `${numbers}/TollFree.json`, { form: { PhoneNumber: '+14155550100' } });
    assert.equal(dup.status, 400);
    assert.equal(dup.text, '21452');
    const none = await api().request('POST', `${numbers}.json`, { form: { FriendlyName: 'x' } });
    assert.equal(none.status, 400);
    assert.match(none.text, /Phone number can not be null/);
    const badMethod = await api().request('POST', `${numbers}.json`, { form: { PhoneNumber: '+15550001', ReferMethod: 'PUT' } });
    assert.equal(badMethod.status, 400);
    assert.match(badMethod.text, /ReferMethod/);
  });

  test('paging: envelope formulas, XML total is the real total, a page past the end is a 400', async () => {
    const account = await api().createAccount('numbers-paging@example.com');
    const base = `/Accounts/${account.sid}/IncomingPhoneNumbers`;
    for (let i = 0; i < 5; i++) {
      const r = await api().request('POST', `${base}.json`, { auth: account.auth, form: { PhoneNumber: `+1200555000${i}`, FriendlyName: i % 2 === 0 ? 'even line' : 'odd line' } });
      assert.equal(r.status, 200);
    }
    const p0 = (await api().request('GET', `${base}.json?PageSize=2`, { auth: account.auth })).json<Page>();
    assert.equal(p0.total, 5);
    assert.equal(p0.num_pages, 2);
    assert.equal(p0.start, '0');
    assert.equal(p0.end, '1');
    assert.equal(p0.previous_page_uri, 'null');
    assert.equal(p0.uri, `/2012-04-24/Accounts/${account.sid}/IncomingPhoneNumbers`);
    assert.equal(p0.next_page_uri, `${p0.uri}?Page=1&PageSize=2&AfterSid=${p0.incomingPhoneNumbers[1]?.sid}`);
    assert.deepEqual(p0.incomingPhoneNumbers.map((n) => n.phone_number), ['+12005550000', '+12005550001']);
    const p2 = (await api().request('GET', `${base}.json?PageSize=2&Page=2`, { auth: account.auth })).json<Page>();
    assert.equal(p2.incomingPhoneNumbers.length, 1);
    assert.equal(p2.start, '4');
    assert.equal(p2.end, '5');
    assert.equal(p2.next_page_uri, 'null');
    assert.equal(p2.last_page_uri, `${p0.uri}?Page=2&PageSize=2`);
    assert.equal((await api().request('GET', `${base}.json?PageSize=2&Page=3`, { auth: account.auth })).status, 400);
    assert.equal((await api().request('GET', `${base}.json?PageSize=0`, { auth: account.auth })).status, 400);
    assert.equal((await api().request('GET', `${base}.json?Page=-1`, { auth: account.auth })).status, 400);
    const xml = await api().request('GET', `${base}/Mobile?PageSize=2`, { auth: account.auth });
    assert.match(xml.text, /<IncomingPhoneNumbers page="0" numpages="2" pagesize="2" total="5" start="0" end="1"/);
    assert.equal((xml.text.match(/<IncomingPhoneNumber>/g) ?? []).length, 2);
    const filtered = (await api().request('GET', `${base}.json?FriendlyName=ODD`, { auth: account.auth })).json<Page>();
    assert.deepEqual(filtered.incomingPhoneNumbers.map((n) => n.phone_number), ['+12005550001', '+12005550003']);
    const byNumber = (await api().request('GET', `${base}.json?PhoneNumber=5550004`, { auth: account.auth })).json<Page>();
    assert.equal(byNumber.total, 1);
    const empty = (await api().request('GET', `${base}.json?PhoneNumber=nothing`, { auth: account.auth })).json<Page>();
    assert.equal(empty.total, 0);
    assert.equal(empty.num_pages, 0);
  });

  test('update clears URLs given empty, keeps the number; delete is 204 then 404; other accounts are refused', async () => {
    const n = (await api().request('POST', `${numbers}.json`, { form: { PhoneNumber: '+15551230000', VoiceUrl: 'http://127.0.0.1/v', ReferUrl: 'http://127.0.0.1/r' } })).json<NumberJson>();
    const u = await api().request('POST', `${numbers}/${n.sid}.json`, { form: { VoiceUrl: '', PhoneNumber: '+19999999999', ReferMethod: 'GET', FriendlyName: 'main' } });
    assert.equal(u.status, 200);
    const updated = u.json<NumberJson>();
    assert.equal(updated.voice_url, null);
    assert.equal(updated.refer_url, 'http://127.0.0.1/r');
    assert.equal(updated.refer_method, 'GET');
    assert.equal(updated.phone_number, '+15551230000');
    assert.equal(updated.friendly_name, 'main');
    const stranger = await api().createAccount('numbers-stranger@example.com');
    assert.equal((await api().request('GET', `${numbers}/${n.sid}.json`, { auth: stranger.auth })).status, 403);
    assert.equal((await api().request('GET', `/Accounts/${stranger.sid}/IncomingPhoneNumbers/${n.sid}.json`, { auth: stranger.auth })).status, 404);
    const del = await api().request('DELETE', `${numbers}/${n.sid}`);
    assert.equal(del.status, 204);
    assert.equal((await api().request('DELETE', `${numbers}/${n.sid}`)).status, 404);
    assert.equal((await api().request('GET', `${numbers}/PN-malformed.json`)).status, 404);
  });
});
