import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { targetOf } from '../../src/calls/api-call.js';
import { ManualClock } from '../support/clock.js';
import { assertOneAckPer2xx } from '../support/sip-wire.js';
import { startSippUas, type SippRun } from '../support/sipp.js';
import { ACCOUNT, SCENARIOS, startCallNode, waitFor, type CallNode } from './harness.js';

const ADMIN_AUTH = 'Basic ' + Buffer.from('administrator@company.com:Str0ng!Passw0rd#2026').toString('base64');

interface AppRequest {
  path: string;
  params: Record<string, string>;
}

/** A real HTTP application: serves RCML by path and records every request (RCML fetches and status callbacks). */
class TestApp {
  readonly requests: AppRequest[] = [];
  private server: Server | null = null;
  port = 0;

  constructor(private readonly documents: Readonly<Record<string, string>>) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        const params = Object.fromEntries(new URLSearchParams(req.method === 'GET' ? url.search : body));
        this.requests.push({ path: url.pathname, params });
        const doc = this.documents[url.pathname];
        res.writeHead(200, { 'content-type': doc === undefined ? 'text/plain' : 'application/xml' });
        res.end(doc ?? 'ok');
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    this.port = typeof address === 'object' && address !== null ? address.port : 0;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  on(path: string, callSid?: string): AppRequest[] {
    return this.requests.filter((r) => r.path === path && (callSid === undefined || r.params.CallSid === callSid));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

let node: CallNode;
/** A second node whose call layer runs on `clock`, for the ring timeout (the apps here Pause on the call layer's clock). */
let timed: CallNode;
const clock = new ManualClock();
const app = new TestApp({
  '/short': '<Response><Pause length="1"/><Hangup/></Response>',
  '/long': '<Response><Pause length="30"/></Response>',
  '/second': '<Response><Hangup/></Response>',
});

before(async () => {
  node = await startCallNode();
  timed = await startCallNode({ clock });
  await app.start();
});

after(async () => {
  await node.stop();
  await timed.stop();
  await app.stop();
});

async function api(method: string, path: string, form?: Record<string, string>, on = node): Promise<{ status: number; text: string; json: <T>() => T }> {
  const res = await fetch(`http://127.0.0.1:${on.node.httpPort}/restcomm/2012-04-24/Accounts/${ACCOUNT}${path}`, {
    method,
    headers: { authorization: ADMIN_AUTH, ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
    ...(form ? { body: new URLSearchParams(form).toString() } : {}),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  return { status: res.status, text, json: <T>() => JSON.parse(text) as T };
}

interface CallJson {
  sid: string;
  status: string;
  direction: string;
  from: string;
  to: string;
}

async function cdrStatus(sid: string, wanted: string, on = node): Promise<string> {
  return waitFor(`call ${sid} ${wanted}`, async () => {
    await on.node.calls.flush();
    const row = await on.node.store.calls.findBySid(sid);
    return row?.status === wanted ? row.status : undefined;
  });
}

async function originate(sipp: SippRun, form: Record<string, string>, toSuffix = '', on = node): Promise<CallJson> {
  const r = await api('POST', '/Calls.json', { From: '+15550001', To: `sip:bob@127.0.0.1:${sipp.port}${toSuffix}`, ...form }, on);
  assert.equal(r.status, 200, r.text);
  return r.json<CallJson>();
}

test('POST /Calls places the call, runs the app on answer, sends status callbacks 0..3 and writes the CDR', async () => {
  const sipp = await startSippUas({ scenario: { file: join(SCENARIOS, 'api-uas-answer.xml') }, recvTimeoutMs: 15_000, name: 'api-answer' });
  const created = await originate(sipp, { Url: app.url('/short'), StatusCallback: app.url('/status'), StatusCallbackEvent: 'completed' }, '?X-Custom-Header1=1234');
  assert.equal(created.status, 'queued');
  assert.equal(created.direction, 'outbound-api');
  assert.equal(created.from, '+15550001');
  assert.match(created.sid, /^ID[0-9a-f]{32}-CA[0-9a-f]{32}$/);
  const result = await sipp.result();
  assert.equal(result.exitCode, 0, result.errors || result.output);
  assert.match(result.messages, /INVITE sip:bob@127\.0\.0\.1/);
  assert.match(result.messages, new RegExp(`X-RestComm-CallSid: ${created.sid}`));
  assert.match(result.messages, /X-Custom-Header1: 1234/);
  assert.match(result.messages, /BYE sip:bob@/);
  assertOneAckPer2xx(result.messages);
  await cdrStatus(created.sid, 'completed');
  const fetches = app.on('/short', created.sid);
  assert.equal(fetches.length, 1);
  assert.equal(fetches[0]?.params.Direction, 'outbound-api');
  assert.equal(fetches[0]?.params.CallStatus, 'in-progress');
  const callbacks = await waitFor('four status callbacks', () => {
    const got = app.on('/status', created.sid);
    return got.length >= 4 ? got : undefined;
  });
  const events = callbacks.map((c) => [Number(c.params.SequenceNumber), c.params.CallStatus] as const).sort((a, b) => a[0] - b[0]);
  assert.deepEqual(events, [[0, 'initiated'], [1, 'ringing'], [2, 'answered'], [3, 'completed']]);
  assert.equal(app.on('/status', created.sid).length, 4, 'each event once');
  const got = await api('GET', `/Calls/${created.sid}.json`);
  assert.equal(got.json<CallJson>().status, 'completed');
  await node.waitIdle();
});

test('a call nobody answers within Timeout ends no-answer with a CANCEL, at Timeout on the clock', async () => {
  const sipp = await startSippUas({ scenario: { file: join(SCENARIOS, 'api-uas-ring.xml') }, recvTimeoutMs: 15_000, name: 'api-noanswer' });
  const created = await originate(sipp, { Url: app.url('/short'), Timeout: '30' }, '', timed);
  const live = await waitFor('the call ringing', () => {
    const entry = timed.node.calls.registry.get(created.sid);
    return entry?.call.status === 'ringing' ? entry : undefined;
  });
  const turn = (): Promise<void> => new Promise((r) => setImmediate(r));
  clock.advance(29_999);
  await turn();
  assert.equal(live.call.status, 'ringing', 'still ringing a millisecond before Timeout');
  clock.advance(1);
  await turn();
  assert.equal(live.call.status, 'no-answer', 'given up at Timeout on the clock');
  const result = await sipp.result();
  assert.equal(result.exitCode, 0, result.errors || result.output);
  assert.match(result.messages, /CANCEL sip:bob@/);
  await cdrStatus(created.sid, 'no-answer', timed);
  assert.equal(app.on('/short', created.sid).length, 0, 'the app is not fetched for an unanswered call');
  await timed.waitIdle();
});

test('LCM Status=canceled on a ringing call sends CANCEL; the answer is the record before the change', async () => {
  const sipp = await startSippUas({ scenario: { file: join(SCENARIOS, 'api-uas-ring.xml') }, recvTimeoutMs: 15_000, name: 'api-cancel' });
  const created = await originate(sipp, { Url: app.url('/short') });
  await cdrStatus(created.sid, 'ringing');
  const r = await api('POST', `/Calls/${created.sid}.json`, { Status: 'canceled' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json<CallJson>().status, 'ringing');
  const result = await sipp.result();
  assert.equal(result.exitCode, 0, result.errors || result.output);
  assert.match(result.messages, /CANCEL sip:bob@/);
  await cdrStatus(created.sid, 'canceled');
  const gone = await api('POST', `/Calls/${created.sid}.json`, { Status: 'completed' });
  assert.equal(gone.status, 410);
  assert.match(gone.text, /Call is already completed\./);
  await node.waitIdle();
});

test('LCM Status=completed ends an answered call with BYE; Status=canceled leaves it alone', async () => {
  const sipp = await startSippUas({ scenario: { file: join(SCENARIOS, 'api-uas-answer.xml') }, recvTimeoutMs: 15_000, name: 'api-complete' });
  const created = await originate(sipp, { Url: app.url('/long') });
  await waitFor('the app fetch', () => (app.on('/long', created.sid).length > 0 ? true : undefined));
  await cdrStatus(created.sid, 'in-progress');
  const ignored = await api('POST', `/Calls/${created.sid}.json`, { Status: 'canceled' });
  assert.equal(ignored.status, 200);
  assert.equal(node.node.calls.registry.get(created.sid)?.call.status, 'in-progress', 'canceled applies only to unanswered calls');
  const muted = await api('POST', `/Calls/${created.sid}.json`, { Mute: 'true' });
  assert.equal(muted.status, 200);
  assert.equal((await node.node.store.calls.findBySid(created.sid))?.muted, 1);
  const r = await api('POST', `/Calls/${created.sid}`, { Status: 'completed' });
  assert.equal(r.status, 200);
  assert.match(r.text, /^<RestcommResponse>\s*<Call>\s*<Sid>/);
  assert.match(r.text, /<Status>in-progress<\/Status>/);
  const result = await sipp.result();
  assert.equal(result.exitCode, 0, result.errors || result.output);
  assert.match(result.messages, /BYE sip:bob@/);
  assertOneAckPer2xx(result.messages);
  await cdrStatus(created.sid, 'completed');
  await node.waitIdle();
});

test('LCM Url stops the running RCML and fetches the new app for the same CallSid', async () => {
  const sipp = await startSippUas({ scenario: { file: join(SCENARIOS, 'api-uas-answer.xml') }, recvTimeoutMs: 15_000, name: 'api-redirect' });
  const created = await originate(sipp, { Url: app.url('/long') });
  await waitFor('the first app fetch', () => (app.on('/long', created.sid).length > 0 ? true : undefined));
  const r = await api('POST', `/Calls/${created.sid}.json`, { Url: app.url('/second'), Method: 'GET' });
  assert.equal(r.status, 200, r.text);
  const second = await waitFor('the new app fetch', () => app.on('/second', created.sid)[0]);
  assert.equal(second.params.CallStatus, 'in-progress');
  assert.equal(second.params.Direction, 'outbound-api');
  const result = await sipp.result();
  assert.equal(result.exitCode, 0, result.errors || result.output);
  assert.match(result.messages, /BYE sip:bob@/, '<Hangup/> of the new app ends the call');
  assertOneAckPer2xx(result.messages);
  await cdrStatus(created.sid, 'completed');
  await node.waitIdle();
});

test('an unreachable To is a 400 naming the problem; nothing is left behind', async () => {
  const cdrsBefore = (await node.calls()).length;
  const r = await api('POST', '/Calls.json', { From: '1', To: 'client:nobody', Url: app.url('/short') });
  assert.equal(r.status, 400);
  assert.match(r.json<{ message: string }>().message, /client nobody is not registered/);
  assert.equal((await node.calls()).length, cdrsBefore, 'no CDR for a call that was never placed');
  await node.waitIdle();
});

test('the form of To picks the target; custom headers that would break the INVITE are dropped', () => {
  const sip = targetOf('sip:bob@10.0.0.1:5070?X-A=1&X-B=two%20words&X-Bad=a%0D%0AVia:%20x&bad name=1', { username: 'u', password: 'p' });
  assert.equal(sip.target.kind, 'sip');
  assert.deepEqual(sip.target.kind === 'sip' ? [sip.target.uri, sip.target.headers, sip.target.username] : [], [
    'sip:bob@10.0.0.1:5070', { 'X-A': '1', 'X-B': 'two words' }, 'u',
  ]);
  assert.equal(sip.to, 'sip:bob@10.0.0.1:5070');
  const client = targetOf('client:alice?X-Custom-Header1=1234', null);
  assert.deepEqual(client.target.kind === 'client' ? [client.target.login, client.target.headers] : [], ['alice', { 'X-Custom-Header1': '1234' }]);
  assert.deepEqual(targetOf('+15551234', null).target.kind, 'number');
  const bare = targetOf('bob@example.com', null).target;
  assert.equal(bare.kind === 'sip' ? bare.uri : null, 'sip:bob@example.com', 'sip: is added to a URI without a scheme');
});
