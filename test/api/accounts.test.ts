import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ADMIN, ADMIN_EMAIL, ADMIN_SID, forEachDatabase } from './harness.js';

interface AccountJson {
  sid: string;
  email_address: string;
  friendly_name: string;
  status: string;
  role: string;
  auth_token: string;
  uri: string;
  date_created: string;
  subresource_uris: Record<string, string>;
}

forEachDatabase('Accounts', (api) => {
  test('the administrator is found by e-mail with .json on the collection segment', async () => {
    const r = await api().request('GET', `/Accounts.json/${ADMIN_EMAIL}`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /application\/json/);
    const a = r.json<AccountJson>();
    assert.equal(a.sid, ADMIN_SID);
    assert.equal(a.friendly_name, 'Default Administrator Account');
    assert.equal(a.role, 'Administrator');
    assert.equal(a.status, 'active', 'ADMIN_PASSWORD at first start activates the account');
    assert.equal(a.uri, `/2012-04-24/Accounts.json/${ADMIN_SID}`);
    assert.equal(a.subresource_uris.sms_messages, `/2012-04-24/Accounts/${ADMIN_SID}/SMS/Messages.json`);
    assert.match(a.date_created, /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$/);
    assert.deepEqual(Object.keys(a), ['sid', 'organization', 'friendly_name', 'email_address', 'type', 'status', 'role', 'date_created', 'date_updated', 'auth_token', 'uri', 'subresource_uris']);
  });

  test('XML by default, JSON when Accept mentions json, .json on the last segment too', async () => {
    const xml = await api().request('GET', `/Accounts/${ADMIN_SID}`);
    assert.equal(xml.status, 200);
    assert.match(xml.headers.get('content-type') ?? '', /application\/xml/);
    assert.match(xml.text, /^<RestcommResponse>\s*<Account>\s*<Sid>ACae6e420f425248d6a26948c17a9e2acf<\/Sid>\s*<organization>OR/);
    assert.match(xml.text, /<SMSMessages>\/2012-04-24\/Accounts\/ACae6e420f425248d6a26948c17a9e2acf\/SMS\/Messages<\/SMSMessages>/);
    assert.match(xml.text, /<Uri>\/2012-04-24\/Accounts\/ACae6e420f425248d6a26948c17a9e2acf<\/Uri>/);
    const star = await api().request('GET', `/Accounts/${ADMIN_SID}`, { accept: '*/*' });
    assert.match(star.text, /^<RestcommResponse>/);
    const accept = await api().request('GET', `/Accounts/${ADMIN_SID}`, { accept: 'application/json' });
    assert.equal(accept.json<AccountJson>().sid, ADMIN_SID);
    const suffix = await api().request('GET', `/Accounts/${ADMIN_SID}.json`);
    assert.equal(suffix.json<AccountJson>().sid, ADMIN_SID);
  });

  test('authentication: 401 with the Restcomm realm for missing, wrong or non-Basic credentials', async () => {
    for (const auth of [null, [ADMIN_EMAIL, 'wrong'] as const, ['Default Administrator Account', ADMIN[1]] as const]) {
      const r = await api().request('GET', '/Accounts.json', { auth });
      assert.equal(r.status, 401, `auth ${JSON.stringify(auth)}`);
      assert.equal(r.headers.get('www-authenticate'), 'Basic realm="Restcomm realm"');
      assert.equal(r.text, '');
    }
    const bearer = await fetch(`${api().base}/Accounts.json`, { headers: { authorization: 'Bearer abc' } });
    assert.equal(bearer.status, 401);
  });

  test('authentication by SID and by auth token as password', async () => {
    const me = (await api().request('GET', `/Accounts.json/${ADMIN_SID}`)).json<AccountJson>();
    const bySid = await api().request('GET', `/Accounts.json/${ADMIN_SID}`, { auth: [ADMIN_SID, me.auth_token] });
    assert.equal(bySid.status, 200);
    assert.equal(bySid.json<AccountJson>().email_address, ADMIN_EMAIL);
  });

  test('create a sub-account: SID from the e-mail, token = md5(password), defaults', async () => {
    const r = await api().request('POST', '/Accounts.json', { form: { EmailAddress: 'Created@Company.com', Password: 'RestComm12', Unknown: 'x' } });
    assert.equal(r.status, 200);
    const a = r.json<AccountJson>();
    assert.equal(a.sid, 'AC5ee3b351401804c2d064a33f762146fb');
    assert.equal(a.email_address, 'created@company.com');
    assert.equal(a.friendly_name, 'created@company.com');
    assert.equal(a.status, 'active');
    assert.match(a.auth_token, /^[0-9a-f]{32}$/);
    const again = await api().request('POST', '/Accounts.json', { form: { EmailAddress: 'created@company.com', Password: 'RestComm12' } });
    assert.equal(again.status, 409);
    assert.match(again.json<{ message: string }>().message, /already in use/);
    const list = await api().request('GET', '/Accounts.json');
    assert.ok(list.json<AccountJson[]>().some((x) => x.sid === a.sid));
    assert.ok(!list.json<AccountJson[]>().some((x) => x.sid === ADMIN_SID), 'the list holds only children');
  });

  test('create: bad input answers 400 naming the problem', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ Password: 'RestComm12' }, /Email address can not be null/],
      [{ EmailAddress: 'x@example.com' }, /Password can not be null/],
      [{ EmailAddress: 'not-an-email', Password: 'RestComm12' }, /email address not-an-email is not valid/],
      [{ EmailAddress: 'a=b@example.com', Password: 'RestComm12' }, /is not valid/],
      [{ EmailAddress: 'weak@example.com', Password: 'password' }, /Password too weak/],
      [{ EmailAddress: 'status@example.com', Password: 'RestComm12', Status: 'dormant' }, /Status must be one of/],
    ];
    for (const [form, message] of cases) {
      const r = await api().request('POST', '/Accounts.json', { form });
      assert.equal(r.status, 400, JSON.stringify(form));
      assert.match(r.json<{ message: string }>().message, message);
    }
    const xml = await api().request('POST', '/Accounts', { form: { Password: 'RestComm12' } });
    assert.equal(xml.status, 400);
    assert.match(xml.text, /<RestcommResponse>\s*<Message>Email address can not be null.<\/Message>/);
  });

  test('malformed and unknown account ids answer 404', async () => {
    for (const id of ['ACnothex!', 'AC00000000000000000000000000000000', 'nobody@example.com']) {
      const r = await api().request('GET', `/Accounts.json/${encodeURIComponent(id)}`);
      assert.equal(r.status, 404, id);
    }
    const sub = await api().request('GET', '/Accounts/garbage/Clients.json');
    assert.equal(sub.status, 404);
  });

  test('tenancy: siblings and parents are out of reach (403), children are visible', async () => {
    const a = await api().createAccount('sib-a@example.com');
    const b = await api().createAccount('sib-b@example.com');
    const child = await api().createAccount('child-a@example.com', { parent: a.auth });
    assert.equal((await api().request('GET', `/Accounts.json/${b.sid}`, { auth: a.auth })).status, 403);
    assert.equal((await api().request('GET', `/Accounts/${b.sid}/Clients.json`, { auth: a.auth })).status, 403);
    assert.equal((await api().request('GET', `/Accounts.json/${ADMIN_SID}`, { auth: a.auth })).status, 403);
    assert.equal((await api().request('GET', `/Accounts/${a.sid}/Clients.json`, { auth: child.auth })).status, 403);
    assert.equal((await api().request('GET', `/Accounts/${child.sid}/Clients.json`, { auth: a.auth })).status, 200);
    assert.equal((await api().request('GET', `/Accounts.json/${child.sid}`)).status, 200, 'the administrator sees a grandchild');
    const tooDeep = await api().request('POST', '/Accounts.json', { auth: child.auth, form: { EmailAddress: 'deeper@example.com', Password: 'RestComm12' } });
    assert.equal(tooDeep.status, 400);
    assert.match(tooDeep.text, /not allowed to have sub-accounts/);
  });

  test('a non-administrator role gets its parent role and reaches only itself through /Accounts', async () => {
    const dev = await api().createAccount('dev@example.com', { role: 'Developer' });
    const sub = await api().createAccount('dev-sub@example.com', { parent: dev.auth, role: 'Administrator' });
    const subJson = (await api().request('GET', `/Accounts.json/${sub.sid}`)).json<AccountJson>();
    assert.equal(subJson.role, 'Developer', 'a Developer cannot grant Administrator');
    assert.equal((await api().request('GET', `/Accounts.json/${sub.sid}`, { auth: dev.auth })).status, 403);
    assert.equal((await api().request('GET', `/Accounts/${sub.sid}/Clients.json`, { auth: dev.auth })).status, 200);
    const role = await api().request('POST', `/Accounts.json/${dev.sid}`, { auth: dev.auth, form: { Role: 'Administrator' } });
    assert.equal(role.status, 403);
    const unknownRole = await api().createAccount('norole@example.com', { role: 'Administartor' });
    assert.equal((await api().request('GET', `/Accounts/${unknownRole.sid}/Clients.json`, { auth: unknownRole.auth })).status, 403);
  });

  test('update: password (strength-checked), friendly name; status cascades; closed accounts are locked out', async () => {
    const p = await api().createAccount('parent-u@example.com');
    const c = await api().createAccount('child-u@example.com', { parent: p.auth });
    const weak = await api().request('POST', `/Accounts.json/${p.sid}`, { form: { Password: 'RestComm' } });
    assert.equal(weak.status, 400);
    assert.match(weak.text, /weak/);
    const renamed = await api().request('PUT', `/Accounts.json/parent-u@example.com`, { form: { FriendlyName: 'Parent U', Password: 'RestComm1234' } });
    assert.equal(renamed.status, 200);
    assert.equal(renamed.json<AccountJson>().friendly_name, 'Parent U');
    const newAuth = ['parent-u@example.com', 'RestComm1234'] as const;
    assert.equal((await api().request('GET', `/Accounts.json/${p.sid}`, { auth: p.auth })).status, 401, 'the old password no longer works');
    assert.equal((await api().request('GET', `/Accounts.json/${p.sid}`, { auth: newAuth })).status, 200);
    const badStatus = await api().request('POST', `/Accounts.json/${p.sid}`, { form: { Status: 'sleeping' } });
    assert.equal(badStatus.status, 400);
    const suspended = await api().request('POST', `/Accounts.json/${p.sid}`, { form: { Status: 'SUSPENDED' } });
    assert.equal(suspended.json<AccountJson>().status, 'suspended');
    assert.equal((await api().request('GET', `/Accounts.json/${c.sid}`)).json<AccountJson>().status, 'suspended', 'cascade to children');
    const locked = await api().request('GET', `/Accounts.json/${c.sid}`, { auth: c.auth });
    assert.equal(locked.status, 403);
    assert.equal(locked.text, 'Provided Account is not active');
    await api().request('POST', `/Accounts.json/${p.sid}`, { form: { Status: 'closed' } });
    const closedUpdate = await api().request('POST', `/Accounts.json/${c.sid}`, { form: { FriendlyName: 'x' } });
    assert.equal(closedUpdate.status, 400);
    assert.match(closedUpdate.text, /Account is closed/);
  });

  test('an uninitialized account becomes active when its password is set', async () => {
    const u = await api().request('POST', '/Accounts.json', { form: { EmailAddress: 'uninit@example.com', Password: 'RestComm12', Status: 'uninitialized' } });
    assert.equal(u.json<AccountJson>().status, 'uninitialized');
    const set = await api().request('POST', '/Accounts.json/uninit@example.com', { auth: ['uninit@example.com', 'RestComm12'], form: { Password: 'RestComm1234' } });
    assert.equal(set.status, 200);
    assert.equal(set.json<AccountJson>().status, 'active');
  });
});
