import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ADMIN_SID, forEachDatabase } from './harness.js';

interface ReferJson {
  sid: string;
  account_sid: string;
  call_sid?: string;
  transferor_call_sid?: string;
  transferor?: string;
  transferee?: string;
  refer_target?: string;
  refer_url?: string;
  refer_method?: string;
  status: string;
  notify_status?: number;
  failure_reason?: string;
  date_created: string;
  uri: string;
}
interface Page {
  page: number;
  num_pages: number;
  page_size: number;
  total: number;
  uri: string;
  next_page_uri: string;
  refers: ReferJson[];
}

const CALL_A = 'CA' + 'a'.repeat(32);
const CALL_B = 'CA' + 'b'.repeat(32);
const CALL_BOB = 'CA' + 'c'.repeat(32);

forEachDatabase('Refers', (api) => {
  test('the repository records a transfer attempt and the API lists, filters, pages and reads it in both formats', async () => {
    const account = await api().createAccount('refers@example.com');
    const child = await api().createAccount('refers-child@example.com', { parent: account.auth });
    const refers = api().store.refers;
    const first = await refers.create({
      accountSid: account.sid,
      callSid: CALL_A,
      transferorCallSid: CALL_BOB,
      transferor: 'bob',
      transferee: '+15550001',
      referTarget: 'carol',
      referUrl: 'http://127.0.0.1:8090/refer',
      referMethod: 'POST',
    });
    assert.match(first.sid, /^RF[0-9a-f]{32}$/);
    assert.equal(first.status, 'pending');
    const updated = await refers.update(first.sid, { status: 'completed', notifyStatus: 200 });
    assert.equal(updated?.status, 'completed');
    assert.equal(updated?.notify_status, 200);
    assert.equal(updated?.transferor, 'bob', 'untouched fields stay');
    const second = await refers.create({ accountSid: account.sid, callSid: CALL_B, transferorCallSid: null, transferor: 'alice', transferee: 'bob', referTarget: '2002' });
    await refers.update(second.sid, { status: 'failed', notifyStatus: 486, failureReason: 'Busy Here' });
    await refers.create({ accountSid: account.sid, callSid: CALL_B, transferorCallSid: null, transferor: 'alice', transferee: 'bob', referTarget: '2003', status: 'in-progress' });
    await refers.create({ accountSid: child.sid, callSid: null, transferorCallSid: null, transferor: 'dave', transferee: 'erin', referTarget: 'frank' });
    // Pinned creation times make the order and the date filters deterministic.
    const minutes = new Map([[first.sid, 1], [second.sid, 2]]);
    for (const row of await api().store.db.selectFrom('refers').select('sid').execute()) {
      const at = new Date(2024, 4, 1, 10, minutes.get(row.sid) ?? 3).toISOString();
      await api().store.db.updateTable('refers').set({ date_created: at }).where('sid', '=', row.sid).execute();
    }

    const base = `/Accounts/${account.sid}/Refers`;
    const all = (await api().request('GET', `${base}.json`, { auth: account.auth })).json<Page>();
    assert.equal(all.total, 3);
    assert.equal(all.uri, `/restcomm/2012-04-24${base}`);
    assert.deepEqual(all.refers.map((r) => r.refer_target), ['2003', '2002', 'carol'], 'newest first');
    const carol = all.refers[2];
    assert.equal(carol?.call_sid, CALL_A);
    assert.equal(carol?.transferor_call_sid, CALL_BOB);
    assert.equal(carol?.transferee, '+15550001');
    assert.equal(carol?.refer_url, 'http://127.0.0.1:8090/refer');
    assert.equal(carol?.status, 'completed');
    assert.equal(carol?.notify_status, 200);
    assert.equal(carol?.uri, `/2012-04-24${base}/${first.sid}.json`);
    assert.match(carol?.date_created ?? '', /^\w{3}, \d{1,2} \w{3} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$/);

    const q = async (query: string): Promise<string[]> =>
      (await api().request('GET', `${base}.json?${query}`, { auth: account.auth })).json<Page>().refers.map((r) => r.refer_target ?? '');
    assert.deepEqual(await q(`CallSid=${CALL_B}`), ['2003', '2002']);
    assert.deepEqual(await q('Transferor=bob'), ['carol']);
    assert.deepEqual(await q('Transferee=bob'), ['2003', '2002']);
    assert.deepEqual(await q('ReferTarget=2002'), ['2002']);
    assert.deepEqual(await q('Status=failed'), ['2002']);
    assert.deepEqual(await q('StartTime=2024-05-01&EndTime=2024-05-01'), ['2003', '2002', 'carol']);
    assert.deepEqual(await q('EndTime=2024-04-30'), []);
    assert.deepEqual(await q('StartTime=2024-05-02'), []);
    assert.equal((await api().request('GET', `${base}.json?SubAccounts=true`, { auth: account.auth })).json<Page>().total, 4);

    const page0 = (await api().request('GET', `${base}.json?PageSize=2`, { auth: account.auth })).json<Page>();
    assert.equal(page0.num_pages, 1);
    assert.equal(page0.refers.length, 2);
    assert.match(page0.next_page_uri, /\?Page=1&PageSize=2&AfterSid=RF/);
    const page1 = (await api().request('GET', `${base}.json?Page=1&PageSize=2`, { auth: account.auth })).json<Page>();
    assert.deepEqual(page1.refers.map((r) => r.refer_target), ['carol']);

    const one = await api().request('GET', `${base}/${second.sid}.json`, { auth: account.auth });
    assert.equal(one.status, 200);
    const got = one.json<ReferJson>();
    assert.equal(got.failure_reason, 'Busy Here');
    assert.equal(got.notify_status, 486);
    assert.equal(got.refer_url, undefined, 'nulls are omitted');

    const xml = await api().request('GET', base, { auth: account.auth });
    assert.equal(xml.status, 200);
    assert.match(xml.text, /^<RestcommResponse>\s*<Refers page="0" numpages="0" pagesize="50" total="3"[^>]*>\s*<Refer>\s*<Sid>RF[0-9a-f]{32}<\/Sid>/);
    assert.equal((xml.text.match(/<Refer>/g) ?? []).length, 3);
    const oneXml = await api().request('GET', `${base}/${first.sid}`, { auth: account.auth });
    assert.match(oneXml.text, /<Refer>[\s\S]*<Transferor>bob<\/Transferor>[\s\S]*<ReferTarget>carol<\/ReferTarget>[\s\S]*<Status>completed<\/Status>[\s\S]*<NotifyStatus>200<\/NotifyStatus>/);
    assert.match(oneXml.text, new RegExp(`<Uri>/2012-04-24${base}/${first.sid}</Uri>`));
  });

  test('tenancy: another account neither lists nor reads them', async () => {
    const owner = await api().createAccount('refers-owner@example.com');
    const other = await api().createAccount('refers-other@example.com');
    const row = await api().store.refers.create({ accountSid: owner.sid, callSid: null, transferorCallSid: null, transferor: 'x', transferee: 'y', referTarget: 'z' });
    assert.equal((await api().request('GET', `/Accounts/${owner.sid}/Refers.json`, { auth: other.auth })).status, 403);
    assert.equal((await api().request('GET', `/Accounts/${owner.sid}/Refers/${row.sid}.json`, { auth: other.auth })).status, 403);
    assert.equal((await api().request('GET', `/Accounts/${other.sid}/Refers/${row.sid}.json`, { auth: other.auth })).status, 404);
    assert.equal((await api().request('GET', `/Accounts/${other.sid}/Refers.json`, { auth: other.auth })).json<Page>().total, 0);
    assert.equal((await api().request('GET', `/Accounts/${owner.sid}/Refers.json`, { auth: null })).status, 401);
  });

  test('bad filters, pages and SIDs', async () => {
    const base = `/Accounts/${ADMIN_SID}/Refers`;
    const bad = async (query: string): Promise<string> => {
      const r = await api().request('GET', `${base}.json?${query}`);
      assert.equal(r.status, 400, query);
      return r.json<{ message: string }>().message;
    };
    assert.match(await bad('Status=done'), /^Status must be one of pending, in-progress, completed, failed/);
    assert.match(await bad('CallSid=nope'), /^CallSid must be a call SID/);
    assert.match(await bad('StartTime=yesterday'), /^StartTime must be a date/);
    assert.match(await bad('Page=3'), /^Page 3 is past the last page/);
    assert.match(await bad('PageSize=0'), /PageSize/);
    assert.equal((await api().request('GET', `${base}/RF${'0'.repeat(32)}.json`)).status, 404);
    assert.equal((await api().request('GET', `${base}/CA${'0'.repeat(32)}.json`)).status, 404);
    assert.equal((await api().request('POST', `${base}.json`, { form: { Status: 'completed' } })).status, 404, 'read-only');
  });
});
