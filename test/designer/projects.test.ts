import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { strToU8, zipSync } from 'fflate';
import { ADMIN, ADMIN_SID, forEachDatabase } from '../api/harness.js';
import { dv, files, newProject, stateWith, wavBytes } from './support.js';

type Json = Record<string, unknown>;
const PREFIXES = ['/visual-designer/services', '/visual-designer/api', '/restcomm-rvd/services', '/restcomm-rvd/api'];

forEachDatabase('Visual Designer projects', (api) => {
  test('create: {name,sid,kind}, an Application of the caller with the relative controller URL; the empty voice project', async () => {
    const r = await dv(api(), 'POST', '/projects?name=Welcome%20line&kind=voice');
    assert.equal(r.status, 200, r.text);
    const body = r.json<{ name: string; sid: string; kind: string }>();
    assert.equal(body.name, 'Welcome line');
    assert.equal(body.kind, 'voice');
    assert.match(body.sid, /^AP[0-9a-f]{32}$/);
    const app = await api().request('GET', `/Accounts/${ADMIN_SID}/Applications/${body.sid}.json`);
    assert.equal(app.status, 200, app.text);
    const a = app.json<Json>();
    assert.equal(a.friendly_name, 'Welcome line');
    assert.equal(a.rcml_url, `/visual-designer/services/apps/${body.sid}/controller`);
    assert.equal(a.kind, 'voice');
    const state = (await dv(api(), 'GET', `/projects/${body.sid}`)).json<{ header: Json; nodes: { name: string; label: string; steps: Json[] }[] }>();
    assert.deepEqual(state.header, { projectKind: 'voice', startNodeName: 'start', version: '1.15', owner: 'administrator@company.com' });
    assert.equal(state.nodes[0]?.label, 'Welcome');
    assert.equal(state.nodes[0]?.steps[0]?.kind, 'say');
    const info = await dv(api(), 'GET', `/projects/${body.sid}/info`);
    assert.deepEqual(info.json(), { projectKind: 'voice', startNodeName: 'start', version: '1.15', owner: 'administrator@company.com' });
  });

  test('create refuses a bad kind, a missing name (400) and a name the account already has (409)', async () => {
    const bad = await dv(api(), 'POST', '/projects?name=x&kind=fax');
    assert.equal(bad.status, 400);
    assert.match(bad.json<{ exception: { message: string } }>().exception.message, /kind must be one of voice, sms, ussd/);
    assert.equal((await dv(api(), 'POST', '/projects?kind=voice')).status, 400);
    await newProject(api(), 'taken');
    const again = await dv(api(), 'POST', '/projects?name=taken&kind=sms');
    assert.equal(again.status, 409, again.text);
    assert.equal(again.json<{ exception: { className: string } }>().exception.className, 'ApplicationAlreadyExists');
  });

  test('every prefix answers, and the legacy PUT /projects/{name} creates', async () => {
    for (const prefix of PREFIXES) {
      const r = await dv(api(), 'GET', '/config', { auth: null }, prefix);
      assert.equal(r.status, 200, prefix);
      assert.deepEqual(r.json(), { videoSupport: false, ussdSupport: false, projectVersion: '1.15' });
    }
    const legacy = await dv(api(), 'PUT', '/projects/legacy%20app?kind=sms', {}, '/restcomm-rvd/services');
    assert.equal(legacy.status, 200, legacy.text);
    const { sid } = legacy.json<{ sid: string }>();
    assert.equal((await dv(api(), 'GET', `/projects/${sid}/info`, {}, '/visual-designer/api')).json<Json>().projectKind, 'sms');
  });

  test('authentication: none, a bad password and an inactive account get a bare 401 without WWW-Authenticate', async () => {
    const sid = await newProject(api(), 'auth check');
    for (const auth of [null, [ADMIN[0], 'wrong'] as const]) {
      const r = await dv(api(), 'GET', `/projects/${sid}`, { auth });
      assert.equal(r.status, 401);
      assert.equal(r.text, '');
      assert.equal(r.headers.get('www-authenticate'), null);
    }
    const sleeper = await api().createAccount('dv-sleeper@example.com');
    const own = await newProject(api(), 'sleeper app', 'voice', sleeper.auth);
    const token = await api().request('GET', `/Accounts.json/${sleeper.sid}`);
    const suspend = await api().request('POST', `/Accounts.json/${sleeper.sid}`, { form: { Status: 'suspended' } });
    assert.equal(suspend.status, 200, suspend.text);
    assert.equal((await dv(api(), 'GET', `/projects/${own}`, { auth: sleeper.auth })).status, 401);
    assert.equal((await dv(api(), 'GET', `/projects/${own}`, { auth: [sleeper.sid, token.json<{ auth_token: string }>().auth_token] })).status, 401);
    const login = await dv(api(), 'POST', '/auth/login', { auth: null, body: JSON.stringify({ username: sleeper.auth[0], password: sleeper.auth[1] }) });
    assert.equal(login.status, 401);
  });

  test('login with e-mail and password, keepalive and the (empty) bundled media list', async () => {
    assert.equal((await dv(api(), 'POST', '/auth/login', { auth: null, body: JSON.stringify({ username: ADMIN[0], password: ADMIN[1] }) })).status, 200);
    assert.equal((await dv(api(), 'POST', '/auth/login', { auth: null, body: '{"username":1}' })).status, 400);
    assert.equal((await dv(api(), 'GET', '/auth/keepalive')).status, 200);
    assert.deepEqual((await dv(api(), 'GET', '/designer/bundledWavs')).json(), { rvdStatus: 'OK', payload: [] });
  });

  test('tenancy: a parent sees its sub-account\'s project, a sibling gets 403, unknown or malformed sids 404', async () => {
    const parent = await api().createAccount('dv-parent@example.com');
    const child = await api().createAccount('dv-child@example.com', { parent: parent.auth });
    const sibling = await api().createAccount('dv-sibling@example.com', { parent: parent.auth });
    const sid = await newProject(api(), 'child app', 'voice', child.auth);
    assert.equal((await dv(api(), 'GET', `/projects/${sid}`, { auth: parent.auth })).status, 200);
    assert.equal((await dv(api(), 'GET', `/projects/${sid}`)).status, 200, 'the administrator is an ancestor');
    for (const [method, path] of [['GET', ''], ['GET', '/info'], ['POST', '/build'], ['DELETE', ''], ['GET', '/wavs'], ['GET', '/parameters'], ['GET', '/archive']]) {
      const r = await dv(api(), method ?? 'GET', `/projects/${sid}${path}`, { auth: sibling.auth });
      assert.equal(r.status, 403, `${method} ${path}: ${r.text}`);
      assert.equal(r.json<{ exception: { className: string } }>().exception.className, 'ForbiddenResourceException');
    }
    const parentOwn = await newProject(api(), 'parent app', 'voice', parent.auth);
    assert.equal((await dv(api(), 'GET', `/projects/${parentOwn}`, { auth: child.auth })).status, 403, 'a child does not see its parent\'s');
    for (const bad of ['AP00000000000000000000000000000000', 'nope', '..%2F..%2Fetc']) {
      const r = await dv(api(), 'GET', `/projects/${bad}`);
      assert.equal(r.status, 404, bad);
      assert.deepEqual(r.json<{ rvdStatus: string; exception: { className: string } }>().exception.className, 'ProjectDoesNotExist');
      assert.equal(r.json<{ rvdStatus: string }>().rvdStatus, 'NOT_FOUND');
    }
  });

  test('save: a valid state is stored (version forced, owner kept); build is a 200 no-op', async () => {
    const sid = await newProject(api(), 'saver');
    const state = stateWith([{ kind: 'say', name: 'step1', phrase: 'hello' }, { kind: 'hungup', name: 'step2' }]);
    (state.header as Json).owner = 'someone@else.example';
    (state.header as Json).version = '1.14';
    const r = await dv(api(), 'POST', `/projects/${sid}`, { body: JSON.stringify(state), contentType: 'application/data' });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json(), { rvdStatus: 'OK' });
    const stored = (await dv(api(), 'GET', `/projects/${sid}`)).json<{ header: Json; nodes: { steps: Json[] }[] }>();
    assert.equal(stored.header.version, '1.15');
    assert.equal(stored.header.owner, 'administrator@company.com');
    assert.equal(stored.nodes[0]?.steps[1]?.kind, 'hungup');
    assert.equal((await dv(api(), 'POST', `/projects/${sid}/build`)).status, 200);
    assert.equal((await dv(api(), 'PUT', `/projects/${sid}/upgrade`)).status, 200);
  });

  test('save: an invalid project answers 200 INVALID naming the step and field, and is NOT stored', async () => {
    const sid = await newProject(api(), 'invalid saver');
    const before = (await dv(api(), 'GET', `/projects/${sid}`)).text;
    const r = await dv(api(), 'POST', `/projects/${sid}`, { body: JSON.stringify(stateWith([{ kind: 'say', name: 'step1', phrase: 'x' }, { kind: 'teleport', name: 'step2' }])) });
    assert.equal(r.status, 200, r.text);
    const body = r.json<{ rvdStatus: string; exception: { className: string; jsonSchemaReport: { success: boolean; errorItems: { level: string; summary: string; failurePath: string }[] } } }>();
    assert.equal(body.rvdStatus, 'INVALID');
    assert.equal(body.exception.className, 'ValidationException');
    assert.equal(body.exception.jsonSchemaReport.success, false);
    const item = body.exception.jsonSchemaReport.errorItems[0];
    assert.equal(item?.failurePath, '/nodes/0/steps/1/kind');
    assert.match(item?.summary ?? '', /Unknown step kind "teleport"/);
    assert.equal(item?.level, 'error');
    assert.equal((await dv(api(), 'GET', `/projects/${sid}`)).text, before, 'nothing was stored');

    const kindChange = await dv(api(), 'POST', `/projects/${sid}`, { body: JSON.stringify(stateWith([{ kind: 'sms', name: 'step1', text: 'x', to: '1', from: '2' }], 'sms')) });
    assert.equal(kindChange.json<{ rvdStatus: string }>().rvdStatus, 'INVALID');
    assert.match(kindChange.text, /projectKind cannot change from voice to sms/);
  });

  test('save: bad JSON and an unknown project version are 400 with the reason', async () => {
    const sid = await newProject(api(), 'bad saver');
    const bad = await dv(api(), 'POST', `/projects/${sid}`, { body: '{"header": ', contentType: 'application/data' });
    assert.equal(bad.status, 400);
    assert.match(bad.json<{ exception: { message: string } }>().exception.message, /project state: the body is not JSON/);
    const empty = await dv(api(), 'POST', `/projects/${sid}`);
    assert.equal(empty.status, 400);
    const future = stateWith([]);
    (future.header as Json).version = '9.0';
    const v = await dv(api(), 'POST', `/projects/${sid}`, { body: JSON.stringify(future) });
    assert.equal(v.status, 400);
    assert.equal(v.json<{ exception: { className: string } }>().exception.className, 'UnsupportedProjectVersion');
    assert.equal((await dv(api(), 'POST', '/projects/AP00000000000000000000000000000000', { body: JSON.stringify(stateWith([])) })).status, 404);
  });

  test('rename: the Application\'s name changes; a taken name is 409, an empty one 400', async () => {
    const sid = await newProject(api(), 'old name');
    await newProject(api(), 'other name');
    assert.equal((await dv(api(), 'PUT', `/projects/${sid}/rename?newName=new%20name`)).status, 200);
    assert.equal((await api().request('GET', `/Accounts/${ADMIN_SID}/Applications/${sid}.json`)).json<Json>().friendly_name, 'new name');
    assert.equal((await dv(api(), 'PUT', `/projects/${sid}/rename?newName=new%20name`)).status, 200, 'its own name is no conflict');
    const conflict = await dv(api(), 'PUT', `/projects/${sid}/rename?newName=other%20name`);
    assert.equal(conflict.status, 409, conflict.text);
    assert.equal((await dv(api(), 'PUT', `/projects/${sid}/rename?newName=`)).status, 400);
    assert.equal((await dv(api(), 'PUT', `/projects/${sid}/rename`)).status, 400);
  });

  test('delete removes the project, its Application and its files; deleting the Application removes the project', async () => {
    const sid = await newProject(api(), 'doomed');
    assert.equal((await dv(api(), 'POST', `/projects/${sid}/wavs`, { body: files(['file', 'beep.wav', wavBytes()]) })).status, 200);
    const folder = join(api().config.dataDir, 'designer', sid);
    assert.ok(existsSync(join(folder, 'wavs', 'beep.wav')));
    assert.equal((await dv(api(), 'DELETE', `/projects/${sid}`)).status, 200);
    assert.equal((await api().request('GET', `/Accounts/${ADMIN_SID}/Applications/${sid}.json`)).status, 404);
    assert.equal((await dv(api(), 'GET', `/projects/${sid}`)).status, 404);
    assert.ok(!existsSync(folder), 'the files are gone');
    assert.equal((await dv(api(), 'DELETE', `/projects/${sid}`)).status, 404);

    const other = await newProject(api(), 'deleted by REST');
    assert.equal((await api().request('DELETE', `/Accounts/${ADMIN_SID}/Applications/${other}.json`)).status, 200);
    assert.equal((await dv(api(), 'GET', `/projects/${other}`)).status, 404);
  });

  test('closing an account deletes its projects with its Applications', async () => {
    const closing = await api().createAccount('dv-closing@example.com');
    const sid = await newProject(api(), 'closing app', 'voice', closing.auth);
    assert.equal((await api().request('POST', `/Accounts.json/${closing.sid}`, { form: { Status: 'closed' } })).status, 200);
    assert.equal(await api().store.designerProjects.find(sid), undefined);
    assert.equal((await dv(api(), 'GET', `/projects/${sid}`)).status, 404);
  });

  test('templates: list (with a page), one, and bad or unknown ids', async () => {
    const list = (await dv(api(), 'GET', '/templates')).json<{ results: { id: string; tags: string[] }[] }>();
    const ids = list.results.map((t) => t.id);
    for (const id of ['TL1234', 'TLfee2b4c619cd49599da8feec4db32f3b', 'TL510826acaba94b8fb2813d008b0ceb06', 'TL70c368e31cbd46dba4f92318d792c68f']) assert.ok(ids.includes(id), id);
    const page = (await dv(api(), 'GET', '/templates?page=0')).json<Json>();
    assert.equal(page.pageSize, 100);
    assert.equal(page.currentPage, 0);
    assert.equal((await dv(api(), 'GET', '/templates?page=-1')).status, 400, 'RVD: 500');
    assert.deepEqual(Object.keys((await dv(api(), 'GET', '/templates/TL1234')).json()), ['id', 'name', 'description', 'tags']);
    assert.equal((await dv(api(), 'GET', '/templates/XX12')).status, 400);
    const unknown = await dv(api(), 'GET', '/templates/TLnope');
    assert.equal(unknown.status, 404, 'RVD: 500');
    assert.equal(unknown.json<{ exception: { className: string } }>().exception.className, 'TemplateDoesNotExist');
    assert.equal((await dv(api(), 'GET', '/templates', { auth: null })).status, 401);
  });

  test('create from a template: its kind from the tags, its state and parameters, a default name', async () => {
    const r = await dv(api(), 'POST', '/projects?template=TLfee2b4c619cd49599da8feec4db32f3b&name=dial%20bob');
    assert.equal(r.status, 200, r.text);
    const { sid, kind, name } = r.json<{ sid: string; kind: string; name: string }>();
    assert.equal(kind, 'voice');
    assert.equal(name, 'dial bob');
    assert.deepEqual((await dv(api(), 'GET', `/projects/${sid}/parameters`)).json(), { parameters: [{ name: 'client', value: 'bob', description: 'The login of the client to dial' }] });
    const state = (await dv(api(), 'GET', `/projects/${sid}`)).json<{ header: Json; nodes: { steps: Json[] }[] }>();
    assert.equal(state.header.owner, 'administrator@company.com');
    assert.equal(state.nodes[0]?.steps[0]?.kind, 'dial');
    const ivr = await dv(api(), 'POST', '/projects?template=TL1234');
    assert.equal(ivr.json<Json>().kind, 'voice');
    assert.match(String(ivr.json<Json>().name), /^Simple IVR menu \d{13}$/);
    assert.equal((await dv(api(), 'POST', '/projects?template=TLnope')).status, 404);
    assert.equal((await dv(api(), 'POST', '/projects?template=bad-id')).status, 400);
  });

  test('archive and import: the zip carries state, parameters, settings and media; import makes a new project', async () => {
    const sid = await newProject(api(), 'exported');
    await dv(api(), 'PUT', `/projects/${sid}/parameters`, { body: JSON.stringify({ parameters: [{ name: 'greeting', value: 'hi' }] }) });
    await dv(api(), 'POST', `/projects/${sid}/settings`, { body: JSON.stringify({ logging: true, loggingRCML: false }) });
    await dv(api(), 'POST', `/projects/${sid}/wavs`, { body: files(['file', 'hello.wav', wavBytes()]) });
    const zip = await dv(api(), 'GET', `/projects/${sid}/archive?projectName=my%20export`);
    assert.equal(zip.status, 200);
    assert.equal(zip.headers.get('content-type'), 'application/zip');
    assert.equal(zip.headers.get('content-disposition'), "attachment; filename*=UTF-8''my%20export.zip");

    const imported = await dv(api(), 'POST', '/projects?name=reimported', { body: files(['file', 'whatever.zip', zip.bytes], ['second', 'second copy.zip', zip.bytes]) });
    assert.equal(imported.status, 200, imported.text);
    const rows = imported.json<{ field: string; name: string; id: string }[]>();
    assert.deepEqual(rows.map((r) => [r.field, r.name]), [['file', 'reimported'], ['second', 'second copy']]);
    const copy = rows[0]?.id ?? '';
    assert.equal((await dv(api(), 'GET', `/projects/${copy}`)).text, (await dv(api(), 'GET', `/projects/${sid}`)).text);
    assert.deepEqual((await dv(api(), 'GET', `/projects/${copy}/parameters`)).json(), { parameters: [{ name: 'greeting', value: 'hi' }] });
    assert.deepEqual((await dv(api(), 'GET', `/projects/${copy}/settings`)).json(), { logging: true, loggingRCML: false });
    assert.deepEqual((await dv(api(), 'GET', `/projects/${copy}/wavs`)).json(), [{ filename: 'hello.wav' }]);
    assert.equal((await api().request('GET', `/Accounts/${ADMIN_SID}/Applications/${copy}.json`)).json<Json>().rcml_url, `/visual-designer/services/apps/${copy}/controller`);
    const conflict = await dv(api(), 'POST', '/projects?name=reimported', { body: files(['file', 'x.zip', zip.bytes]) });
    assert.equal(conflict.status, 409);
  });

  test('import refuses what is not a project archive, an unsupported version, an invalid state and media that is not audio', async () => {
    const state = (version: string, steps: Record<string, unknown>[] = []): Uint8Array => {
      const s = stateWith(steps);
      (s.header as Json).version = version;
      return strToU8(JSON.stringify(s));
    };
    const cases: [Uint8Array, number, RegExp][] = [
      [strToU8('not a zip at all'), 400, /not a zip archive/],
      [zipSync({ readme: strToU8('hi') }), 400, /no project state/],
      [zipSync({ state: strToU8('{oops') }), 400, /state is not JSON/],
      [zipSync({ state: state('0.9') }), 400, /UnsupportedProjectVersion/],
      [zipSync({ state: state('1.15', [{ kind: 'warp', name: 'step1' }]) }), 400, /INVALID.*Unknown step kind \\"warp\\"/],
      [zipSync({ state: state('1.15'), wavs: { 'fake.wav': strToU8('text, not audio') } }), 400, /fake.wav.*is not WAV audio/],
      [zipSync({ state: state('1.15'), wavs: { 'x.exe': strToU8('MZ') } }), 400, /x.exe.*FILE_EXT_NOT_ALLOWED/],
    ];
    for (const [i, [bytes, status, message]] of cases.entries()) {
      const r = await dv(api(), 'POST', `/projects?name=bad%20import%20${i}`, { body: files(['file', `case${i}.zip`, bytes]) });
      assert.equal(r.status, status, `case ${i}: ${r.text}`);
      assert.match(r.text, message, `case ${i}`);
    }
    const nested = await dv(api(), 'POST', '/projects?name=nested%20import', { body: files(['file', 'n.zip', zipSync({ folder: { state: state('1.14') } })]) });
    assert.equal(nested.status, 200, `a state inside one top folder is found: ${nested.text}`);
    const noFile = await dv(api(), 'POST', '/projects', { body: (() => { const f = new FormData(); f.append('name', 'x'); return f; })() });
    assert.equal(noFile.status, 400);
  });
});
