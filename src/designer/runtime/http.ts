/** The External Service step's HTTP request, sent with undici; a timeout is told apart from other failures. */
import { request } from 'undici';
import type { HttpCall, HttpOutcome } from '../project/steps/types.js';

/** An answer larger than this is refused rather than read into memory. */
export const MAX_ANSWER_BYTES = 1024 * 1024;

export async function sendHttp(call: HttpCall): Promise<HttpOutcome> {
  const signal = AbortSignal.timeout(call.timeoutMs);
  try {
    const res = await request(call.url, { method: call.method, headers: call.headers, body: call.body ?? undefined, signal });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      size += (chunk as Buffer).length;
      if (size > MAX_ANSWER_BYTES) {
        res.body.destroy();
        return { kind: 'error', message: `answer larger than ${MAX_ANSWER_BYTES} bytes` };
      }
      chunks.push(chunk as Buffer);
    }
    return { kind: 'answer', status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') };
  } catch (e) {
    if (signal.aborted) return { kind: 'timeout' };
    return { kind: 'error', message: e instanceof Error ? e.message : String(e) };
  }
}
