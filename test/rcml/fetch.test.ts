import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { AppFetchError, FallbackFailedError, FetchAbortedError, fetchApp, fetchWithFallback } from '../../src/rcml/fetch.js';
import { AppServer, hang, xml } from './app-server.js';

const RCML = '<Response><Say>hi</Say></Response>';

const app = await AppServer.start({
  '/doc': xml(RCML),
  '/moved': (_q, res) => res.writeHead(302, { location: '/doc?from=moved' }).end(),
  '/loop': (_q, res) => res.writeHead(307, { location: '/loop' }).end(),
  '/hang': hang,
  '/error': (_q, res) => res.writeHead(500, { 'content-type': 'text/plain' }).end('boom'),
  '/broken': xml('<Response><Say>hi</Response>'),
  '/audio': (_q, res) => res.writeHead(200, { 'content-type': 'audio/wav' }).end('RIFF'),
  '/text': (_q, res) => res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('Hello there\n'),
  '/json': (_q, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'),
});
after(() => app.close());

const params = { CallSid: 'CA1', From: '+1 555', Name: 'a&b=c' };

async function failure(p: Promise<unknown>): Promise<AppFetchError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof AppFetchError, String(err));
    return err;
  }
  assert.fail('expected AppFetchError');
}

test('GET merges parameters into the configured query; ours win', async () => {
  const doc = await fetchApp({ url: `${app.base}/doc?app=7&From=spoof`, method: 'GET', parameters: params });
  assert.equal(doc.kind, 'rcml');
  assert.equal(doc.kind === 'rcml' && doc.verbs[0]?.verb, 'Say');
  const seen = app.to('/doc').at(-1);
  assert.equal(seen?.method, 'GET');
  assert.deepEqual([...(seen?.query ?? [])], [['app', '7'], ['CallSid', 'CA1'], ['From', '+1 555'], ['Name', 'a&b=c']]);
});

test('POST sends a form body and keeps the URL query', async () => {
  await fetchApp({ url: `${app.base}/doc?app=7`, method: 'POST', parameters: params });
  const seen = app.to('/doc').at(-1);
  assert.equal(seen?.method, 'POST');
  assert.match(seen?.contentType ?? '', /^application\/x-www-form-urlencoded/);
  assert.deepEqual(Object.fromEntries(seen?.form ?? []), params);
  assert.equal(seen?.query.get('app'), '7');
});

test('redirects are followed with the same method and parameters; the final URL is the base', async () => {
  const before = app.to('/doc').length;
  const doc = await fetchApp({ url: `${app.base}/moved`, method: 'POST', parameters: params });
  assert.equal(doc.url, `${app.base}/doc?from=moved`);
  const seen = app.to('/doc').slice(before);
  assert.equal(seen.length, 1);
  assert.equal(seen[0]?.method, 'POST');
  assert.equal(seen[0]?.form.get('CallSid'), 'CA1');
  assert.equal((await failure(fetchApp({ url: `${app.base}/loop`, method: 'GET', parameters: {} }))).code, 11215);
});

test('404 → 21402, 500 → 11200 with status and body, timeout → 11205, refused → 11205', async () => {
  const nf = await failure(fetchApp({ url: `${app.base}/missing`, method: 'POST', parameters: {} }));
  assert.deepEqual([nf.code, nf.status], [21402, 404]);
  const e = await failure(fetchApp({ url: `${app.base}/error`, method: 'POST', parameters: {} }));
  assert.deepEqual([e.code, e.status, e.body], [11200, 500, 'boom']);
  const t = await failure(fetchApp({ url: `${app.base}/hang`, method: 'GET', parameters: {} }, { timeoutMs: 200 }));
  assert.equal(t.code, 11205);
  assert.match(t.message, /no response within 200 ms/);
  const refused = await failure(fetchApp({ url: 'http://127.0.0.1:1/x', method: 'GET', parameters: {} }));
  assert.equal(refused.code, 11205);
  assert.equal((await failure(fetchApp({ url: 'ftp://x/y', method: 'GET', parameters: {} }))).code, 11100);
});

test('non-XML body → 12100 naming the position; unknown Content-Type → 12300', async () => {
  const p = await failure(fetchApp({ url: `${app.base}/broken`, method: 'GET', parameters: {} }));
  assert.equal(p.code, 12100);
  assert.match(p.message, /line 1, column \d+: not well-formed XML/);
  const j = await failure(fetchApp({ url: `${app.base}/json`, method: 'GET', parameters: {} }));
  assert.equal(j.code, 12300);
});

test('audio/* → play of the URL, text/plain → say of the body', async () => {
  assert.deepEqual(await fetchApp({ url: `${app.base}/audio`, method: 'GET', parameters: {} }), { kind: 'play', url: `${app.base}/audio` });
  assert.deepEqual(await fetchApp({ url: `${app.base}/text`, method: 'GET', parameters: {} }), { kind: 'say', url: `${app.base}/text`, text: 'Hello there' });
});

test('fallback is used after a 500 but not after a 404', async () => {
  const before = app.to('/doc').length;
  const r = await fetchWithFallback({ url: `${app.base}/error`, method: 'POST', parameters: params }, { url: `${app.base}/doc`, method: 'GET' });
  assert.equal(r.document.kind, 'rcml');
  assert.equal(r.primaryError?.code, 11200);
  assert.equal(app.to('/doc').slice(before)[0]?.query.get('CallSid'), 'CA1');
  const nf = await failure(fetchWithFallback({ url: `${app.base}/missing`, method: 'POST', parameters: {} }, { url: `${app.base}/doc`, method: 'GET' }));
  assert.equal(nf.code, 21402);
  await assert.rejects(
    fetchWithFallback({ url: `${app.base}/error`, method: 'POST', parameters: {} }, { url: `${app.base}/broken`, method: 'GET' }),
    (err: unknown) => err instanceof FallbackFailedError && err.primary.code === 11200 && err.fallback.code === 12100,
  );
});

test('an abort cancels the request on the server side', async () => {
  const ac = new AbortController();
  const pending = fetchApp({ url: `${app.base}/hang`, method: 'GET', parameters: {} }, { signal: ac.signal });
  const deadline = Date.now() + 5000;
  while (app.to('/hang').length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  ac.abort();
  await assert.rejects(pending, FetchAbortedError);
  while (app.aborted.filter((p) => p === '/hang').length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  assert.equal(app.aborted.filter((p) => p === '/hang').length, 2);
});
