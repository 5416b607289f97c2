import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** Where the page lives; the designer's API is under `${DESIGNER_UI_PREFIX}services/`. */
export const DESIGNER_UI_PREFIX = '/visual-designer/';

/**
 * The browser modules the page imports by bare name (its import map in `public/index.html`), served from
 * node_modules as their packages ship them: no bundling, no build step.
 */
const VENDOR: Readonly<Record<string, string>> = {
  'preact.mjs': 'preact',
  'preact-hooks.mjs': 'preact/hooks',
  'htm.mjs': 'htm',
  'dagre.mjs': '@dagrejs/dagre',
  'eventsource.mjs': 'eventsource',
  'eventsource-parser.mjs': 'eventsource-parser',
};

/** The folder holding package.json: the same from `src/` under tsx and from `dist/src/` once built. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('designer UI: no package.json above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
  return dir;
}

/** The page's static files (`src/designer/ui/public`), which are served as they are. */
export const DESIGNER_UI_ROOT = join(packageRoot(), 'src', 'designer', 'ui', 'public');

/**
 * The Visual Designer's page at `/visual-designer/` (and `/restcomm-rvd/`, RVD's old context): the files
 * of `public/` plus the vendored modules under `vendor/`. Nothing here needs authentication; the page
 * sends the account's Basic credentials on each API call.
 */
export async function designerUi(app: FastifyInstance): Promise<void> {
  const files = new Map<string, { dir: string; file: string }>();
  for (const [name, specifier] of Object.entries(VENDOR)) {
    const path = fileURLToPath(import.meta.resolve(specifier));
    files.set(name, { dir: dirname(path), file: path.slice(dirname(path).length + 1) });
  }
  await app.register(fastifyStatic, {
    root: DESIGNER_UI_ROOT,
    prefix: DESIGNER_UI_PREFIX,
    wildcard: false,
    index: ['index.html'],
    cacheControl: false,
  });
  app.get('/visual-designer', (_request, reply) => reply.redirect(DESIGNER_UI_PREFIX));
  app.get('/restcomm-rvd/', (_request, reply) => reply.redirect(DESIGNER_UI_PREFIX));
  app.get<{ Params: { name: string } }>(`${DESIGNER_UI_PREFIX}vendor/:name`, (request, reply) => {
    const vendored = files.get(request.params.name);
    if (vendored === undefined) return reply.code(404).type('text/plain').send(`No vendored module ${request.params.name}`);
    return reply.sendFile(vendored.file, vendored.dir);
  });
}
