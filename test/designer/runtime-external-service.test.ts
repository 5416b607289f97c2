import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { FAILURE } from '../../src/designer/project/steps/failure.js';
import { doc, FALLBACK, project, run, type RunOptions } from './runtime-harness.js';

interface Seen {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

const ANSWER = { user: { name: 'Bob', tier: 'gold' }, items: [{ id: 'a' }, { id: 'b' }], route: 'Sales', code: 2, empty: null };

let server: Server;
let base = '';
const seen: Seen[] = [];

before(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      seen.push({ method: req.method ?? '', path: url.pathname, query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      if (url.pathname === '/slow') {
        const timer = setTimeout(() => res.end(JSON.stringify(ANSWER)), 1500);
        res.on('close', () => clearTimeout(timer));
      } else if (url.pathname === '/error') res.writeHead(500).end('broken');
      else if (url.pathname === '/text') res.writeHead(200, { 'content-type': 'text/plain' }).end('not json');
      else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(ANSWER));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const op = {
  prop: (property: string) => ({ kind: 'object', action: 'propertyNamed', property, fixed: true, terminal: false, expression: '' }),
  item: (position: number) => ({ kind: 'array', action: 'itemAtPosition', position, fixed: true, terminal: false, expression: '' }),
  value: { kind: 'value', fixed: true, terminal: true, expression: '' },
};
const extractor = (...accessOperations: unknown[]) => ({ accessOperations, lastOperation: null });

/** A start module with the ES step then a Say of the variables, and modules 1-3 (labels Sales, Support, Timeout). */
function esProject(es: Record<string, unknown>, after: readonly Record<string, unknown>[] = [{ kind: 'say', phrase: 'name=[$name] tier=[$tier] id=[$id]' }]) {
  return project([
    ['start', 'Welcome', [{ kind: 'externalService', doRouting: false, ...es }, ...after]],
    ['module1', 'Sales', [{ kind: 'say', phrase: 'sales name=[$name] tier=[$tier] id=[$id]' }]],
    ['module2', 'Support', [{ kind: 'say', phrase: 'support name=[$name] tier=[$tier]' }]],
    ['module3', 'Fallback', [{ kind: 'say', phrase: 'service unavailable' }]],
  ]);
}

const last = (): Seen => seen.at(-1)!;

async function es(es: Record<string, unknown>, params: Record<string, string> = {}, opts: RunOptions = {}) {
  return run(esProject(es), { CallSid: 'CA42', ...params }, opts);
}

test('GET: urlParams expanded on the query; CallSid, Basic auth and the step\'s headers sent; assignments from the JSON answer', async () => {
  const r = await es({
    url: `${base}/lookup?fixed=1`, method: 'GET', username: 'user', password: 'p@ss',
    urlParams: [{ name: 'caller', value: '$core_From' }, { name: 'q', value: 'a b&c' }],
    httpHeaders: [{ name: 'X-Tenant', value: 'acme-$core_From' }],
    assignments: [
      { destVariable: 'name', scope: 'module', moduleNameScope: null, valueExtractor: extractor(op.prop('user'), op.prop('name'), op.value) },
      { destVariable: 'tier', scope: 'application', moduleNameScope: null, valueExtractor: extractor(op.prop('user'), op.prop('tier'), op.value) },
      { destVariable: 'id', scope: 'module', moduleNameScope: null, valueExtractor: extractor(op.prop('items'), op.item(1), op.prop('id'), op.value) },
    ],
  }, { From: '+1555' });
  assert.equal(r.failure, null, JSON.stringify(r.failure));
  assert.equal(r.rcml, doc('<Say>name=[Bob] tier=[gold] id=[b]</Say>'));
  const req = last();
  assert.equal(req.method, 'GET');
  assert.deepEqual([...req.query], [['fixed', '1'], ['caller', '+1555'], ['q', 'a b&c']]);
  assert.equal(req.headers['x-restcomm-callsid'], 'CA42');
  assert.equal(req.headers.authorization, `Basic ${Buffer.from('user:p@ss').toString('base64')}`);
  assert.equal(req.headers['x-tenant'], 'acme-+1555');
  assert.deepEqual(r.log, [
    '|Running target: start',
    `ES,REQUEST|Requesting from url: ${base}/lookup?fixed=1&caller=%2B1555&q=a+b%26c`,
    `ES,RESPONSE|${JSON.stringify(ANSWER)}`,
  ]);
});

test('POST bodies: urlParams as a form, a requestBody as a form, a JSON requestBody; PUT and DELETE', async () => {
  await es({ url: `${base}/p`, method: 'POST', populatePostBodyFromParams: true, urlParams: [{ name: 'who', value: '$core_From' }, { name: 'n', value: '1 2' }] }, { From: 'alice' });
  assert.equal(last().headers['content-type'], 'application/x-www-form-urlencoded');
  assert.equal(last().body, 'who=alice&n=1+2');
  assert.equal(last().query.size, 0, 'urlParams of a POST are not on the query');

  await es({ url: `${base}/p`, method: 'POST', contentType: 'application/x-www-form-urlencoded', requestBody: 'caller=$core_From' }, { From: 'alice' });
  assert.equal(last().headers['content-type'], 'application/x-www-form-urlencoded');
  assert.equal(last().body, 'caller=alice');

  await es({ url: `${base}/p`, method: 'POST', contentType: 'application/json', requestBody: '{"caller":"$core_From"}' }, { From: 'alice' });
  assert.equal(last().headers['content-type'], 'application/json');
  assert.deepEqual(JSON.parse(last().body), { caller: 'alice' });

  await es({ url: `${base}/p`, method: 'PUT', contentType: 'json', requestBody: '[1]' });
  assert.equal(last().method, 'PUT');
  assert.equal(last().body, '[1]');

  await es({ url: `${base}/p`, method: 'DELETE', urlParams: [{ name: 'id', value: '7' }] });
  assert.equal(last().method, 'DELETE');
  assert.equal(last().query.get('id'), '7');
});

test('a URL without host is completed from the controller\'s scheme, host and port', async () => {
  const r = await es({ url: 'relative/path', assignments: [{ destVariable: 'name', scope: 'module', moduleNameScope: null, valueExtractor: extractor(op.prop('user'), op.prop('name'), op.value) }] }, {}, { controllerUrl: `${base}/visual-designer/services/apps/AP1/controller` });
  assert.equal(r.failure, null);
  assert.equal(last().path, '/relative/path');
  assert.match(r.rcml, /name=\[Bob\]/);
});

test('fixed routing: the rest of the module is replaced by the next module, module_ variables set here are gone there', async () => {
  const r = await es({
    url: `${base}/j`, doRouting: true, nextType: 'fixed', next: 'module1',
    assignments: [
      { destVariable: 'name', scope: 'module', moduleNameScope: null, valueExtractor: extractor(op.prop('user'), op.prop('name'), op.value) },
      { destVariable: 'tier', scope: 'application', moduleNameScope: null, valueExtractor: extractor(op.prop('user'), op.prop('tier'), op.value) },
    ],
  });
  assert.equal(r.rcml, doc('<Say>sales name=[] tier=[gold] id=[]</Say>'));
});

test('responseBased routing picks the module by label; mapped routing by value; assignments limited to the chosen module', async () => {
  const assignments = [
    { destVariable: 'name', scope: 'application', moduleNameScope: 'module1', valueExtractor: extractor(op.prop('user'), op.prop('name'), op.value) },
    { destVariable: 'tier', scope: 'application', moduleNameScope: 'module2', valueExtractor: extractor(op.prop('user'), op.prop('tier'), op.value) },
  ];
  const byLabel = await es({ url: `${base}/j`, doRouting: true, nextType: 'responseBased', nextValueExtractor: extractor(op.prop('route'), op.value), assignments });
  assert.equal(byLabel.rcml, doc('<Say>sales name=[Bob] tier=[] id=[]</Say>'));
  const mapped = await es({
    url: `${base}/j`, doRouting: true, nextType: 'mapped', nextValueExtractor: extractor(op.prop('code'), op.value),
    routeMappings: [{ value: '1', next: 'module1' }, { value: '2', next: 'module2' }], assignments,
  });
  assert.equal(mapped.rcml, doc('<Say>support name=[] tier=[gold]</Say>'));
  const unmatched = await es({ url: `${base}/j`, doRouting: true, nextType: 'mapped', nextValueExtractor: extractor(op.prop('code'), op.value), routeMappings: [{ value: '9', next: 'module1' }] });
  assert.equal(unmatched.rcml, doc('<Say>name=[] tier=[] id=[]</Say>'), 'no mapping: the module goes on');
});

test('timeout: onTimeout continues there; the step\'s timeout is capped by the node\'s', async () => {
  const t0 = Date.now();
  const r = await es({ url: `${base}/slow`, timeout: 10_000, onTimeout: 'module3' }, {}, { timeoutMs: 200 });
  assert.ok(Date.now() - t0 < 1200, `capped at 200 ms, took ${Date.now() - t0}`);
  assert.equal(r.failure, null);
  assert.equal(r.rcml, doc('<Say>service unavailable</Say>'));
  assert.ok(r.log.includes('ES|Request timed out. Timeout set to 200'), r.log.join('\n'));
});

test('timeout without onTimeout: failure and the spoken apology, never silence', async () => {
  const r = await es({ url: `${base}/slow`, timeout: 150 });
  assert.equal(r.rcml, FALLBACK);
  assert.deepEqual(r.failure, { code: FAILURE.serviceTimeout, message: `External Service step step1: ${base}/slow gave no answer within 150 ms` });
});

test('status 500: exceptionNext continues there; without it the request fails', async () => {
  assert.equal((await es({ url: `${base}/error`, exceptionNext: 'module3' })).rcml, doc('<Say>service unavailable</Say>'));
  const r = await es({ url: `${base}/error` });
  assert.equal(r.rcml, FALLBACK);
  assert.deepEqual(r.failure, { code: FAILURE.serviceStatus, message: `External Service step step1: ${base}/error answered 500` });
});

test('the answer is read only when something uses it; otherwise a non-JSON answer is fine', async () => {
  const r = await es({ url: `${base}/text` });
  assert.equal(r.failure, null);
  assert.equal(r.rcml, doc('<Say>name=[] tier=[] id=[]</Say>'));
});

test('failures: non-JSON answer to an assignment, a value not in the answer, a refused connection, fixed routing without next', async () => {
  const name = { destVariable: 'name', scope: 'module', moduleNameScope: null, valueExtractor: extractor(op.prop('user'), op.prop('name'), op.value) };
  const notJson = await es({ url: `${base}/text`, assignments: [name] });
  assert.equal(notJson.failure?.code, FAILURE.serviceJson);
  const missing = await es({ url: `${base}/j`, assignments: [{ ...name, valueExtractor: extractor(op.prop('nobody'), op.prop('name'), op.value) }] });
  assert.deepEqual(missing.failure, { code: FAILURE.serviceValue, message: 'External Service step step1: the value of name not found in the answer (nothing at this position)' });
  const isNull = await es({ url: `${base}/j`, assignments: [{ ...name, valueExtractor: extractor(op.prop('empty'), op.value) }] });
  assert.equal(isNull.failure?.code, FAILURE.serviceValue);
  const closed = createServer();
  await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
  const port = (closed.address() as AddressInfo).port;
  await new Promise((r) => closed.close(r));
  const refused = await es({ url: `http://127.0.0.1:${port}/x` });
  assert.equal(refused.failure?.code, FAILURE.serviceRequest);
  assert.equal(refused.rcml, FALLBACK);
  const noNext = await es({ url: `${base}/j`, doRouting: true, nextType: 'fixed' });
  assert.equal(noNext.failure?.code, FAILURE.serviceRoute);
  const badUrl = await es({ url: 'ftp://example.com/x' });
  assert.equal(badUrl.failure?.code, FAILURE.serviceRequest);
});
