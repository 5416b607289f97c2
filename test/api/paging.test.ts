import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkPage, lastPage, pageEnvelope, parsePageRequest } from '../../src/api/paging.js';
import { parseSortBy } from '../../src/api/sorting.js';

const sids = (n: number): string[] => Array.from({ length: n }, (_, i) => `S${i}`);

test("spec example: 448 rows, 50 a page: page 8 holds 48, start 400, end 448", () => {
  const env = pageEnvelope({ page: 8, pageSize: 50 }, 448, sids(48), '/u');
  assert.equal(env.num_pages, 8);
  assert.equal(env.start, '400');
  assert.equal(env.end, '448');
  assert.equal(env.next_page_uri, 'null');
  assert.equal(env.previous_page_uri, '/u?Page=7&PageSize=50');
  assert.equal(env.last_page_uri, '/u?Page=8&PageSize=50');
  const first = pageEnvelope({ page: 0, pageSize: 50 }, 448, sids(50), '/u');
  assert.equal(first.end, '49');
  assert.equal(first.next_page_uri, '/u?Page=1&PageSize=50&AfterSid=S49');
  assert.deepEqual(Object.keys(first), ['page', 'num_pages', 'page_size', 'total', 'start', 'end', 'uri', 'first_page_uri', 'previous_page_uri', 'next_page_uri', 'last_page_uri']);
});

test('num_pages names the last page that has rows, also when the total divides evenly', () => {
  assert.equal(lastPage(0, 50), 0);
  assert.equal(lastPage(50, 50), 0);
  assert.equal(lastPage(51, 50), 1);
  assert.equal(lastPage(100, 50), 1);
  assert.throws(() => checkPage({ page: 2, pageSize: 50 }, 100), /past the last page/);
  assert.doesNotThrow(() => checkPage({ page: 0, pageSize: 50 }, 0));
});

test('Page and PageSize parsing', () => {
  assert.deepEqual(parsePageRequest({}), { page: 0, pageSize: 50 });
  assert.deepEqual(parsePageRequest({ Page: '3', PageSize: '7' }), { page: 3, pageSize: 7 });
  assert.throws(() => parsePageRequest({ PageSize: '0' }), /PageSize/);
  assert.throws(() => parsePageRequest({ Page: 'x' }), /Page must be/);
});

test('SortBy parsing', () => {
  const fields = { DateCreated: 'date_created', ErrorCode: 'error_code' } as const;
  const fallback = { column: 'date_created', direction: 'desc' } as const;
  assert.deepEqual(parseSortBy(undefined, fields, fallback), fallback);
  assert.deepEqual(parseSortBy('ErrorCode', fields, fallback), { column: 'error_code', direction: 'asc' });
  assert.deepEqual(parseSortBy('ErrorCode:desc', fields, fallback), { column: 'error_code', direction: 'desc' });
  assert.deepEqual(parseSortBy('Unknown:asc', fields, fallback), fallback);
  assert.throws(() => parseSortBy(':asc', fields, fallback), /SortBy/);
  assert.throws(() => parseSortBy('ErrorCode:sideways', fields, fallback), /asc or desc/);
});
