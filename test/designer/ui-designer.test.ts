/**
 * The Visual Designer page in Debian's Chromium against a real node: sign in, build the transfer
 * scenario's two applications with the page's forms (a Dial to client bob, and a refer app dialling
 * `$core_ReferTarget` that dials the transferor back when the transfer fails), attach them to numbers,
 * see the graph, save an invalid project and see its error named, upload a WAV, rename and delete.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { ADMIN_EMAIL, ADMIN_PASSWORD, ADMIN_SID, launchChromium, screenshot, startUiNode, watchPage, type UiNode } from './ui-harness.js';

interface ProjectState {
  header: { startNodeName: string };
  nodes: Array<{ name: string; label: string; steps: Array<Record<string, unknown>> }>;
}
interface NumberJson {
  sid: string;
  voice_application_sid: string | null;
  refer_application_sid: string | null;
  refer_url: string | null;
}

/** A 0.1 s 8 kHz mono 16-bit PCM WAV of silence. */
function wav(): Buffer {
  const samples = 800;
  const b = Buffer.alloc(44 + samples * 2);
  b.write('RIFF', 0);
  b.writeUInt32LE(36 + samples * 2, 4);
  b.write('WAVEfmt ', 8);
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20);
  b.writeUInt16LE(1, 22);
  b.writeUInt32LE(8000, 24);
  b.writeUInt32LE(16000, 28);
  b.writeUInt16LE(2, 32);
  b.writeUInt16LE(16, 34);
  b.write('data', 36);
  b.writeUInt32LE(samples * 2, 40);
  return b;
}

const step = (page: Page, n: number, kind: string): Locator => page.getByRole('region', { name: `Step ${n}: ${kind}` });

