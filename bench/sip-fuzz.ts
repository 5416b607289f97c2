/**
 * Mutation fuzzer for the SIP parser: `node --import tsx bench/sip-fuzz.ts --seed 42 --count 1000000`.
 * Each input is a corpus message (RFC 4475 torture messages plus typical traffic) with 1-4 random
 * mutations. A failure is any exception other than SipParseError from parsing, reading the typed views,
 * validating or serializing, or a single input taking longer than the hang bound (100 ms of CPU on
 * four runs in a row: a real blow-up takes seconds, while JIT and GC threads can add tens of ms).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import {
  parseMessage, responseFault, serialize, SipParseError, validateRequest, viaNamesBroadcast, type SipMessage,
} from '../src/sip/message/index.js';
import { parseMultipart } from '../src/sip/message/multipart.js';
import { SipStreamFramer } from '../src/sip/message/framer.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const HANG_BOUND_MS = 100;
const SPECIALS = ['\r', '\n', '\r\n', ';', ',', '"', '<', '>', '%', '\0', ':', '\\', ' ', '@', '[', ']', '=', '\r\n '];

/** mulberry32: small, fast, seedable; Math.random cannot be replayed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TRAFFIC = [
  'REGISTER sip:example.com SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.4:5060;branch=z9hG4bKnashds7;rport\r\nMax-Forwards: 70\r\nFrom: Bob <sip:bob@example.com>;tag=a73kszlfl\r\nTo: Bob <sip:bob@example.com>\r\nCall-ID: 1j9FpLxk3uxtm8tn@192.0.2.4\r\nCSeq: 2 REGISTER\r\nContact: <sip:bob@192.0.2.4;ob>;expires=3600;+sip.instance="<urn:uuid:00000000-0000-1000-8000-AABBCCDDEEFF>"\r\nAuthorization: Digest username="bob", realm="example.com", nonce="ea9c8e88df84f1cec4341ae6cbe5a359", uri="sip:example.com", response="dfe56131d1958046689d83306477ecc", algorithm=MD5, qop=auth, nc=00000001, cnonce="0a4f113b"\r\nContent-Length: 0\r\n\r\n',
  'SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.4:5060;branch=z9hG4bKnashds7;received=203.0.113.9;rport=40312\r\nFrom: <sip:alice@example.com>;tag=1928301774\r\nTo: <sip:bob@example.com>;tag=a6c85cf\r\nCall-ID: a84b4c76e66710\r\nCSeq: 314159 INVITE\r\nContact: <sip:bob@192.0.2.4>\r\nContent-Type: application/sdp\r\nContent-Length: 20\r\n\r\nv=0\r\no=- 1 1 IN IP4 x',
  'NOTIFY sip:alice@192.0.2.1 SIP/2.0\r\nVia: SIP/2.0/TCP 192.0.2.9;branch=z9hG4bK77\r\nMax-Forwards: 70\r\nFrom: <sip:bob@example.com>;tag=3\r\nTo: <sip:alice@example.com>;tag=4\r\nCall-ID: n1\r\nCSeq: 7 NOTIFY\r\nEvent: refer;id=93\r\nSubscription-State: active;expires=60\r\nContent-Type: message/sipfrag;version=2.0\r\nContent-Length: 16\r\n\r\nSIP/2.0 200 OK\r\n',
];

export function loadCorpus(): Buffer[] {
  const dir = join(REPO, '../shared/conformance/rfc4475');
  const out = TRAFFIC.map((text) => Buffer.from(text));
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.dat')).sort()) {
    const raw = readFileSync(join(dir, name));
    out.push(name === 'intmeth.dat' || name === 'mpart01.dat' ? raw : Buffer.from(raw.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1'));
  }
  return out;
}

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)] as T;
}

function mutate(rand: () => number, input: Buffer): Buffer {
  let buf = input;
  const rounds = 1 + Math.floor(rand() * 4);
  for (let r = 0; r < rounds; r++) {
    const at = Math.floor(rand() * (buf.length + 1));
    switch (Math.floor(rand() * 8)) {
      case 0: {
        if (buf.length === 0) break;
        const copy = Buffer.from(buf);
        const i = Math.min(at, copy.length - 1);
        copy[i] = (copy[i] ?? 0) ^ (1 << Math.floor(rand() * 8));
        buf = copy;
        break;
      }
      case 1:
        buf = Buffer.concat([buf.subarray(0, at), Buffer.from(pick(rand, SPECIALS), 'latin1'), buf.subarray(at)]);
        break;
      case 2:
        buf = buf.subarray(0, at);
        break;
      case 3: {
        const lines = buf.toString('latin1').split('\r\n');
        const n = Math.floor(rand() * lines.length);
        lines.splice(n, 0, lines[n] ?? '');
        buf = Buffer.from(lines.join('\r\n'), 'latin1');
        break;
      }
      case 4: {
        const huge = rand() < 0.5 ? '99999999999999999999999999' : '-1';
        buf = Buffer.from(buf.toString('latin1').replace(/[0-9]+/g, (d) => (rand() < 0.2 ? huge : d)), 'latin1');
        break;
      }
      case 5: {
        const unit = pick(rand, ['a', ';', ',', '%', '"', '<', ' ', '\r\n ', ';a=b', '%4']);
        buf = Buffer.concat([buf.subarray(0, at), Buffer.from(unit.repeat(1 + Math.floor(rand() * 5000)), 'latin1'), buf.subarray(at)]);
        break;
      }
      case 6: {
        const len = Math.floor(rand() * 40);
        buf = Buffer.concat([buf.subarray(0, at), buf.subarray(at + len)]);
        break;
      }
      default: {
        const bytes = Buffer.alloc(1 + Math.floor(rand() * 8));
        for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(rand() * 256);
        buf = Buffer.concat([buf.subarray(0, at), bytes, buf.subarray(at)]);
      }
    }
  }
  return buf;
}

const OPTS = { supportedExtensions: ['100rel'], acceptedContentTypes: ['application/sdp'], knownSchemes: ['sip', 'sips', 'tel'] };

/** Reads everything the stack might read; only SipParseError may escape. */
function exercise(msg: SipMessage): void {
  const views: Array<() => unknown> = [
    () => msg.vias, () => msg.from, () => msg.to, () => msg.callId, () => msg.cseq,
    () => serialize(msg),
    () => (msg.kind === 'request' ? validateRequest(msg, OPTS) : responseFault(msg)),
    () => (msg.kind === 'response' ? viaNamesBroadcast(msg) : msg.uri),
    () => parseMultipart(msg.body, msg.headers.get('Content-Type') ?? ''),
  ];
  for (const [name] of msg.headers.entries()) views.push(() => msg.headers.getAll(name));
  for (const view of views) {
    try {
      view();
    } catch (err) {
      if (!(err instanceof SipParseError)) throw err;
    }
  }
}

