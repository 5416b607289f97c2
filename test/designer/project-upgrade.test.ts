import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MalformedProjectState, UnsupportedProjectVersion, upgradeProject, validateProject } from '../../src/designer/project/validate.js';
import { VERSION_PATH } from '../../src/designer/project/upgrade.js';

/** An rvd714 state (no header; steps kept by name with a `stepnames` order; flat step options), as RVD 7.1.4 stored it. */
const RVD714 = {
  startNodeName: 'start',
  lastStepId: 6,
  lastNodeId: 1,
  nodes: [
    {
      name: 'start', label: 'Welcome', stepnames: ['step1', 'step2', 'step3'],
      steps: {
        step1: { kind: 'say', name: 'step1', label: 'say', title: 'say', phrase: 'Welcome', voice: '', language: 'en', loop: null },
        step2: {
          kind: 'gather', name: 'step2', label: 'gather', title: 'collect', method: 'POST', timeout: 5, finishOnKey: '', numDigits: 1, gatherType: 'menu',
          mappings: [{ digits: 1, next: 'module1' }], next: '', collectVariable: null,
          stepnames: ['step4'], steps: { step4: { kind: 'play', name: 'step4', label: 'play', title: 'play', playType: 'remote', wavUrl: 'http://m/menu.wav', wavLocalFilename: '' } },
        },
        step3: { kind: 'redirect', name: 'step3', label: 'redirect', title: 'redirect', url: 'http://apps.example.com/next.xml', method: '' },
      },
    },
    {
      name: 'module1', label: 'Sales', stepnames: ['step5', 'step6'],
      steps: {
        step5: { kind: 'dial', name: 'step5', label: 'dial', title: 'dial', dialType: 'client', number: '', client: 'bob', conference: '', sipuri: '' },
        step6: { kind: 'record', name: 'step6', label: 'record', title: 'record', next: '', method: 'POST', timeout: null, maxLength: 60 },
      },
    },
  ],
};

test('rvd714 → 1.15: a header, modules with step lists, Dial nouns, Gather menu/collect objects, Play remote/local; the result validates', () => {
  const s = upgradeProject(RVD714);
  assert.deepEqual(s.header, { projectKind: 'voice', version: '1.15', startNodeName: 'start', owner: null });
  assert.deepEqual(s.nodes.map((n) => [n.name, n.label, n.kind, n.steps.map((x) => x.name)]), [
    ['start', 'Welcome', 'voice', ['step1', 'step2', 'step3']],
    ['module1', 'Sales', 'voice', ['step5', 'step6']],
  ]);
  const [say, gather, redirect] = s.nodes[0]!.steps;
  assert.deepEqual(say, { name: 'step1', kind: 'say', label: 'say', title: 'say', iface: {}, language: 'en', phrase: 'Welcome' });
  assert.deepEqual(gather?.menu, { mappings: [{ digits: '1', next: 'module1' }] }, 'numeric keys became text on the way through 1.6');
  assert.deepEqual(gather?.collectdigits, { next: '', collectVariable: null, scope: 'module' });
  assert.equal(gather?.finishOnKey, undefined, 'an empty finishOnKey is dropped');
  assert.deepEqual(gather?.steps, [{ name: 'step4', kind: 'play', label: 'play', title: 'play', iface: {}, playType: 'remote', remote: { wavUrl: 'http://m/menu.wav' }, local: { wavLocalFilename: '' } }]);
  assert.deepEqual(redirect, { name: 'step3', kind: 'redirect', label: 'redirect', title: 'redirect', iface: {}, url: 'http://apps.example.com/next.xml' });
  const [dial, record] = s.nodes[1]!.steps;
  assert.deepEqual(dial?.dialNouns, [{ dialType: 'client', destination: 'bob' }]);
  assert.equal(record?.next, null);
  assert.equal(s.lastStepId, 6);
  // The upgraded project still refers to nothing for the record's next; RVD's editor asks for it, and so does validation.
  const v = validateProject(s);
  assert.deepEqual(v.ok ? [] : v.items.map((i) => i.failurePath), ['/nodes/1/steps/1/next']);
});

/** A 1.5-shaped state (menu keys still numbers) and the 1.6-shaped one it becomes. */
const v15 = {
  header: { projectKind: 'voice', startNodeName: 'start', version: '1.5', owner: 'alice@example.com' },
  lastStepId: 2, lastNodeId: 1,
  nodes: [
    { name: 'start', label: 'Welcome', kind: 'voice', steps: [{ kind: 'gather', name: 'step1', label: 'g', title: 'g', method: 'GET', gatherType: 'menu', steps: [], menu: { mappings: [{ digits: 1, next: 'module1' }, { digits: '2', next: 'module1' }] } }] },
    { name: 'module1', label: 'One', kind: 'voice', steps: [{ kind: 'hungup', name: 'step2', label: 'h', title: 'h' }] },
  ],
};

test('1.5 → 1.15: menu keys that are numbers become text; owner and everything else kept', () => {
  const s = upgradeProject(v15);
  assert.equal(s.header.version, '1.15');
  assert.equal(s.header.owner, 'alice@example.com');
  assert.deepEqual(s.nodes[0]?.steps[0]?.menu, { mappings: [{ digits: '1', next: 'module1' }, { digits: '2', next: 'module1' }] });
  assert.ok(validateProject(s).ok);
});

test('1.6 and 1.13 → 1.15: only the version changes', () => {
  for (const version of ['1.6', '1.13']) {
    const source = { ...v15, header: { ...v15.header, version }, nodes: [{ ...v15.nodes[0]!, steps: [{ ...v15.nodes[0]!.steps[0]!, menu: { mappings: [{ digits: '1', next: 'module1' }] }, timeout: 9 }] }, v15.nodes[1]!] };
    const s = upgradeProject(source);
    assert.deepEqual({ ...s, header: { ...s.header, version } }, source, version);
    assert.equal(s.header.version, '1.15');
  }
});

test('every version of the path is accepted; 1.15 comes back unchanged', () => {
  assert.deepEqual(VERSION_PATH.slice(0, 3), ['rvd714', '1.0', '1.1']);
  assert.equal(VERSION_PATH.at(-1), '1.15');
  for (const version of VERSION_PATH.slice(1)) assert.equal(upgradeProject({ ...v15, header: { ...v15.header, version } }).header.version, '1.15');
});

test('an unknown version is an UnsupportedProjectVersion naming it', () => {
  for (const version of ['2.0', '1.16', '0.9', '']) {
    assert.throws(() => upgradeProject({ ...v15, header: { ...v15.header, version } }), (e: unknown) => e instanceof UnsupportedProjectVersion && e.version === version && e.message.startsWith(`Unsupported project version ${version};`));
  }
  assert.throws(() => upgradeProject({ ...v15, header: { ...v15.header, version: 15 } }), UnsupportedProjectVersion);
});

test('a state without a project\'s structure is a MalformedProjectState with the paths', () => {
  assert.throws(() => upgradeProject('x'), (e: unknown) => e instanceof MalformedProjectState && e.items[0]?.failurePath === '/');
  assert.throws(() => upgradeProject({ header: { ...v15.header, version: '1.15' }, nodes: [{ name: 'start', label: 'W', kind: 'voice', steps: [{ name: 'step1' }] }] }),
    (e: unknown) => e instanceof MalformedProjectState && e.items.map((i) => i.failurePath).join() === '/nodes/0/steps/0/kind');
});
