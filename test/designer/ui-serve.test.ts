/**
 * The designer page as the node serves it: the page, its own modules and every module its import map
 * names come back as they are on disk (no build step), with types a browser runs.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { DESIGNER_UI_ROOT } from '../../src/designer/ui/serve.js';
import { startUiNode, type UiNode } from './ui-harness.js';

describe('designer page files', () => {
  let node: UiNode;
  before(async () => {
    node = await startUiNode();
  });
  after(async () => {
    await node.close();
  });
  const get = (path: string) => fetch(node.origin + path, { redirect: 'manual', signal: AbortSignal.timeout(5000) });

  test('/visual-designer/ is the page, with its import map; /visual-designer and /restcomm-rvd/ redirect there', async () => {
    const page = await get('/visual-designer/');
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(await page.text(), /<script type="importmap">/);
    for (const old of ['/visual-designer', '/restcomm-rvd/']) {
      const r = await get(old);
      assert.equal(r.status, 302, old);
      assert.equal(r.headers.get('location'), '/visual-designer/');
    }
  });

  test('every module of the import map is served as JavaScript, and what a module imports resolves', async () => {
    const html = await (await get('/visual-designer/')).text();
    const map = JSON.parse(/<script type="importmap">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '{}') as { imports: Record<string, string> };
    assert.deepEqual(Object.keys(map.imports).sort(), ['@dagrejs/dagre', 'eventsource', 'eventsource-parser', 'htm', 'preact', 'preact/hooks']);
    for (const [name, url] of Object.entries(map.imports)) {
      const r = await get(new URL(url, `${node.origin}/visual-designer/`).pathname);
      assert.equal(r.status, 200, name);
      assert.match(r.headers.get('content-type') ?? '', /javascript/, name);
      for (const m of (await r.text()).matchAll(/\bfrom\s*"([^".][^"]*)"/g)) {
        assert.ok(m[1] !== undefined && m[1] in map.imports, `${name} imports ${m[1]}, which the import map names`);
      }
    }
    const unknown = await get('/visual-designer/vendor/lodash.mjs');
    assert.equal(unknown.status, 404);
    assert.match(await unknown.text(), /No vendored module lodash\.mjs/);
  });

  test("the page's own modules are served byte for byte from src/designer/ui/public/js", async () => {
    const files = readdirSync(`${DESIGNER_UI_ROOT}/js`).filter((f) => f.endsWith('.js'));
    assert.ok(files.includes('main.js'));
    for (const f of files) {
      const r = await get(`/visual-designer/js/${f}`);
      assert.equal(r.status, 200, f);
      assert.match(r.headers.get('content-type') ?? '', /javascript/, f);
      const text = await r.text();
      assert.equal(text, readFileSync(`${DESIGNER_UI_ROOT}/js/${f}`, 'utf8'), f);
      for (const m of text.matchAll(/^import .* from '(\.\/[^']+)';$/gm)) {
        assert.ok(files.includes((m[1] ?? '').slice(2)), `${f} imports ${m[1]}, which exists`);
      }
    }
    const css = await get('/visual-designer/style.css');
    assert.equal(css.status, 200);
    assert.equal((await get('/visual-designer/js/nothing.js')).status, 404);
  });
});
