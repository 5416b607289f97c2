import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateProject } from '../../src/designer/project/validate.js';
import { listTemplates, loadTemplate } from '../../src/designer/templates/index.js';
import { doc, run } from './runtime-harness.js';

const IDS = {
  ivr: 'TL1234',
  dialClient: 'TLfee2b4c619cd49599da8feec4db32f3b',
  referTarget: 'TL510826acaba94b8fb2813d008b0ceb06',
  referBack: 'TL70c368e31cbd46dba4f92318d792c68f',
};

function template(id: string) {
  const t = loadTemplate(id);
  assert.ok(t, id);
  return t;
}

test('the bundled templates: ids of RVD\'s form, names, a kind tag, each a valid voice project with owner null', () => {
  assert.deepEqual(listTemplates().map((t) => [t.id, t.name]), [
    [IDS.ivr, 'Simple IVR menu'],
    [IDS.dialClient, 'Dial a client'],
    [IDS.referTarget, 'Dial the refer target'],
    [IDS.referBack, 'Dial the refer target, back to the transferor on failure'],
  ]);
  for (const info of listTemplates()) {
    assert.match(info.id, /^TL[a-zA-Z0-9]+$/);
    assert.ok(info.tags.includes('voice') && info.description !== '', info.id);
    const t = template(info.id);
    assert.equal(t.info, info);
    assert.ok(validateProject(t.state).ok, info.id);
    assert.equal(t.state.header.owner, null);
    assert.equal(t.state.nodes[0]?.name, t.state.header.startNodeName);
  }
  assert.equal(loadTemplate('TL0000'), null);
  assert.equal(loadTemplate('__proto__'), null);
});

test('Simple IVR menu: a Gather menu, 1 → Sales, 2 → Support, anything else said invalid and asked again', async () => {
  const { state, parameters } = template(IDS.ivr);
  assert.deepEqual(parameters, []);
  assert.equal((await run(state)).rcml, doc(
    '<Gather action="controller?target=start.step1.handle" method="POST" timeout="5" numDigits="1" input="dtmf">',
    '  <Say>Welcome. For sales, press 1. For support, press 2.</Say>',
    '</Gather>',
  ));
  assert.equal((await run(state, { target: 'start.step1.handle', Digits: '1' })).rcml, doc('<Say>You chose sales. Goodbye.</Say>', '<Hangup/>'));
  assert.equal((await run(state, { target: 'start.step1.handle', Digits: '2' })).rcml, doc('<Say>You chose support. Goodbye.</Say>', '<Hangup/>'));
  assert.match((await run(state, { target: 'start.step1.handle', Digits: '3' })).rcml, /^<Response>\n {2}<Say>Sorry, that is not one of the choices\.<\/Say>\n {2}<Gather/);
});

test('Dial a client: the client is the application parameter client', async () => {
  const { state, parameters } = template(IDS.dialClient);
  assert.deepEqual(parameters, [{ name: 'client', value: 'bob', description: 'The login of the client to dial' }]);
  assert.equal((await run(state, {}, { parameters })).rcml, doc('<Dial>', '  <Client>bob</Client>', '</Dial>'));
  assert.equal((await run(state, {}, { parameters: [{ name: 'client', value: 'carol' }] })).rcml, doc('<Dial>', '  <Client>carol</Client>', '</Dial>'));
});

/** What the node sends a refer app (docs/transfer.md): the transferee's call plus the refer parameters. */
const REFER = { CallSid: 'CA1', From: 'alice', To: '1000', Direction: 'inbound', CallStatus: 'in-progress', Transferor: 'bob', Transferee: 'alice', ReferTarget: '2000', ReferTo: '<sip:2000@127.0.0.1>' };

test('Dial the refer target: a Dial of Number $core_ReferTarget', async () => {
  assert.equal((await run(template(IDS.referTarget).state, REFER)).rcml, doc('<Dial>', '  <Number>2000</Number>', '</Dial>'));
});

test('Dial the refer target, back to the transferor on failure: completed hangs up, anything else dials $core_Transferor', async () => {
  const { state } = template(IDS.referBack);
  assert.equal((await run(state, REFER)).rcml, doc('<Dial action="controller?target=start.step1.actionhandler">', '  <Number>2000</Number>', '</Dial>'));
  const after = { ...REFER, target: 'start.step1.actionhandler' };
  assert.equal((await run(state, { ...after, DialCallStatus: 'completed', DialCallDuration: '12' })).rcml, doc('<Hangup/>'));
  for (const status of ['busy', 'no-answer', 'failed', 'canceled']) {
    assert.equal((await run(state, { ...after, DialCallStatus: status })).rcml, doc(
      '<Say>The transfer did not go through. Connecting you back.</Say>',
      '<Dial>',
      '  <Client>bob</Client>',
      '</Dial>',
    ), status);
  }
});
