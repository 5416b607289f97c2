import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Agent, interceptors, request } from 'undici';

const CONVERT_TIMEOUT_MS = 60_000;
const FETCH_TIMEOUT_MS = 15_000;
const MAX_DOWNLOAD_BYTES = 50 * 1024 * 1024;

const agent = new Agent().compose(interceptors.redirect({ maxRedirections: 5 }));

export function hashKey(...parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32);
}

function run(cmd: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: CONVERT_TIMEOUT_MS }, (err, _out, stderr) => {
      if (err) reject(new Error(`${cmd} failed: ${stderr.toString().trim().split('\n').slice(-2).join(' ') || err.message}`));
      else resolve();
    });
  });
}

/** Atomically (write + rename) so a concurrent reader never sees half a file. */
async function publish(path: string, data: Uint8Array): Promise<void> {
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, path);
}

/**
 * Any audio file ffmpeg reads (WAV at any rate/channels, MP3...) as 8 kHz mono 16-bit samples, converted
 * once into `cacheDir/pcm/`; the key includes size and mtime, so a replaced file is converted again.
 */
export async function loadPcm(file: string, cacheDir: string): Promise<Int16Array> {
  const info = await stat(file);
  if (!info.isFile()) throw new Error(`${file} is not a file`);
  const key = hashKey(file, String(info.size), String(info.mtimeMs));
  const cached = memory.get(key);
  if (cached) {
    // Re-insert so that the Map's order is least-recently-used first.
    memory.delete(key);
    memory.set(key, cached);
    return cached;
  }
  // Many calls starting the same prompt at once share one conversion and one copy of the samples.
  const loading = convert(file, cacheDir, key);
  memory.set(key, loading);
  loading.catch(() => memory.delete(key));
  while (memory.size > MEMORY_ENTRIES) memory.delete(memory.keys().next().value as string);
  return loading;
}

const MEMORY_ENTRIES = 64;
const memory = new Map<string, Promise<Int16Array>>();

async function convert(file: string, cacheDir: string, key: string): Promise<Int16Array> {
  const dir = join(cacheDir, 'pcm');
  await mkdir(dir, { recursive: true });
  const out = join(dir, `${key}.s16`);
  let bytes: Buffer;
  try {
    bytes = await readFile(out);
  } catch {
    const tmp = `${out}.${process.pid}.${Math.random().toString(36).slice(2)}.s16`;
    await run('ffmpeg', ['-nostdin', '-loglevel', 'error', '-y', '-i', file, '-ar', '8000', '-ac', '1', '-f', 's16le', '-acodec', 'pcm_s16le', tmp]);
    await rename(tmp, out);
    bytes = await readFile(out);
  }
  const copy = new Int16Array(bytes.length >> 1);
  for (let i = 0; i < copy.length; i++) copy[i] = bytes.readInt16LE(i * 2);
  return copy;
}

interface CacheMeta {
  readonly url: string;
  readonly etag: string | null;
  readonly lastModified: string | null;
  readonly freshUntil: number;
}

function maxAge(cacheControl: string | undefined): number {
  if (!cacheControl || /no-cache|no-store/i.test(cacheControl)) return 0;
  const m = /max-age=(\d+)/i.exec(cacheControl);
  return m ? Number(m[1]) * 1000 : 0;
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * Downloads `url` into `cacheDir/http/` and returns the local file. A cached copy is reused while
 * Cache-Control max-age says it is fresh, then revalidated with If-None-Match / If-Modified-Since; a
 * 304 keeps it. When the server is unreachable a cached copy is still used.
 */
export async function fetchToCache(url: string, cacheDir: string, now: () => number = Date.now): Promise<string> {
  const dir = join(cacheDir, 'http');
  await mkdir(dir, { recursive: true });
  const key = hashKey(url);
  const bodyPath = join(dir, `${key}.body`);
  const metaPath = join(dir, `${key}.json`);
  let meta: CacheMeta | null = null;
  try {
    meta = JSON.parse(await readFile(metaPath, 'utf8')) as CacheMeta;
    await stat(bodyPath);
  } catch {
    meta = null;
  }
  if (meta && meta.freshUntil > now()) return bodyPath;
  const headers: Record<string, string> = {};
  if (meta?.etag) headers['if-none-match'] = meta.etag;
  if (meta?.lastModified) headers['if-modified-since'] = meta.lastModified;
  let res;
  try {
    res = await request(url, { method: 'GET', headers, dispatcher: agent, headersTimeout: FETCH_TIMEOUT_MS, bodyTimeout: FETCH_TIMEOUT_MS });
  } catch (err) {
    if (meta) return bodyPath;
    throw new Error(`fetching ${url} failed: ${(err as Error).message}`);
  }
  const freshUntil = now() + maxAge(header(res.headers, 'cache-control'));
  if (res.statusCode === 304 && meta) {
    await res.body.dump();
    await publish(metaPath, Buffer.from(JSON.stringify({ ...meta, freshUntil })));
    return bodyPath;
  }
  if (res.statusCode !== 200) {
    await res.body.dump();
    throw new Error(`fetching ${url} failed: HTTP ${res.statusCode}`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body) {
    size += (chunk as Buffer).length;
    if (size > MAX_DOWNLOAD_BYTES) {
      res.body.destroy();
      throw new Error(`fetching ${url} failed: larger than ${MAX_DOWNLOAD_BYTES} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  await publish(bodyPath, Buffer.concat(chunks));
  const next: CacheMeta = { url, etag: header(res.headers, 'etag') ?? null, lastModified: header(res.headers, 'last-modified') ?? null, freshUntil };
  await publish(metaPath, Buffer.from(JSON.stringify(next)));
  return bodyPath;
}