describe('designer page', () => {
  let node: UiNode;
  let browser: Browser;
  let page: Page;
  let watched: { errors: string[] };
  const sids: Record<string, string> = {};
  const numbers: Record<string, string> = {};

  const designer = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${node.origin}/visual-designer/services${path}`, {
      headers: { authorization: 'Basic ' + Buffer.from(`${ADMIN_EMAIL}:${ADMIN_PASSWORD}`).toString('base64') },
    });
    assert.equal(res.status, 200, `GET ${path}`);
    return (await res.json()) as T;
  };

  /** Creates `name` with the page's form, from `template` (an id) or empty; answers its sid with the editor open. */
  const create = async (name: string, template?: string): Promise<string> => {
    const form = page.getByRole('form', { name: 'Create an application' });
    await form.getByLabel('Application name', { exact: true }).fill(name);
    await form.getByLabel('Start from', { exact: true }).selectOption(template ?? { label: 'Empty voice application' });
    await form.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { level: 1, name }).waitFor();
    const sid = /#\/apps\/(AP[0-9a-f]{32})$/.exec(page.url())?.[1];
    assert.ok(sid, `the editor of ${name} opened at ${page.url()}`);
    sids[name] = sid;
    return sid;
  };

  const save = async (): Promise<void> => {
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('status').filter({ hasText: /^(Saved|Not saved.*)$/ }).first().waitFor();
  };

  const home = async (): Promise<void> => {
    await page.getByRole('button', { name: '← Applications' }).click();
    await page.getByRole('region', { name: 'Applications' }).waitFor();
  };

  before(async () => {
    node = await startUiNode();
    for (const phone of ['1000', '2000']) {
      const r = await node.rest<{ sid: string }>('POST', `/Accounts/${ADMIN_SID}/IncomingPhoneNumbers.json`, { PhoneNumber: phone, isSIP: 'true' });
      assert.equal(r.status, 200);
      numbers[phone] = r.json.sid;
    }
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    page.setDefaultTimeout(10_000);
    page.on('dialog', (d) => void d.accept());
    watched = watchPage(page);
    await page.goto(`${node.origin}/visual-designer/`);
  });

  after(async () => {
    await browser?.close();
    await node?.close();
  });

  test('a wrong password is refused with a message, the right one signs in', async () => {
    const form = page.getByRole('form', { name: 'Sign in' });
    await form.getByLabel('Account SID or e-mail', { exact: true }).fill(ADMIN_EMAIL);
    await form.getByLabel('Password or auth token', { exact: true }).fill('not-the-password');
    await form.getByRole('button', { name: 'Sign in' }).click();
    await form.getByRole('alert').filter({ hasText: 'The account or the password is wrong' }).waitFor();
    await form.getByLabel('Password or auth token', { exact: true }).fill(ADMIN_PASSWORD);
    await form.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('region', { name: 'Applications' }).waitFor();
    assert.equal(await page.evaluate('localStorage.length'), 0, 'nothing is kept in localStorage');
    assert.match(String(await page.evaluate("sessionStorage.getItem('dialtone.designer.session')")), /"sid":"AC/);
  });

  test('the "dial bob" application is built with the forms: a Say, then a Dial to client bob', async () => {
    await create('dial-bob');
    const say = step(page, 1, 'Say');
    await say.getByLabel('Phrase', { exact: true }).fill('Connecting you to Bob');
    await page.getByLabel('New step', { exact: true }).selectOption({ label: 'Dial' });
    await page.getByRole('button', { name: 'Add step' }).click();
    const dial = step(page, 2, 'Dial');
    await dial.getByLabel('Target type', { exact: true }).selectOption('client');
    await dial.getByLabel('Destination', { exact: true }).fill('bob');
    await dial.getByLabel('Ring timeout (s)', { exact: true }).fill('20');
    await save();
    await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    const state = await designer<ProjectState>(`/projects/${sids['dial-bob']}`);
    const steps = state.nodes.find((n) => n.name === state.header.startNodeName)?.steps ?? [];
    assert.equal(steps[0]?.kind, 'say');
    assert.equal(steps[0]?.phrase, 'Connecting you to Bob');
    assert.equal(steps[1]?.kind, 'dial');
    assert.deepEqual(steps[1]?.dialNouns, [{ dialType: 'client', destination: 'bob' }]);
    assert.equal(steps[1]?.timeout, 20);
    await screenshot(page, 'editor-dial-bob');
  });

  test('the refer application dials $core_ReferTarget and dials the transferor back when that fails; the graph has the arrows', async () => {
    await home();
    await create('refer');
    const start = page.getByRole('region', { name: /^Module / });
    await start.getByLabel('Module label', { exact: true }).fill('Transfer');
    await page.getByRole('button', { name: 'Remove step 1' }).click();
    await page.getByLabel('New step', { exact: true }).selectOption({ label: 'Dial' });
    await page.getByRole('button', { name: 'Add step' }).click();
    const dial = step(page, 1, 'Dial');
    await dial.getByLabel('Destination', { exact: true }).fill('$core_');
    await dial.getByLabel('Insert a variable into Destination', { exact: true }).selectOption('core_ReferTarget');
    assert.equal(await dial.getByLabel('Destination', { exact: true }).inputValue(), '$core_$core_ReferTarget', 'the picker inserts at the caret');
    await dial.getByLabel('Destination', { exact: true }).fill('$core_ReferTarget');

    // The module run after the Dial: when the transfer target did not answer, dial the transferor back.
    await page.getByRole('button', { name: 'Add module' }).click();
    await page.getByRole('region', { name: 'Module module1' }).getByLabel('Module label', { exact: true }).fill('After the transfer');
    await page.getByLabel('New step', { exact: true }).selectOption({ label: 'Control' });
    await page.getByRole('button', { name: 'Add step' }).click();
    const control = step(page, 1, 'Control');
    await control.getByRole('button', { name: 'Add condition' }).click();
    const condition = control.getByRole('group', { name: 'Conditions 1' });
    await condition.getByLabel('First operand', { exact: true }).fill('$core_DialCallStatus');
    await condition.getByLabel('Operator', { exact: true }).selectOption('equals');
    await condition.getByLabel('Second operand', { exact: true }).fill('completed');
    await control.getByLabel('Condition expression', { exact: true }).fill('C1');
    await control.getByRole('button', { name: 'Add action' }).click();
    const action = control.getByRole('group', { name: 'Actions 1' });
    await action.getByLabel('Action', { exact: true }).selectOption('continueTo');

    await page.getByRole('button', { name: 'Add module' }).click();
    await page.getByRole('region', { name: 'Module module2' }).getByLabel('Module label', { exact: true }).fill('Done');
    await page.getByLabel('New step', { exact: true }).selectOption({ label: 'Hang up' });
    await page.getByRole('button', { name: 'Add step' }).click();

    await page.getByRole('button', { name: 'Module After the transfer' }).click();
    await step(page, 1, 'Control').getByRole('group', { name: 'Actions 1' }).getByLabel('Continue to module', { exact: true }).selectOption('module2');
    await page.getByLabel('New step', { exact: true }).selectOption({ label: 'Dial' });
    await page.getByRole('button', { name: 'Add step' }).click();
    const back = step(page, 2, 'Dial');
    await back.getByLabel('Target type', { exact: true }).selectOption('client');
    await back.getByLabel('Destination', { exact: true }).fill('$core_Transferor');

    await page.getByRole('button', { name: 'Module Transfer (start)' }).click();
    await step(page, 1, 'Dial').getByLabel('After the call, go to module', { exact: true }).selectOption('module1');
    await save();
    await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();

    const graph = page.getByRole('group', { name: 'Module graph' });
    for (const label of ['Module Transfer (start)', 'Module After the transfer', 'Module Done']) await graph.getByRole('button', { name: label }).waitFor();
    assert.equal(await graph.locator('g.edge[data-from="start"][data-to="module1"]').count(), 1, 'Dial next module arrow');
    assert.equal(await graph.locator('g.edge[data-from="module1"][data-to="module2"]').count(), 1, 'Control continueTo arrow');
    const connections = page.getByRole('list', { name: 'Connections' });
    assert.match(await connections.innerText(), /Transfer → After the transfer \(after the call, step\d+\)/);
    assert.match(await connections.innerText(), /After the transfer → Done \(condition holds, step\d+\)/);
    await screenshot(page, 'editor-refer-graph');

    const state = await designer<ProjectState>(`/projects/${sids.refer}`);
    const [transfer, afterTransfer] = state.nodes;
    assert.deepEqual(transfer?.steps[0]?.dialNouns, [{ dialType: 'number', destination: '$core_ReferTarget' }]);
    assert.equal(transfer?.steps[0]?.nextModule, 'module1');
    assert.deepEqual(afterTransfer?.steps[0]?.actions, [{ continueTo: { target: 'module2' } }]);
    assert.deepEqual(afterTransfer?.steps[1]?.dialNouns, [{ dialType: 'client', destination: '$core_Transferor' }]);
  });

  test('saving an invalid project names the module, step and field, and is fixed from there', async () => {
    await page.getByRole('button', { name: 'Module Transfer (start)' }).click();
    await page.getByLabel('New step', { exact: true }).selectOption({ label: 'Dial' });
    await page.getByRole('button', { name: 'Add step' }).click();
    await save();
    const report = page.getByRole('region', { name: 'Validation problems' });
    await report.waitFor();
    const text = await report.innerText();
    assert.match(text, /Module "Transfer", step 2 \(Dial, step\d+\), field dialNouns\.0\.destination/);
    const invalidStep = step(page, 2, 'Dial');
    assert.match(await invalidStep.getByRole('alert').innerText(), /dialNouns\.0\.destination/);
    assert.equal(await invalidStep.getByLabel('Destination', { exact: true }).getAttribute('aria-invalid'), 'true');
    assert.equal(await page.locator('g.node.invalid').count(), 1, 'the module is marked in the graph');
    await screenshot(page, 'editor-invalid');
    await page.getByRole('button', { name: 'Remove step 2' }).click();
    await save();
    await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    assert.equal(await report.count(), 0);
  });

  test('a WAV is uploaded, listed, played by a Play step and deleted; other files are refused', async () => {
    await page.getByRole('tab', { name: 'Media' }).click();
    const panel = page.getByRole('region', { name: 'Media files' });
    await panel.getByLabel('Media file', { exact: true }).setInputFiles({ name: 'greeting.wav', mimeType: 'audio/wav', buffer: wav() });
    await panel.getByRole('button', { name: 'Upload' }).click();
    await panel.getByRole('status').filter({ hasText: 'Uploaded greeting.wav' }).waitFor();
    await panel.getByRole('cell', { name: 'greeting.wav', exact: true }).waitFor();
    const listed = await designer<Array<{ filename: string }>>(`/projects/${sids.refer}/wavs`);
    assert.deepEqual(listed.map((f) => f.filename), ['greeting.wav']);
    await panel.getByLabel('Media file', { exact: true }).setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
    await panel.getByRole('button', { name: 'Upload' }).click();
    await panel.getByRole('status').filter({ hasText: /^Upload failed: / }).waitFor();
    await screenshot(page, 'editor-media');

    await page.getByRole('tab', { name: 'Design' }).click();
    await page.getByRole('button', { name: 'Module Done' }).click();
    await page.getByLabel('New step', { exact: true }).selectOption({ label: 'Play' });
    await page.getByRole('button', { name: 'Add step' }).click();
    await step(page, 2, 'Play').getByLabel('Media file', { exact: true }).selectOption('greeting.wav');
    await page.getByRole('button', { name: 'Move step 2 up' }).click();
    await step(page, 1, 'Play').waitFor();
    await save();
    await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    const state = await designer<ProjectState>(`/projects/${sids.refer}`);
    assert.deepEqual(state.nodes.find((n) => n.name === 'module2')?.steps.map((s) => s.kind), ['play', 'hungup']);

    await page.getByRole('tab', { name: 'Media' }).click();
    await panel.getByRole('button', { name: 'Delete greeting.wav' }).click();
    await panel.getByRole('status').filter({ hasText: 'Deleted greeting.wav' }).waitFor();
    assert.deepEqual(await designer(`/projects/${sids.refer}/wavs`), []);
  });

  test('with logging on, a request to the controller appears in the live log', async () => {
    await page.getByRole('tab', { name: 'Settings' }).click();
    const settings = page.getByRole('region', { name: 'Application settings' });
    await settings.getByLabel('Write the application log', { exact: true }).check();
    await settings.getByRole('button', { name: 'Save settings' }).click();
    await settings.getByRole('status').filter({ hasText: 'Settings saved' }).waitFor();
    assert.deepEqual(await designer(`/projects/${sids.refer}/settings`), { logging: true, loggingRCML: false });

    await page.getByRole('tab', { name: 'Log' }).click();
    const panel = page.getByRole('region', { name: 'Application log' });
    await panel.getByRole('status').filter({ hasText: 'live' }).waitFor();
    const controller = await fetch(`${node.origin}/visual-designer/services/apps/${sids.refer}/controller`, {
      method: 'POST',
      // The controller is closed to strangers: a call's fetch carries the node key, a person the account's credentials.
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Basic ' + Buffer.from(`${ADMIN_EMAIL}:${ADMIN_PASSWORD}`).toString('base64') },
      body: new URLSearchParams({ CallSid: 'CA00000000000000000000000000000001', AccountSid: ADMIN_SID, From: 'alice', To: '1000', ReferTarget: 'carol' }).toString(),
    });
    assert.equal(controller.status, 200);
    await panel.getByLabel('Log lines', { exact: true }).filter({ hasText: 'Running target: start' }).waitFor();
    await screenshot(page, 'editor-log');
  });

  test('the applications are attached to numbers: voice app by the select, Refer URL by the application name', async () => {
    await page.getByRole('tab', { name: 'Design' }).click();
    await home();
    const rows = page.getByRole('region', { name: 'Applications' }).getByRole('row');
    await rows.filter({ hasText: 'dial-bob' }).waitFor();
    const a = page.getByRole('form', { name: 'Number 1000' });
    await a.getByLabel('Voice application', { exact: true }).selectOption({ label: 'dial-bob' });
    await a.getByLabel('Refer URL', { exact: true }).fill('refer');
    await a.getByRole('button', { name: 'Save' }).click();
    await a.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    const r = await node.rest<NumberJson>('GET', `/Accounts/${ADMIN_SID}/IncomingPhoneNumbers/${numbers['1000']}.json`);
    assert.equal(r.json.voice_application_sid, sids['dial-bob']);
    assert.equal(r.json.refer_application_sid, sids.refer);
    assert.equal(r.json.refer_url ?? null, null);
    await page.getByRole('row', { name: 'dial-bob' }).getByRole('cell', { name: '1000' }).waitFor();
    assert.equal(await page.getByRole('form', { name: 'Number 1000' }).getByLabel('Refer URL', { exact: true }).inputValue(), 'refer');
    await screenshot(page, 'applications-and-numbers');
  });

  test('an application made from a template is renamed and deleted from the list', async () => {
    await create('scratch', 'TL1234');
    const graph = page.getByRole('group', { name: 'Module graph' });
    await graph.locator('g.node[role=button]').nth(1).waitFor();
    assert.ok((await graph.locator('g.edge').count()) >= 1, "the template's menu draws arrows");
    await screenshot(page, 'editor-template-ivr');
    await home();
    await page.getByRole('button', { name: 'Rename scratch' }).click();
    await page.getByLabel('New name for scratch', { exact: true }).fill('scratch-2');
    await page.getByRole('button', { name: 'Rename', exact: true }).click();
    await page.getByRole('button', { name: 'Open scratch-2' }).waitFor();
    const renamed = await node.rest<{ friendly_name: string }>('GET', `/Accounts/${ADMIN_SID}/Applications/${sids.scratch}.json`);
    assert.equal(renamed.json.friendly_name, 'scratch-2');
    await page.getByRole('button', { name: 'Delete scratch-2' }).click();
    await page.getByRole('button', { name: 'Open scratch-2' }).waitFor({ state: 'detached' });
    const gone = await node.rest('GET', `/Accounts/${ADMIN_SID}/Applications/${sids.scratch}.json`);
    assert.equal(gone.status, 404);
  });

  test('the page raised no script error', () => {
    assert.deepEqual(watched.errors, []);
  });
});
