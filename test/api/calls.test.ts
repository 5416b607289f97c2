import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CallRecord } from '../../src/store/calls.js';
import { API_VERSION, newSid } from '../../src/store/sid.js';
import { ADMIN, ADMIN_SID, forEachDatabase, type TestApi } from './harness.js';

const INSTANCE = newSid('ID');

interface CallJson {
  sid: string;
  InstanceId: string;
  account_sid: string;
  to: string;
  from: string;
  status: string;
  direction: string;
  duration: number;
  ring_duration: number;
  uri: string;
  price?: string;
  price_unit?: string;
  start_time?: string;
  end_time?: string;
  parent_call_sid?: string;
  subresource_uris: { notifications: string; recordings: string };
}
interface Page {
  page: number;
  num_pages: number;
  page_size: number;
  total: number;
  start: string;
  end: string;
  uri: string;
  next_page_uri: string;
  calls: CallJson[];
}

let minute = 0;

async function addCall(api: TestApi, accountSid: string, over: Partial<CallRecord> = {}): Promise<CallRecord> {
  const sid = `${INSTANCE}-${newSid('CA')}`;
  minute++;
  const at = new Date(2024, 4, 1, 10, minute).toISOString();
  const row: CallRecord = {
    sid, instance_id: INSTANCE, parent_call_sid: null, account_sid: accountSid, sender: '+13021097000', recipient: 'alice',
    phone_number_sid: null, status: 'completed', start_time: at, end_time: new Date(2024, 4, 1, 10, minute, 30).toISOString(),
    duration: 30, ring_duration: 2, price: null, price_unit: 'USD', direction: 'inbound', answered_by: null, api_version: API_VERSION,
    forwarded_from: null, caller_name: 'Unknown', conference_sid: null, muted: 0, on_hold: 0, call_path: null,
    uri: `/${API_VERSION}/Accounts/${accountSid}/Calls/${sid}`, date_created: at, date_updated: at, ...over,
  };
  await api.store.calls.insert(row);
  return row;
}

