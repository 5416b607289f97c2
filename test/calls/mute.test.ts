import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AppServer, xml } from '../rcml/app-server.js';
import { baresipCalls, silenceFile, toneFile } from '../media-e2e/harness.js';
import { readWav, rms, toneShare } from '../support/audio.js';
import { Baresip } from '../support/baresip.js';
import { stopAll } from '../support/process.js';
import { ACCOUNT, startCallNode, waitFor, type CallNode } from './harness.js';

const ALICE_TONE = 1000;
const PASSWORD = 'Phone-Passw0rd!';
const ADMIN_AUTH = 'Basic ' + Buffer.from('administrator@company.com:Str0ng!Passw0rd#2026').toString('base64');
const WINDOW = 160;

let n: CallNode;
let app: AppServer;

before(async () => {
  app = await AppServer.start({
    '/dial-bob': xml('<Response><Dial timeout="10" timeLimit="10"><Client>bob</Client></Dial></Response>'),
  });
  n = await startCallNode();
  await n.addClient('bob', PASSWORD);
  await n.addNumber('+15551901', `${app.base}/dial-bob`);
});

after(async () => {
  await stopAll();
  await n.stop();
  await app.close();
});

async function mute(sid: string, value: string): Promise<number> {
  const r = await fetch(`http://127.0.0.1:${n.node.httpPort}/restcomm/2012-04-24/Accounts/${ACCOUNT}/Calls/${sid}.json`, {
    method: 'POST',
    headers: { authorization: ADMIN_AUTH, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ Mute: value }).toString(),
  });
  return r.status;
}

async function mutedFlag(sid: string): Promise<number | undefined> {
  const row = await n.node.store.db.selectFrom('calls').select('muted').where('sid', '=', sid).executeTakeFirst();
  return row?.muted;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Per 20 ms window: 'T' the tone, '.' silence, '?' anything else. */
function shape(samples: Int16Array): string {
  let out = '';
  for (let at = 0; at + WINDOW <= samples.length; at += WINDOW) {
    const w = samples.subarray(at, at + WINDOW);
    out += rms(w) < 50 ? '.' : toneShare(w, ALICE_TONE) > 0.5 ? 'T' : '?';
  }
  return out;
}

test('LCM Mute on a bridged call: the other party stops hearing the muted caller, hears it again after Mute=false; CDR muted follows', async (t) => {
  const registrar = { host: '127.0.0.1', port: n.node.sipPort };
  const bob = await Baresip.start({ user: 'bob', autoAnswer: true, playWav: silenceFile(), registrar: { ...registrar, password: PASSWORD, regint: 600 } });
  await bob.register();
  await waitFor('bob registered', async () => ((await n.node.registrar.lookup('bob')).length ? true : undefined));
  const alice = await baresipCalls(n, '+15551901', toneFile(ALICE_TONE, 30_000));
  const sid = (await waitFor('the app fetch', () => app.to('/dial-bob')[0])).form.get('CallSid') ?? '';
  await waitFor('the bridge', () => (n.node.media.stats().rooms === 1 ? true : undefined));

  await sleep(2000);
  assert.equal(await mute(sid, 'true'), 200);
  await waitFor('CDR muted=1', async () => ((await mutedFlag(sid)) === 1 ? true : undefined));
  await sleep(3000);
  assert.equal(await mute(sid, 'false'), 200);
  await waitFor('CDR muted=0', async () => ((await mutedFlag(sid)) === 0 ? true : undefined));
  await alice.terminated(0, 15_000);
  await n.waitIdle();

  const heard = shape(readWav(bob.lastDump().received).samples);
  t.diagnostic(heard.replace(/(.)\1*/g, (run, c: string) => `${c}${run.length} `));
  // Tone, then the muted stretch (no window of the tone), then the tone again. The stretch is measured
  // as "no tone" rather than as unbroken silence: on a loaded machine a late or lost packet makes a
  // window that is neither, which says nothing about the mute.
  const m = /T{25,}([^T]{100,})T{25,}/.exec(heard);
  assert.ok(m, 'bob heard the tone, then at least 2 s without it, then the tone again');
  const stretch = m[1]!;
  const gap = stretch.length * 20;
  assert.ok(gap >= 2000 && gap <= 5000, `the stretch without the tone lasts ${gap} ms (muted for about 3 s)`);
  const silent = stretch.split('').filter((c) => c === '.').length / stretch.length;
  assert.ok(silent >= 0.9, `the muted stretch is silence (${Math.round(silent * 100)} % of its 20 ms windows)`);
  assert.equal(await mutedFlag(sid), 0);
  await alice.stop();
  await bob.stop();
});

test('LCM Mute on a call that is not live answers 410 and changes nothing', async () => {
  const calls = await n.calls();
  const ended = calls.find((c) => c.direction === 'inbound');
  assert.ok(ended, 'the call of the previous test is on record');
  assert.equal(await mute(ended.sid, 'true'), 410);
  assert.equal(await mutedFlag(ended.sid), 0);
});
