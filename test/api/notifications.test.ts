import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ADMIN_SID, forEachDatabase } from './harness.js';

interface NotificationJson {
  sid: string;
  account_sid: string;
  log: number;
  error_code: number;
  message_text: string;
  message_date: string;
  request_url?: string;
  call_sid?: string;
}
interface Page {
  total: number;
  num_pages: number;
  uri: string;
  notifications: NotificationJson[];
}

forEachDatabase('Notifications', (api) => {
  test('notifications added by the core are listed, filtered, sorted and read one by one', async () => {
    const account = await api().createAccount('notes@example.com');
    const child = await api().createAccount('notes-child@example.com', { parent: account.auth });
    const add = api().store.notifications;
    await add.addNotification({ accountSid: account.sid, log: 0, errorCode: 11007, messageText: 'Number has no application', requestUrl: 'http://127.0.0.1/a' });
    await add.addNotification({ accountSid: account.sid, log: 1, errorCode: 11206, messageText: 'Fallback used', callSid: 'CA' + '1'.repeat(32) });
    await add.addNotification({ accountSid: account.sid, log: 0, errorCode: 10001, messageText: 'Account not initialized' });
    await add.addNotification({ accountSid: child.sid, log: 0, errorCode: 11001, messageText: 'Inbound call not allowed' });
    // Pinned creation times make the default order deterministic (rows added within one millisecond tie).
    const rows = await api().store.db.selectFrom('notifications').select(['sid', 'error_code']).execute();
    const minute: Record<number, number> = { 11007: 1, 11206: 2, 10001: 3, 11001: 4 };
    for (const row of rows) {
      const at = new Date(2024, 4, 1, 10, minute[row.error_code] ?? 0).toISOString();
      await api().store.db.updateTable('notifications').set({ date_created: at }).where('sid', '=', row.sid).execute();
    }
    const base = `/Accounts/${account.sid}/Notifications`;
    const all = (await api().request('GET', `${base}.json`, { auth: account.auth })).json<Page>();
    assert.equal(all.total, 3);
    assert.equal(all.uri, `/restcomm/2012-04-24${base}`);
    assert.deepEqual(all.notifications.map((n) => n.error_code), [10001, 11206, 11007], 'newest first by default');
    assert.match(all.notifications[0]?.message_date ?? '', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{2}:\d{2}$/);
    const sorted = (await api().request('GET', `${base}.json?SortBy=ErrorCode:asc`, { auth: account.auth })).json<Page>();
    assert.deepEqual(sorted.notifications.map((n) => n.error_code), [10001, 11007, 11206]);
    const byCode = (await api().request('GET', `${base}.json?ErrorCode=11206`, { auth: account.auth })).json<Page>();
    assert.deepEqual(byCode.notifications.map((n) => n.message_text), ['Fallback used']);
    const byText = (await api().request('GET', `${base}.json?MessageText=APPLICATION`, { auth: account.auth })).json<Page>();
    assert.equal(byText.total, 1);
    const withSubs = (await api().request('GET', `${base}.json?SubAccounts=true`, { auth: account.auth })).json<Page>();
    assert.equal(withSubs.total, 4);
    const ymd = '2024-05-01';
    assert.equal((await api().request('GET', `${base}.json?StartTime=${ymd}%2014:30:07.82&EndTime=${ymd}`, { auth: account.auth })).json<Page>().total, 3);
    assert.equal((await api().request('GET', `${base}.json?EndTime=2024-04-30`, { auth: account.auth })).json<Page>().total, 0);
    assert.equal((await api().request('GET', `${base}.json?StartTime=2024-05-02`, { auth: account.auth })).json<Page>().total, 0);
    const one = all.notifications[2];
    const got = await api().request('GET', `${base}/${one?.sid}.json`, { auth: account.auth });
    assert.equal(got.json<NotificationJson>().request_url, 'http://127.0.0.1/a');
    const xml = await api().request('GET', base, { auth: account.auth });
    assert.match(xml.text, /^<RestcommResponse>\s*<Notifications>\s*<Notification>\s*<Sid>NO[0-9a-f]{32}<\/Sid>/);
    assert.equal((xml.text.match(/<Notification>/g) ?? []).length, 3);
  });

  test('bad sort, bad dates and unknown SIDs', async () => {
    const base = `/Accounts/${ADMIN_SID}/Notifications`;
    assert.equal((await api().request('GET', `${base}.json?SortBy=:asc`)).status, 400);
    assert.equal((await api().request('GET', `${base}.json?SortBy=ErrorCode:up`)).status, 400);
    assert.equal((await api().request('GET', `${base}.json?SortBy=Nonsense`)).status, 200, 'unknown fields are ignored');
    assert.equal((await api().request('GET', `${base}.json?StartTime=yesterday`)).status, 400);
    assert.equal((await api().request('GET', `${base}.json?Page=1`)).status, 400);
    assert.equal((await api().request('GET', `${base}/NO${'0'.repeat(32)}.json`)).status, 404);
    assert.equal((await api().request('GET', `${base}/x.json`)).status, 404);
    assert.equal((await api().request('POST', `${base}.json`, { form: { X: '1' } })).status, 404, 'read-only');
  });
});