forEachDatabase('Calls', (api) => {
  test('list: paging envelope, filters, sorting and SubAccounts in JSON', async () => {
    const account = await api().createAccount('calls-list@example.com');
    const child = await api().createAccount('calls-child@example.com', { parent: account.auth });
    const a = await addCall(api(), account.sid, { sender: '+13021097001', recipient: 'bob', duration: 5, status: 'busy', direction: 'outbound-api', price: '3' });
    const b = await addCall(api(), account.sid, { sender: '+447700900123', recipient: 'client:alice', duration: 50, price: '10' });
    const c = await addCall(api(), account.sid, { duration: 20, parent_call_sid: a.sid, direction: 'outbound-dial', conference_sid: 'CF' + '1'.repeat(32) });
    await addCall(api(), child.sid, { recipient: 'carol' });
    const base = `/Accounts/${account.sid}/Calls`;
    const get = async (q: string): Promise<Page> => {
      const r = await api().request('GET', `${base}.json${q}`, { auth: account.auth });
      assert.equal(r.status, 200, r.text);
      return r.json<Page>();
    };
    const all = await get('');
    assert.equal(all.total, 3);
    assert.equal(all.uri, `/2012-04-24${base}`);
    assert.deepEqual(all.calls.map((x) => x.sid), [c.sid, b.sid, a.sid], 'newest first by default');
    assert.deepEqual((await get('?Reverse=false')).calls.map((x) => x.sid), [a.sid, b.sid, c.sid]);
    assert.deepEqual((await get('?SortBy=Duration:desc')).calls.map((x) => x.duration), [50, 20, 5]);
    const byPrice = (await get('?SortBy=Price:asc')).calls.map((x) => x.sid);
    assert.deepEqual(byPrice.slice(-2), [a.sid, b.sid], 'price 3 before price 10 (numeric, not text)');
    assert.deepEqual((await get('?SortBy=From:asc')).calls.map((x) => x.from), ['+13021097000', '+13021097001', '+447700900123']);
    assert.deepEqual((await get('?From=7001')).calls.map((x) => x.sid), [a.sid], 'From is a suffix match');
    assert.equal((await get('?From=3021097%25')).total, 2, 'a caller % is a wildcard');
    assert.equal((await get('?From=302109')).total, 0, 'no implicit trailing wildcard');
    assert.deepEqual((await get('?To=alice')).calls.map((x) => x.sid), [c.sid, b.sid]);
    assert.deepEqual((await get('?Status=busy')).calls.map((x) => x.sid), [a.sid]);
    assert.deepEqual((await get(`?ParentCallSid=${a.sid}`)).calls.map((x) => x.sid), [c.sid]);
    assert.deepEqual((await get(`?ConferenceSid=CF${'1'.repeat(32)}`)).calls.map((x) => x.sid), [c.sid]);
    assert.equal((await get('?StartTime=2024-05-01&EndTime=2024-05-01')).total, 3);
    assert.equal((await get('?StartTime=2024-05-02')).total, 0);
    assert.equal((await get('?EndTime=2024-04-30')).total, 0);
    assert.equal((await get('?SubAccounts=true')).total, 4);
    const page1 = await get('?PageSize=2&Page=1');
    assert.deepEqual([page1.page, page1.num_pages, page1.page_size, page1.start, page1.end, page1.next_page_uri], [1, 1, 2, '2', '3', 'null']);
    assert.deepEqual(page1.calls.map((x) => x.sid), [a.sid]);
    const page0 = await get('?PageSize=2');
    assert.equal(page0.next_page_uri, `/2012-04-24${base}?Page=1&PageSize=2&AfterSid=${b.sid}`);
    assert.equal((await api().request('GET', `${base}.json?Page=2&PageSize=2`, { auth: account.auth })).status, 400);
    const badSort = await api().request('GET', `${base}.json?SortBy=Duration:up`, { auth: account.auth });
    assert.equal(badSort.status, 400);
    assert.match(badSort.text, /asc or desc/);
    assert.equal((await api().request('GET', `${base}.json?StartTime=yesterday`, { auth: account.auth })).status, 400);
  });

  test('list and single call in XML; JSON fields as Restcomm names them', async () => {
    const account = await api().createAccount('calls-xml@example.com');
    const call = await addCall(api(), account.sid, { price: '0.25', ring_duration: 4, status: 'in-progress', end_time: null });
    const base = `/Accounts/${account.sid}/Calls`;
    const xml = await api().request('GET', base, { auth: account.auth });
    assert.equal(xml.status, 200);
    assert.match(xml.headers.get('content-type') ?? '', /xml/);
    assert.match(xml.text, /<Calls page="0" numpages="0" pagesize="50" total="1" start="0" end="1" uri="\/2012-04-24\/Accounts\/AC[0-9a-f]{32}\/Calls"/);
    assert.match(xml.text, new RegExp(`<Call>\\s*<Sid>${call.sid}</Sid>\\s*<InstanceId>${INSTANCE}</InstanceId>`));
    assert.match(xml.text, /<Price>0.25<\/Price>\s*<PriceUnit>USD<\/PriceUnit>/);
    assert.match(xml.text, /<EndTime\/>/);
    assert.match(xml.text, /<SubresourceUris>\s*<Notifications>[^<]+\/Notifications<\/Notifications>\s*<Recordings>[^<]+\/Recordings<\/Recordings>\s*<\/SubresourceUris>\s*<Ring_duration>4<\/Ring_duration>/);
    const one = await api().request('GET', `${base}/${call.sid}.json`, { auth: account.auth });
    assert.equal(one.status, 200);
    const body = one.json<CallJson>();
    assert.deepEqual(Object.keys(body), [
      'sid', 'InstanceId', 'date_created', 'date_updated', 'account_sid', 'to', 'from', 'status', 'start_time', 'duration',
      'price_unit', 'direction', 'api_version', 'caller_name', 'uri', 'ring_duration', 'subresource_uris',
    ]);
    assert.equal(body.price, undefined, 'no price in JSON');
    assert.equal(body.uri, `/2012-04-24${base}/${call.sid}.json`);
    assert.equal(body.subresource_uris.recordings, `/2012-04-24${base}/${call.sid}/Recordings.json`);
    assert.match(body.start_time ?? '', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{2}:\d{2}$/);
    const oneXml = await api().request('GET', `${base}/${call.sid}`, { auth: account.auth });
    assert.match(oneXml.text, /^<RestcommResponse>\s*<Call>/);
  });

  test('call SIDs: old CA form accepted, malformed and unknown are 404; tenancy is enforced', async () => {
    const account = await api().createAccount('calls-sids@example.com');
    const other = await api().createAccount('calls-other@example.com');
    const old = 'CA' + 'a'.repeat(32);
    await addCall(api(), account.sid, { sid: old, uri: `/${API_VERSION}/Accounts/${account.sid}/Calls/${old}` });
    const base = `/Accounts/${account.sid}/Calls`;
    assert.equal((await api().request('GET', `${base}/${old}.json`, { auth: account.auth })).json<CallJson>().sid, old);
    for (const bad of ['CA123', 'XX' + 'a'.repeat(32), `ID${'1'.repeat(32)}-CA${'2'.repeat(32)}`, 'CA' + 'a'.repeat(31) + '!']) {
      const r = await api().request('GET', `${base}/${encodeURIComponent(bad)}.json`, { auth: account.auth });
      assert.equal(r.status, 404, bad);
    }
    assert.equal((await api().request('GET', `${base}.json`, { auth: other.auth })).status, 403, 'sibling account');
    assert.equal((await api().request('GET', `/Accounts/${other.sid}/Calls/${old}.json`, { auth: other.auth })).status, 404, 'call of another account');
    assert.equal((await api().request('GET', `${base}/${old}.json`, { auth: ADMIN })).status, 200, 'the administrator sees its descendants');
    assert.equal((await api().request('GET', `${base}.json`, { auth: null })).status, 401);
  });

  test('create and live modification validate their input; a node without a call layer answers 503', async () => {
    const base = `/Accounts/${ADMIN_SID}/Calls`;
    const post = (form: Record<string, string>) => api().request('POST', `${base}.json`, { form });
    const noFrom = await post({ To: 'client:alice', Url: 'http://127.0.0.1/app' });
    assert.equal(noFrom.status, 400);
    assert.equal(noFrom.text, 'From can not be null.');
    assert.equal((await post({ From: '1', Url: 'http://127.0.0.1/app' })).text, 'To can not be null.');
    assert.equal((await post({ From: '1', To: '2' })).text, 'Url can not be null.');
    const badUrl = await post({ From: '1', To: '2', Url: 'ftp://x' });
    assert.equal(badUrl.status, 400);
    assert.equal(badUrl.json<{ message: string }>().message, 'Url "ftp://x" is not an http(s) URL');
    const injected = await post({ From: '1', To: 'client:alice\r\nX-Evil: 1', Url: 'http://127.0.0.1/a' });
    assert.equal(injected.status, 400);
    assert.match(injected.text, /To must not contain spaces, quotes, angle brackets or control characters/);
    assert.equal((await post({ From: '"Eve" <sip:eve@x>', To: '2', Url: 'http://127.0.0.1/a' })).status, 400);
    const badTimeout = await post({ From: '1', To: '2', Url: 'http://127.0.0.1/a', Timeout: 'soon' });
    assert.equal(badTimeout.status, 400);
    assert.match(badTimeout.text, /Timeout/);
    assert.equal((await post({ From: '1', To: '2', Url: 'http://127.0.0.1/a' })).status, 503);
    const lcm = (sid: string, form: Record<string, string>) => api().request('POST', `${base}/${sid}.json`, { form });
    assert.equal((await lcm('CA12', { Status: 'completed' })).status, 400, 'malformed SID');
    assert.equal((await lcm(`${INSTANCE}-${newSid('CA')}`, { Status: 'completed' })).status, 406, 'unknown call');
    const known = await addCall(api(), ADMIN_SID);
    const badStatus = await lcm(known.sid, { Status: 'paused' });
    assert.equal(badStatus.status, 400);
    assert.match(badStatus.text, /Status must be canceled or completed/);
  });
});
