import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Route } from '../rcml/app-server.js';
import { writeToneWav, writeWav } from '../support/audio.js';
import { Baresip } from '../support/baresip.js';
import { makeRunDir } from '../support/process.js';
import type { CallNode } from '../calls/harness.js';

/** Serves a file as `audio/wav`, the way an app's web server hands a prompt to the node. */
export const wavFile = (path: string): Route => (_req, res) => {
  res.writeHead(200, { 'content-type': 'audio/wav' }).end(readFileSync(path));
};

/** A fresh folder with a pure-tone WAV of `ms` at `freq`, 8 kHz mono 16-bit. */
export function toneFile(freq: number, ms: number): string {
  const path = join(makeRunDir(`tone-${freq}`), `tone-${freq}.wav`);
  writeToneWav(path, freq, ms);
  return path;
}

/** Silence long enough for any call here: baresip hangs up when its microphone file ends. */
export function silenceFile(ms = 30_000): string {
  const path = join(makeRunDir('silence'), 'silence.wav');
  writeWav(path, new Int16Array((ms * 8000) / 1000), 8000);
  return path;
}

/**
 * A baresip caller (local account, no registration) whose microphone is `mic`, calling `number` at
 * the node; resolves once the call is established. What it heard is in `lastDump().received` after
 * the call ends.
 */
export async function baresipCalls(n: CallNode, number: string, mic: string, user = 'alice'): Promise<Baresip> {
  const phone = await Baresip.start({ user, playWav: mic });
  await phone.dial(`sip:${number}@127.0.0.1:${n.node.sipPort}`);
  return phone;
}

export interface SipEvent {
  /** Milliseconds since the epoch, from SIPp's trace. */
  readonly at: number;
  readonly direction: 'sent' | 'received';
  /** The start line: `INVITE sip:… SIP/2.0`, `SIP/2.0 200 OK`. */
  readonly line: string;
}

/** The messages of a SIPp `-trace_msg` log in order, with SIPp's timestamps. */
export function sipTimeline(messages: string): SipEvent[] {
  const out: SipEvent[] = [];
  const block = /^-+ (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+)\r?\n\w+ message (sent|received)[^\n]*\n\r?\n([^\r\n]+)/gm;
  for (const m of messages.matchAll(block)) {
    out.push({ at: Date.parse(`${m[1]!.replace(' ', 'T').slice(0, 23)}Z`), direction: m[2] as 'sent' | 'received', line: m[3]! });
  }
  return out;
}
