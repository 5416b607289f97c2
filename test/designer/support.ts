import wavefile from 'wavefile';
import type { TestApi } from '../api/harness.js';
import { ADMIN } from '../api/harness.js';

export interface DesignerReply {
  status: number;
  headers: Headers;
  text: string;
  bytes: Uint8Array;
  json<T = Record<string, unknown>>(): T;
}

export interface DesignerCall {
  auth?: readonly [string, string] | null;
  body?: string | FormData | Uint8Array;
  contentType?: string;
  headers?: Record<string, string>;
  form?: Record<string, string>;
}

/** The host of the test API (without the REST prefix). */
export function hostOf(api: TestApi): string {
  return api.base.replace(/\/restcomm\/2012-04-24$/, '');
}

/** A request to the designer under `prefix` (default `/visual-designer/services`). */
export async function dv(api: TestApi, method: string, path: string, options: DesignerCall = {}, prefix = '/visual-designer/services'): Promise<DesignerReply> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  const auth = options.auth === undefined ? ADMIN : options.auth;
  if (auth !== null) headers.authorization = 'Basic ' + Buffer.from(`${auth[0]}:${auth[1]}`).toString('base64');
  let body: RequestInit['body'] = options.body instanceof Uint8Array ? Buffer.from(options.body) : options.body;
  if (options.form !== undefined) {
    body = new URLSearchParams(options.form).toString();
    headers['content-type'] = 'application/x-www-form-urlencoded';
  }
  if (options.contentType !== undefined) headers['content-type'] = options.contentType;
  const res = await fetch(`${hostOf(api)}${prefix}${path}`, { method, headers, body, signal: AbortSignal.timeout(10_000) });
  const bytes = new Uint8Array(await res.arrayBuffer());
  const text = Buffer.from(bytes).toString('utf8');
  return { status: res.status, headers: res.headers, text, bytes, json: <T>() => JSON.parse(text) as T };
}

/** A short real WAV file (8 kHz, 16-bit mono, a 440 Hz tone). */
export function wavBytes(ms = 100): Uint8Array {
  const samples = Array.from({ length: (8000 * ms) / 1000 }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 8000)));
  const wav = new wavefile.WaveFile();
  wav.fromScratch(1, 8000, '16', samples);
  return wav.toBuffer();
}

/** An MP3 file as far as its content goes: an ID3v2 header and MPEG-1 Layer III frames. */
export function mp3Bytes(): Uint8Array {
  const id3 = [0x49, 0x44, 0x33, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00];
  const frame = new Uint8Array(417);
  frame.set([0xff, 0xfb, 0x90, 0x64]);
  return new Uint8Array([...id3, ...frame, ...frame]);
}

/** A multipart body with one file part per entry. */
export function files(...entries: [field: string, name: string, data: Uint8Array | string][]): FormData {
  const form = new FormData();
  for (const [field, name, data] of entries) form.append(field, new Blob([typeof data === 'string' ? data : Buffer.from(data)]), name);
  return form;
}

/** Creates a project through the API and returns its sid. */
export async function newProject(api: TestApi, name: string, kind = 'voice', auth: readonly [string, string] = ADMIN): Promise<string> {
  const r = await dv(api, 'POST', `/projects?name=${encodeURIComponent(name)}&kind=${kind}`, { auth });
  if (r.status !== 200) throw new Error(`creating project ${name}: ${r.status} ${r.text}`);
  return r.json<{ sid: string }>().sid;
}

/** A state with one module whose steps are given. */
export function stateWith(steps: Record<string, unknown>[], kind = 'voice'): Record<string, unknown> {
  return {
    header: { projectKind: kind, startNodeName: 'start', version: '1.15', owner: null },
    nodes: [{ name: 'start', label: 'Welcome', kind, steps }],
    lastStepId: steps.length,
    lastNodeId: 0,
  };
}
