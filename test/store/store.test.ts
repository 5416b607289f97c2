import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createLogger } from '../../src/log.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { routingCandidates } from '../../src/store/numbers.js';
import type { IncomingPhoneNumber } from '../../src/store/schema.js';
import { accountSidForEmail, newSid } from '../../src/store/sid.js';
import { openStore, type Store } from '../../src/store/store.js';

const log = createLogger('silent');
let dir: string;
let store: Store;
const ACCOUNT = accountSidForEmail('routing@example.com');

function number(phone: string, pureSip = 1): IncomingPhoneNumber {
  const now = new Date().toISOString();
  return {
    sid: newSid('PN'), account_sid: ACCOUNT, friendly_name: phone, phone_number: phone,
    voice_url: null, voice_method: 'POST', voice_fallback_url: null, voice_fallback_method: 'POST',
    status_callback: null, status_callback_method: 'POST', voice_caller_id_lookup: 0, voice_application_sid: null,
    sms_url: null, sms_method: 'POST', sms_fallback_url: null, sms_fallback_method: 'POST', sms_application_sid: null,
    ussd_url: null, ussd_method: 'POST', ussd_fallback_url: null, ussd_fallback_method: 'POST', ussd_application_sid: null,
    refer_url: null, refer_method: 'POST', refer_application_sid: null,
    voice_capable: 1, sms_capable: 0, mms_capable: 0, fax_capable: 0, pure_sip: pureSip,
    api_version: '2012-04-24', date_created: now, date_updated: now,
  };
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dialtone-store-'));
  store = await openStore(`sqlite:${join(dir, 'nested', 'folder', 'db.sqlite')}`, log);
  const now = new Date().toISOString();
  await store.accounts.insert({
    sid: ACCOUNT, parent_sid: null, organization_sid: 'OR1', friendly_name: 'r', email_address: 'routing@example.com',
    type: 'Full', status: 'suspended', role: 'Developer', auth_token: 'x', api_version: '2012-04-24', date_created: now, date_updated: now,
  });
  for (const p of ['+1111', '12349876543', '^55.*', '^5.*', '*']) await store.numbers.insert(number(p, p.startsWith('+') ? 0 : 1));
});

after(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

test('candidates: as dialled, US E.164 for ten NANP digits, then with the + added or removed', () => {
  assert.deepEqual(routingCandidates('1111'), ['1111', '+1111']);
  assert.deepEqual(routingCandidates('+1111'), ['+1111', '1111']);
  assert.deepEqual(routingCandidates('4155550100'), ['4155550100', '+14155550100', '+4155550100']);
  assert.deepEqual(routingCandidates('*123#'), ['*123#', '+*123#']);
});

test('exact matches first, then regex numbers longest first, then the * catch-all', async () => {
  assert.equal((await store.numbers.findNumberForRouting('1111'))?.phone_number, '+1111');
  assert.equal((await store.numbers.findNumberForRouting('+12349876543'))?.phone_number, '12349876543');
  assert.equal((await store.numbers.findNumberForRouting('2349876543'))?.phone_number, '*', 'no exact match for a shorter national form');
  assert.equal((await store.numbers.findNumberForRouting('5512'))?.phone_number, '^55.*');
  assert.equal((await store.numbers.findNumberForRouting('5912'))?.phone_number, '^5.*');
  assert.equal((await store.numbers.findNumberForRouting('777'))?.phone_number, '*');
  assert.equal((await store.numbers.findNumberForRouting('alice'))?.phone_number, undefined, 'non-digits never reach the patterns');
  assert.equal((await store.numbers.findNumberForRouting('1111'))?.account_status, 'suspended');
});

test('migrations run once: reopening the same file keeps the data', async () => {
  const again = await openStore(`sqlite:${join(dir, 'nested', 'folder', 'db.sqlite')}`, log);
  try {
    assert.equal((await again.accounts.findBySid(ACCOUNT))?.email_address, 'routing@example.com');
    const migrations = await again.db.selectFrom('kysely_migration' as never).selectAll().execute();
    assert.equal(migrations.length, Object.keys(MIGRATIONS).length);
  } finally {
    await again.close();
  }
});

test('subtree lists descendants before their ancestors', async () => {
  const now = new Date().toISOString();
  const base = { organization_sid: 'OR1', type: 'Full', status: 'active', role: 'Developer', auth_token: 'x', api_version: '2012-04-24', date_created: now, date_updated: now };
  await store.accounts.insert({ ...base, sid: 'ACchild', parent_sid: ACCOUNT, friendly_name: 'c', email_address: 'c@example.com' });
  await store.accounts.insert({ ...base, sid: 'ACgrand', parent_sid: 'ACchild', friendly_name: 'g', email_address: 'g@example.com' });
  assert.deepEqual(await store.accounts.subtree(ACCOUNT), ['ACgrand', 'ACchild', ACCOUNT]);
});
