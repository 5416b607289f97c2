import { mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { bootstrapAdministrator } from '../../src/api/bootstrap.js';
import { createApiServer } from '../../src/api/server.js';
import { buildConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { openStore } from '../../src/store/store.js';

export const ADMIN_EMAIL = 'administrator@company.com';
export const ADMIN_PASSWORD = 'RestComm1234!';
export const ADMIN_SID = 'ACae6e420f425248d6a26948c17a9e2acf';

/** Debian's Chromium (scripts/install.sh installs it); playwright-core drives it, no browser download. */
export const CHROMIUM = '/usr/bin/chromium';

/** Screenshots of the browser tests; git-ignored. */
export const OUTPUT = resolve(import.meta.dirname, '..', '..', 'test-output', 'designer');

export interface UiNode {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** A REST API call as the administrator, for a test's set-up and its checks. */
  rest<T = Record<string, unknown>>(method: string, path: string, form?: Record<string, string>): Promise<{ status: number; json: T }>;
  close(): Promise<void>;
}

/** The REST API, the designer's API and the designer page on one HTTP port, with a throw-away SQLite file. */
export async function startUiNode(): Promise<UiNode> {
  const dir = await mkdtemp(join(tmpdir(), 'dialtone-designer-ui-'));
  const config = buildConfig({
    DATA_DIR: dir,
    ADMIN_PASSWORD,
    SIP_DOMAIN: '127.0.0.1',
    LOG_LEVEL: 'silent',
    HTTP_BIND: '127.0.0.1',
    HTTP_PORT: '0',
  });
  const log = createLogger('silent');
  const store = await openStore(config.databaseUrl, log);
  await bootstrapAdministrator(store, config, log);
  const app: FastifyInstance = await createApiServer({ config, store, log });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const origin = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  const authorization = 'Basic ' + Buffer.from(`${ADMIN_EMAIL}:${ADMIN_PASSWORD}`).toString('base64');
  return {
    origin,
    async rest<T>(method: string, path: string, form?: Record<string, string>) {
      const res = await fetch(`${origin}/restcomm/2012-04-24${path}`, {
        method,
        headers: { authorization, ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
        body: form ? new URLSearchParams(form).toString() : undefined,
        signal: AbortSignal.timeout(10_000),
      });
      const text = await res.text();
      return { status: res.status, json: (text === '' ? null : JSON.parse(text)) as T };
    },
    async close() {
      await app.close();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
}

/** Saves a full-page screenshot under test-output/designer and prints its path to the test log. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(OUTPUT, { recursive: true });
  const path = join(OUTPUT, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  console.log(`screenshot: ${path}`);
  return path;
}

/**
 * The page's uncaught errors and console errors (a broken module import shows up here). Chromium's own
 * "Failed to load resource" lines for answers the page expects (a 401 at sign-in, a 404 log) are left out.
 */
export function watchPage(page: Page): { errors: string[] } {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) errors.push(`console: ${msg.text()}`);
  });
  return { errors };
}