/** The same bytes through the TCP framer, split in two chunks. */
function exerciseFramer(input: Buffer): void {
  const framer = new SipStreamFramer();
  const cut = input.length >> 1;
  for (const item of [...framer.push(input.subarray(0, cut)), ...framer.push(input.subarray(cut))]) {
    if (!(item instanceof Buffer)) continue;
    try {
      exercise(parseMessage(item, { stream: true }));
    } catch (err) {
      if (!(err instanceof SipParseError)) throw err;
    }
  }
}

export interface FuzzFailure {
  readonly index: number;
  readonly input: string;
  readonly problem: string;
}

export interface FuzzResult {
  readonly inputs: number;
  readonly parsed: number;
  readonly rejected: number;
  readonly slowestMs: number;
  readonly failures: FuzzFailure[];
}

/** Parses and reads one input; true when it parsed, false when it was rejected with SipParseError. */
function processOne(input: Buffer, stream: boolean): boolean {
  let msg: SipMessage;
  try {
    msg = parseMessage(input, { stream });
  } catch (err) {
    if (err instanceof SipParseError) return false;
    throw err;
  }
  exercise(msg);
  exerciseFramer(input);
  return true;
}

/** CPU milliseconds (not wall time: time spent descheduled on a busy machine is not the parser's). */
function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

function timed(input: Buffer, stream: boolean): number {
  const started = process.cpuUsage();
  processOne(input, stream);
  return cpuMs(started);
}

export function runFuzz(seed: number, count: number, corpus: readonly Buffer[] = loadCorpus()): FuzzResult {
  const rand = mulberry32(seed);
  const failures: FuzzFailure[] = [];
  let parsed = 0;
  let rejected = 0;
  let slowestMs = 0;
  for (let index = 0; index < count && failures.length < 20; index++) {
    const input = mutate(rand, pick(rand, corpus));
    const stream = rand() < 0.3;
    const started = process.cpuUsage();
    try {
      if (processOne(input, stream)) parsed++;
      else rejected++;
    } catch (err) {
      failures.push({ index, input: input.toString('base64'), problem: String((err as Error)?.stack ?? err) });
      continue;
    }
    let elapsed = cpuMs(started);
    // A GC pause can stall any single input; an input only counts as hanging when it is over the
    // bound on every one of three more runs.
    if (elapsed > HANG_BOUND_MS) elapsed = Math.min(elapsed, timed(input, stream), timed(input, stream), timed(input, stream));
    slowestMs = Math.max(slowestMs, elapsed);
    if (elapsed > HANG_BOUND_MS) failures.push({ index, input: input.toString('base64'), problem: `took ${elapsed.toFixed(1)} ms` });
  }
  return { inputs: count, parsed, rejected, slowestMs, failures };
}

function argValue(flag: string, fallback: number): number {
  const i = process.argv.indexOf(flag);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value < 0) throw new Error(`${flag} needs a non-negative integer`);
  return value;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const seed = argValue('--seed', 42);
  const count = argValue('--count', 100000);
  const started = performance.now();
  const result = runFuzz(seed, count);
  const seconds = (performance.now() - started) / 1000;
  console.log(JSON.stringify({ seed, ...result, failures: result.failures.length, seconds: Number(seconds.toFixed(1)) }));
  for (const f of result.failures) console.log(`#${f.index}: ${f.problem}\n  input(base64): ${f.input}`);
  process.exitCode = result.failures.length === 0 ? 0 : 1;
}
