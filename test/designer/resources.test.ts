import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ProjectLogs } from '../../src/designer/storage/app-log.js';
import { DesignerWorkspace } from '../../src/designer/storage/workspace.js';
import { forEachDatabase, type TestApi } from '../api/harness.js';
import { dv, files, mp3Bytes, newProject, wavBytes } from './support.js';

type Json = Record<string, unknown>;
const json = (v: unknown): { body: string } => ({ body: JSON.stringify(v) });

async function refused(api: TestApi, sid: string, form: FormData): Promise<Json> {
  const r = await dv(api, 'POST', `/projects/${sid}/wavs`, { body: form });
  assert.equal(r.status, 400, r.text);
  return r.json<Json>();
}

forEachDatabase('Visual Designer project resources', (api) => {
  test('parameters: PUT creates and updates (RVD dropped new names), DELETE ?name removes, bad ones are 400', async () => {
    const sid = await newProject(api(), 'params');
    assert.deepEqual((await dv(api(), 'GET', `/projects/${sid}/parameters`, {}, '/visual-designer/api')).json(), { parameters: [] });
    const created = await dv(api(), 'PUT', `/projects/${sid}/parameters`, json({ parameters: [{ name: 'team', value: 'sales' }, { name: 'queue', value: '1', description: 'the queue' }] }), '/visual-designer/api');
    assert.equal(created.status, 200, created.text);
    const updated = await dv(api(), 'PUT', `/projects/${sid}/parameters`, json({ parameters: [{ name: 'team', value: 'support' }, { name: 'extra', value: 'x' }] }), '/visual-designer/api');
    assert.deepEqual(updated.json(), { parameters: [{ name: 'team', value: 'support' }, { name: 'queue', value: '1', description: 'the queue' }, { name: 'extra', value: 'x' }] });
    const removed = await dv(api(), 'DELETE', `/projects/${sid}/parameters?name=queue`, {}, '/visual-designer/api');
    assert.deepEqual(removed.json(), { parameters: [{ name: 'team', value: 'support' }, { name: 'extra', value: 'x' }] });
    assert.deepEqual((await dv(api(), 'GET', `/projects/${sid}/parameters`)).json(), removed.json());
    const gone = await dv(api(), 'DELETE', `/projects/${sid}/parameters?name=queue`);
    assert.equal(gone.status, 404);
    assert.equal(gone.json<{ exception: { className: string } }>().exception.className, 'ParameterDoesNotExist');
    const cases: [unknown, RegExp][] = [
      [{ parameters: [{ name: '1abc', value: 'x' }] }, /name must be a variable name/],
      [{ parameters: [{ name: 'a', value: 3 }] }, /value of "a" must be a string/],
      [{ parameters: [{ name: 'a', value: '1' }, { name: 'a', value: '2' }] }, /"a" is given twice/],
      [{ parameters: 'team=x' }, /must be an array/],
      [['team'], /must be a JSON object/],
    ];
    for (const [body, message] of cases) {
      const r = await dv(api(), 'PUT', `/projects/${sid}/parameters`, json(body));
      assert.equal(r.status, 400, r.text);
      assert.match(r.json<{ exception: { message: string } }>().exception.message, message);
    }
    assert.equal((await dv(api(), 'PUT', `/projects/${sid}/parameters`, { body: 'not json' })).status, 400);
  });

  test('settings: {} until written; validated booleans; unknown fields and wrong types are 400', async () => {
    const sid = await newProject(api(), 'settings');
    assert.deepEqual((await dv(api(), 'GET', `/projects/${sid}/settings`)).json(), {});
    const ok = await dv(api(), 'POST', `/projects/${sid}/settings`, json({ logging: true }));
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.text, '');
    assert.deepEqual((await dv(api(), 'GET', `/projects/${sid}/settings`)).json(), { logging: true, loggingRCML: false });
    for (const [body, message] of [[{ logging: 'yes' }, /settings.logging must be true or false/], [{ verbose: true }, /no field "verbose"/], [[], /must be a JSON object/]] as const) {
      const r = await dv(api(), 'POST', `/projects/${sid}/settings`, json(body));
      assert.equal(r.status, 400, r.text);
      assert.match(r.json<{ exception: { message: string } }>().exception.message, message);
    }
  });

  test('Web Trigger configuration: 404 until stored, stored as given, null removes it', async () => {
    const sid = await newProject(api(), 'cc');
    assert.equal((await dv(api(), 'GET', `/projects/${sid}/cc`)).status, 404);
    const cc = { lanes: [{ startPoint: { rcmlUrl: '', to: '1234', from: '' } }], accessToken: 't0k', userParamScope: 'mod' };
    assert.equal((await dv(api(), 'POST', `/projects/${sid}/cc`, json(cc))).status, 200);
    assert.deepEqual((await dv(api(), 'GET', `/projects/${sid}/cc`)).json(), cc);
    assert.equal((await dv(api(), 'POST', `/projects/${sid}/cc`, json([1]))).status, 400);
    assert.equal((await dv(api(), 'POST', `/projects/${sid}/cc`, json(null))).status, 200);
    assert.equal((await dv(api(), 'GET', `/projects/${sid}/cc`)).status, 404);
  });

  test('media: WAV and MP3 upload, list, play without credentials, delete', async () => {
    const sid = await newProject(api(), 'media');
    const wav = wavBytes();
    const up = await dv(api(), 'POST', `/projects/${sid}/wavs`, { body: (() => { const f = files(['file', 'Hello World.wav', wav], ['other', 'beep.MP3', mp3Bytes()]); f.append('note', 'kept'); return f; })() });
    assert.equal(up.status, 200, up.text);
    assert.deepEqual(up.json(), [{ fieldName: 'file', name: 'Hello World.wav' }, { fieldName: 'other', name: 'beep.MP3' }, { fieldName: 'note', value: 'kept' }]);
    assert.deepEqual((await dv(api(), 'GET', `/projects/${sid}/wavs`)).json(), [{ filename: 'Hello World.wav' }, { filename: 'beep.MP3' }]);
    for (const path of [`/projects/${sid}/wavs/Hello%20World.wav`, `/projects/${sid}/media/Hello%20World.wav`, `/apps/${sid}/resources/Hello%20World.wav`]) {
      const played = await dv(api(), 'GET', path, { auth: null });
      assert.equal(played.status, 200, path);
      assert.equal(played.headers.get('content-type'), 'audio/x-wav');
      assert.equal(played.headers.get('content-disposition'), 'attachment; filename = Hello World.wav');
      assert.deepEqual(played.bytes, wav);
    }
    assert.equal((await dv(api(), 'GET', `/projects/${sid}/wavs/beep.MP3`, { auth: null })).headers.get('content-type'), 'audio/mpeg');
    assert.equal((await dv(api(), 'GET', `/projects/${sid}/wavs/missing.wav`, { auth: null })).status, 404);
    assert.equal((await dv(api(), 'DELETE', `/projects/${sid}/wavs?filename=beep.MP3`)).status, 200);
    assert.equal((await dv(api(), 'DELETE', `/projects/${sid}/wavs?filename=beep.MP3`)).status, 404);
    assert.equal((await dv(api(), 'DELETE', `/projects/${sid}/wavs`)).status, 400);
    assert.deepEqual((await dv(api(), 'GET', `/projects/${sid}/wavs`)).json(), [{ filename: 'Hello World.wav' }]);
  });

  test('media refusals: not audio, wrong extension, a path in the name, too big, not multipart; nothing is stored', async () => {
    const sid = await newProject(api(), 'media refusals');
    assert.deepEqual(await refused(api(), sid, files(['file', 'fake.wav', 'just text'])), { error: 'FILE_CONTENT_NOT_ALLOWED', name: 'fake.wav', expected: 'WAV (RIFF/WAVE) audio' });
    assert.equal((await refused(api(), sid, files(['file', 'tone.mp3', wavBytes()]))).error, 'FILE_CONTENT_NOT_ALLOWED', 'a WAV named .mp3');
    for (const name of ['clip.mp4', 'notes.txt', 'noext']) assert.equal((await refused(api(), sid, files(['file', name, wavBytes()]))).error, 'FILE_EXT_NOT_ALLOWED', name);
    for (const name of ['../../escape.wav', '..\\up.wav', '.hidden.wav', 'a/b.wav']) {
      const body = await refused(api(), sid, files(['file', name, wavBytes()]));
      assert.equal(body.error, 'FILE_NAME_NOT_ALLOWED', name);
    }
    const big = new Uint8Array(api().config.designerMaxMediaBytes + 1);
    big.set(wavBytes().subarray(0, 44));
    assert.deepEqual(await refused(api(), sid, files(['file', 'big.wav', big])), { error: 'FILE_TOO_BIG', name: 'big.wav', maxSize: 4194304 });
    assert.equal((await refused(api(), sid, files(['file', 'good.wav', wavBytes()], ['file', 'bad.wav', 'text']))).name, 'bad.wav');
    const plain = await dv(api(), 'POST', `/projects/${sid}/wavs`, { body: 'raw', contentType: 'audio/x-wav' });
    assert.equal(plain.status, 400);
    assert.deepEqual((await dv(api(), 'GET', `/projects/${sid}/wavs`)).json(), [], 'a refused upload stores nothing, not even its good files');
    const dataDir = api().config.dataDir;
    assert.ok(!existsSync(join(dataDir, 'designer', 'escape.wav')) && !existsSync(join(dataDir, 'escape.wav')));
    assert.ok(!readdirSync(join(dataDir, 'designer')).includes('up.wav'));
  });

  test('application log: 404 while logging is off; RVD lines; DELETE truncates; tenancy', async () => {
    const sid = await newProject(api(), 'logged');
    const logs = new ProjectLogs(new DesignerWorkspace(api().config.dataDir), () => new Date(Date.UTC(2018, 5, 19, 10, 0, 0)));
    assert.equal((await dv(api(), 'GET', `/apps/${sid}/log`)).status, 404, 'logging is off');
    logs.writer(sid, { logging: false, loggingRCML: false }).write(['LOG'], 'not written');
    await dv(api(), 'POST', `/projects/${sid}/settings`, json({ logging: true, loggingRCML: true }));
    assert.equal((await dv(api(), 'GET', `/apps/${sid}/log`)).status, 404, 'no file yet');
    const writer = logs.writer(sid, { logging: true, loggingRCML: true });
    writer.write([], 'Running target: start');
    writer.write(['LOG'], 'a=1&b<2>');
    const r = await dv(api(), 'GET', `/apps/${sid}/log`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers.get('cache-control'), 'no-cache, no-store, must-revalidate');
    assert.equal(r.headers.get('pragma'), 'no-cache');
    assert.equal(r.text, '[Tue Jun 19 10:00:00 UTC 2018] "Running target: start"\n[Tue Jun 19 10:00:00 UTC 2018] [LOG]  "a\\u003d1\\u0026b\\u003c2\\u003e"\n');

    assert.equal((await dv(api(), 'DELETE', `/apps/${sid}/log`)).status, 200);
    assert.equal((await dv(api(), 'GET', `/apps/${sid}/log`)).text, '');
    const other = await api().createAccount('dv-log-sibling@example.com');
    assert.equal((await dv(api(), 'GET', `/apps/${sid}/log`, { auth: other.auth })).status, 403, 'RVD: no owner check');
    assert.equal((await dv(api(), 'GET', `/apps/${sid}/log`, { auth: null })).status, 401);
  });

  test('the controller renders a project for the account (its welcome Say); an unknown project 404 with an empty body; a sibling 403', async () => {
    const sid = await newProject(api(), 'no runtime');
    const rendered = await dv(api(), 'POST', `/apps/${sid}/controller`, { form: { CallSid: 'CA1' } });
    assert.equal(rendered.status, 200);
    assert.match(rendered.text, /<Say[^>]*>Welcome to Telestax Restcom Visual Designer Demo<\/Say>/);
    const missing = await dv(api(), 'GET', '/apps/AP00000000000000000000000000000000/controller');
    assert.equal(missing.status, 404);
    assert.equal(missing.text, '');
    const other = await api().createAccount('dv-ctl-sibling@example.com');
    assert.equal((await dv(api(), 'GET', `/apps/${sid}/controller`, { auth: other.auth })).status, 403);
  });

  test('an unknown designer path is a 404 RvdResponse', async () => {
    const r = await dv(api(), 'GET', '/nothing/here');
    assert.equal(r.status, 404);
    assert.equal(r.json<{ rvdStatus: string }>().rvdStatus, 'NOT_FOUND');
  });
});
