import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { API_VERSION, newSid } from '../../src/store/sid.js';
import { forEachDatabase, type TestApi } from './harness.js';

interface RecordingJson {
  sid: string;
  account_sid: string;
  call_sid?: string;
  duration: string;
  uri: string;
  file_uri: string;
}
interface Page {
  total: number;
  uri: string;
  recordings: RecordingJson[];
}

let minute = 0;

/** A recording row as the Record verb writes it, with a real 1-second 440 Hz WAV made by sox. */
async function addRecording(api: TestApi, accountSid: string, callSid: string | null, duration: number): Promise<{ sid: string; path: string }> {
  const sid = newSid('RE');
  const dir = join(api.config.dataDir, 'recordings');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${sid}.wav`);
  execFileSync('sox', ['-n', '-r', '8000', '-c', '1', '-b', '16', path, 'synth', '1', 'sine', '440'], { timeout: 10_000 });
  minute++;
  const at = new Date(2024, 4, 1, 11, minute).toISOString();
  await api.store.db.insertInto('recordings').values({
    sid, account_sid: accountSid, call_sid: callSid, duration, api_version: API_VERSION, file_path: path, date_created: at, date_updated: at,
  }).execute();
  return { sid, path };
}

forEachDatabase('Recordings', (api) => {
  test('list, filters, sorting, metadata in JSON and XML, and the per-call list', async () => {
    const account = await api().createAccount('rec-list@example.com');
    const child = await api().createAccount('rec-child@example.com', { parent: account.auth });
    const callA = `ID${'1'.repeat(32)}-CA${'a'.repeat(32)}`;
    const callB = `ID${'1'.repeat(32)}-CA${'b'.repeat(32)}`;
    const r1 = await addRecording(api(), account.sid, callA, 12);
    const r2 = await addRecording(api(), account.sid, callB, 3);
    const r3 = await addRecording(api(), account.sid, callA, 7);
    await addRecording(api(), child.sid, null, 1);
    const base = `/Accounts/${account.sid}/Recordings`;
    const get = async (q: string): Promise<Page> => {
      const r = await api().request('GET', `${base}.json${q}`, { auth: account.auth });
      assert.equal(r.status, 200, r.text);
      return r.json<Page>();
    };
    const all = await get('');
    assert.equal(all.total, 3);
    assert.equal(all.uri, `/restcomm/2012-04-24${base}`);
    assert.deepEqual(all.recordings.map((r) => r.sid), [r3.sid, r2.sid, r1.sid]);
    assert.deepEqual((await get('?SortBy=Duration:asc')).recordings.map((r) => r.duration), ['3.0', '7.0', '12.0']);
    assert.deepEqual((await get(`?CallSid=${callA}`)).recordings.map((r) => r.sid), [r3.sid, r1.sid]);
    assert.equal((await get('?SubAccounts=true')).total, 4);
    assert.equal((await get('?StartTime=2024-05-02')).total, 0);
    assert.equal((await get('?EndTime=2024-05-01')).total, 3);
    const one = await api().request('GET', `${base}/${r1.sid}.json`, { auth: account.auth });
    const meta = one.json<RecordingJson>();
    assert.equal(meta.duration, '12.0');
    assert.equal(meta.call_sid, callA);
    assert.equal(meta.uri, `/2012-04-24${base}/${r1.sid}.json`);
    assert.equal(meta.file_uri, `${api().config.publicUrl}/restcomm/2012-04-24${base}/${r1.sid}.wav`);
    const xml = await api().request('GET', base, { auth: account.auth });
    assert.match(xml.text, /^<RestcommResponse>\s*<Recordings>\s*<Recording>\s*<Sid>RE/);
    assert.doesNotMatch(xml.text, /<Recordings [a-z]/, 'no paging attributes on the XML list');
    assert.match(xml.text, /<Duration>7.0<\/Duration>/);
    const perCall = await api().request('GET', `/Accounts/${account.sid}/Calls/${callA}/Recordings.json`, { auth: account.auth });
    assert.deepEqual(perCall.json<RecordingJson[]>().map((r) => r.sid), [r1.sid, r3.sid], 'unpaged array, oldest first');
    assert.equal((await api().request('GET', `${base}/RE123.json`, { auth: account.auth })).status, 404);
    assert.equal((await api().request('GET', `${base}/${newSid('RE')}.json`, { auth: account.auth })).status, 404);
    assert.equal((await api().request('GET', `/Accounts/${child.sid}/Recordings/${r1.sid}.json`, { auth: account.auth })).status, 404, 'another account');
    assert.equal((await api().request('GET', `${base}.json`, { auth: child.auth })).status, 403, 'parent from the child');
  });

  test('audio is served without authentication; mp3 is made on request and cached; DELETE removes the files', async () => {
    const account = await api().createAccount('rec-audio@example.com');
    const rec = await addRecording(api(), account.sid, null, 1);
    const base = `/Accounts/${account.sid}/Recordings`;
    const wav = await fetch(`${api().base}${base}/${rec.sid}.wav`);
    assert.equal(wav.status, 200);
    assert.equal(wav.headers.get('content-type'), 'audio/x-wav');
    const bytes = Buffer.from(await wav.arrayBuffer());
    assert.deepEqual(bytes, readFileSync(rec.path));
    assert.equal(bytes.subarray(0, 4).toString('latin1'), 'RIFF');
    const mp3 = await fetch(`${api().base}${base}/${rec.sid}.mp3`);
    assert.equal(mp3.status, 200);
    assert.equal(mp3.headers.get('content-type'), 'audio/mpeg');
    const mp3Bytes = Buffer.from(await mp3.arrayBuffer());
    const head = mp3Bytes.subarray(0, 3).toString('latin1');
    assert.ok(head === 'ID3' || (mp3Bytes[0] === 0xff && ((mp3Bytes[1] ?? 0) & 0xe0) === 0xe0), `an MP3 stream, not ${mp3Bytes.subarray(0, 4).toString('hex')}`);
    const cached = rec.path.replace(/\.wav$/, '.mp3');
    assert.equal(statSync(cached).size, mp3Bytes.length, 'the mp3 is cached beside the wav');
    assert.equal((await fetch(`${api().base}${base}/${rec.sid}.mp3`)).status, 200);
    assert.equal((await fetch(`${api().base}/Accounts/AC${'0'.repeat(32)}/Recordings/${rec.sid}.wav`)).status, 404, 'wrong account in the URL');
    assert.equal((await fetch(`${api().base}${base}/${newSid('RE')}.wav`)).status, 404);
    assert.equal((await fetch(`${api().base}${base}/${rec.sid}`)).status, 401, 'metadata needs credentials');
    assert.equal((await api().request('DELETE', `${base}/${rec.sid}`, { auth: null })).status, 401);
    const del = await api().request('DELETE', `${base}/${rec.sid}`, { auth: account.auth });
    assert.equal(del.status, 200);
    assert.equal(del.text, '');
    assert.equal(existsSync(rec.path), false);
    assert.equal(existsSync(cached), false);
    assert.equal((await api().request('GET', `${base}/${rec.sid}.json`, { auth: account.auth })).status, 404);
    assert.equal((await api().request('DELETE', `${base}/${rec.sid}`, { auth: account.auth })).status, 404);
  });
});
