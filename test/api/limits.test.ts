import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ADMIN_SID, startApi, type TestApi } from './harness.js';

let api: TestApi & { close(): Promise<void> };
before(async () => {
  api = await startApi('sqlite');
});
after(async () => {
  await api.close();
});

test('a body over 10,000,000 bytes is refused with 413', async () => {
  const r = await api.request('POST', `/Accounts/${ADMIN_SID}/Clients.json`, { body: 'Login=' + 'a'.repeat(10_000_001), contentType: 'application/x-www-form-urlencoded' });
  assert.equal(r.status, 413);
  assert.match(r.json<{ message: string }>().message, /10000000/);
});

test('unknown form fields are ignored; parameter names are case-sensitive', async () => {
  const r = await api.request('POST', `/Accounts/${ADMIN_SID}/Clients.json`, { form: { Login: 'eve', Password: 'RestComm12', voiceurl: 'http://127.0.0.1/x', Color: 'blue' } });
  assert.equal(r.status, 200);
  const c = r.json<Record<string, unknown>>();
  assert.equal(c.voice_url, undefined);
  assert.equal(c.Color, undefined);
});

test('unknown paths are 404 in the requested format, /health checks the database', async () => {
  const r = await api.request('GET', `/Accounts/${ADMIN_SID}/Nothing.json`);
  assert.equal(r.status, 404);
  assert.match(r.json<{ message: string }>().message, /No resource/);
  const h = await api.request('GET', '//health', { auth: null });
  assert.equal(h.status, 200);
  assert.deepEqual(h.json(), { status: 'ok' });
});
