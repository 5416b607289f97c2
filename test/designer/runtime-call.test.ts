import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { upgradeProject } from '../../src/designer/project/validate.js';
import { runController } from '../../src/designer/runtime/controller.js';
import { SCENARIOS, startCallNode, waitFor, type CallNode } from '../calls/harness.js';
import { stopAll } from '../support/process.js';
import { runSipp, startSippUas } from '../support/sipp.js';

const SID = 'AP0123456789abcdef0123456789abcdef';
const PATH = `/visual-designer/services/apps/${SID}/controller`;

/** Press 1 → module1 dials the client named by the parameter `client`; when that call ends module2 says goodbye. */
const STATE = upgradeProject({
  header: { projectKind: 'voice', startNodeName: 'start', version: '1.15', owner: null },
  lastStepId: 5,
  lastNodeId: 2,
  nodes: [
    { name: 'start', label: 'Welcome', kind: 'voice', steps: [{
      kind: 'gather', name: 'step1', label: 'gather', title: 'collect', method: 'POST', timeout: 10, numDigits: 1, gatherType: 'menu',
      steps: [{ kind: 'say', name: 'step2', label: 'say', title: 'say', phrase: 'Press 1 to talk to Bob.' }],
      menu: { mappings: [{ digits: '1', next: 'module1' }] },
    }] },
    { name: 'module1', label: 'Bob', kind: 'voice', steps: [{ kind: 'dial', name: 'step3', label: 'dial', title: 'dial', timeout: 10, dialNouns: [{ dialType: 'client', destination: '$client' }], nextModule: 'module2' }] },
    { name: 'module2', label: 'Goodbye', kind: 'voice', steps: [
      { kind: 'say', name: 'step4', label: 'say', title: 'say', phrase: 'The call with Bob ended: $core_DialCallStatus.' },
      { kind: 'hungup', name: 'step5', label: 'hungup', title: 'hang up' },
    ] },
  ],
});

let n: CallNode;
let app: FastifyInstance;
/** The parameters of every controller request, and the RCML answered. */
const requests: { params: Record<string, string>; rcml: string; failure: unknown }[] = [];
const appLog: string[] = [];

function strings(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof value !== 'object' || value === null) return out;
  for (const [k, v] of Object.entries(value)) {
    const first = Array.isArray(v) ? v[0] : v;
    if (typeof first === 'string') out[k] = first;
  }
  return out;
}

before(async () => {
  // A stand-in for the designer's route: query and form merged, the project handed to the runtime.
  app = Fastify();
  await app.register(formbody);
  app.all(PATH, async (req, reply) => {
    const params = { ...strings(req.query), ...strings(req.body) };
    const { port } = app.server.address() as AddressInfo;
    const result = await runController({
      projectSid: SID,
      accountSid: 'ACae6e420f425248d6a26948c17a9e2acf',
      state: STATE,
      parameters: [{ name: 'client', value: 'bob' }],
      settings: { logging: true, loggingRCML: false },
      params,
      controllerUrl: `http://127.0.0.1:${port}${PATH}`,
      mediaUrl: (file) => `http://127.0.0.1:${port}/visual-designer/services/projects/${SID}/wavs/${file}`,
      log: { write: (tags, payload) => appLog.push(`${tags.join(',')}|${payload}`) },
    }, { externalServiceTimeoutMs: 2000 });
    requests.push({ params, rcml: result.rcml, failure: result.failure });
    return reply.type('application/xml').send(result.rcml);
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  n = await startCallNode();
  await n.addClient('bob');
  await n.addNumber('+15557001', `http://127.0.0.1:${(app.server.address() as AddressInfo).port}${PATH}`);
});

after(async () => {
  await stopAll();
  await n.stop();
  await app.close();
});

test('a real call: the caller gets the Gather menu, presses 1 (SIP INFO), the chosen module dials client bob, who answers; the Dial outcome continues in the project', async () => {
  const bob = await startSippUas({ scenario: { file: join(SCENARIOS, 'uas-bye.xml') }, name: 'designer-bob' });
  await n.bind('bob', bob.port);
  const alice = await runSipp({ scenario: { file: join(import.meta.dirname, 'scenarios', 'uac-info-1.xml') }, remote: n.remote, service: '+15557001', recvTimeoutMs: 20_000, deadlineMs: 40_000, name: 'designer-alice' });
  assert.equal(alice.failed, 0, alice.errors || alice.output);
  const bobResult = await bob.result();
  assert.equal(bobResult.successful, 1, bobResult.errors || bobResult.output);
  assert.match(bobResult.messages, /INVITE sip:bob@127\.0\.0\.1/);

  await waitFor('the Dial action', () => requests.find((r) => r.params.target === 'module1.step3.actionhandler'));
  const [first, menu, dialled] = requests;
  assert.equal(first?.params.target, undefined, 'the number requests the controller without target: the start module');
  assert.match(first!.rcml, /<Gather action="controller\?target=start\.step1\.handle" method="POST" timeout="10" numDigits="1">/);
  assert.equal(menu?.params.target, 'start.step1.handle');
  assert.equal(menu?.params.Digits, '1');
  assert.equal(menu?.rcml, '<Response>\n  <Dial action="controller?target=module1.step3.actionhandler" timeout="10">\n    <Client>bob</Client>\n  </Dial>\n</Response>');
  assert.equal(dialled?.params.DialCallStatus, 'completed');
  assert.equal(dialled?.rcml, '<Response>\n  <Say>The call with Bob ended: completed.</Say>\n  <Hangup/>\n</Response>');
  assert.ok(requests.every((r) => r.failure === null), JSON.stringify(requests.map((r) => r.failure)));
  assert.equal(first?.params.CallSid, menu?.params.CallSid);
  assert.deepEqual(appLog.filter((l) => l.startsWith('|')), ['|Running target: start', '|Running target: start.step1.handle', '|Running target: module1', '|Running target: module1.step3.actionhandler', '|Running target: module2']);

  await n.waitIdle(15_000);
  const calls = await n.calls();
  const leg = calls.find((c) => c.direction === 'outbound-dial');
  const inbound = calls.find((c) => c.direction === 'inbound');
  assert.equal(inbound?.recipient, '+15557001');
  assert.equal(leg?.recipient, 'bob');
  assert.equal(leg?.status, 'completed');
  assert.equal(leg?.parent_call_sid, inbound?.sid);
  assert.equal(dialled?.params.DialCallSid, leg?.sid);
});
