import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, freePortRange } from './net.js';
import { makeRunDir, startProcess, type ManagedProcess } from './process.js';

export interface SippOptions {
  /** Path to a scenario XML file (-sf), or one of SIPp's embedded scenarios (-sn). */
  scenario: { file: string } | { builtin: 'uac' | 'uas' | 'regexp' | 'branchc' | 'branchs' | 'uac_pcap' | 'ooc_default' };
  /** host:port of the peer; omit for a UAS that only answers. */
  remote?: string;
  /** Total calls before SIPp exits (-m); 1 by default. */
  calls?: number;
  /** Local SIP port (-p); a free one when absent. */
  localPort?: number;
  /** Request-URI user (-s). */
  service?: string;
  /** Scenario variables (-set NAME VALUE). */
  vars?: Record<string, string>;
  /** Digest credentials (-au/-ap) and, when the digest uri must be the Request-URI, -auth_uri. */
  auth?: { user: string; password: string; uri?: string };
  /** CSV injection file (-inf). */
  injectionFile?: string;
  /** Upper bound on every <recv> (-recv_timeout), 5 s by default. */
  recvTimeoutMs?: number;
  /** SIPp's own global timeout (-timeout, with -timeout_error so reaching it counts as failure). */
  timeoutSec?: number;
  /** Echo received RTP back (-rtp_echo). */
  rtpEcho?: boolean;
  /** Hard deadline for the process (killed after it), 30 s by default. */
  deadlineMs?: number;
  /** Appended verbatim, for the options not covered here (-r, -l, -rate_max, ...). */
  extraArgs?: string[];
  /** Label for the run folder and log. */
  name?: string;
}

export interface SippResult {
  /** SIPp's exit code: 0 all calls succeeded, 1 some failed, 97/99 see the SIPp manual, -1/-2 fatal. */
  exitCode: number | null;
  successful: number;
  failed: number;
  /** Every SIP message sent and received (-trace_msg). */
  messages: string;
  /** Unexpected messages and errors (-trace_err). */
  errors: string;
  /** What SIPp printed on stdout/stderr. */
  output: string;
  dir: string;
}

export interface SippRun {
  process: ManagedProcess;
  /** The local SIP port (-p). */
  port: number;
  /** The first local media port (-mp); SIPp uses it and the port two above it. */
  mediaPort: number;
  dir: string;
  /** Waits for SIPp to exit by itself and reads its results. */
  result(): Promise<SippResult>;
  /** Stops SIPp (SIGTERM, then SIGKILL) and reads its results. */
  stop(): Promise<SippResult>;
}

function readIfExists(path: string): string {
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
}

/** Cumulative successful/failed call counts from the last row of SIPp's -trace_stat CSV. */
export function parseSippStats(csv: string): { successful: number; failed: number } {
  const rows = csv.split('\n').filter((l) => l.trim() !== '');
  const header = rows[0]?.split(';') ?? [];
  const last = rows.length > 1 ? rows[rows.length - 1]?.split(';') ?? [] : [];
  const field = (name: string): number => {
    const i = header.indexOf(name);
    const v = i >= 0 ? Number(last[i]) : NaN;
    return Number.isFinite(v) ? v : 0;
  };
  return { successful: field('SuccessfulCall(C)'), failed: field('FailedCall(C)') };
}

/** Starts SIPp in the background with tracing into its own folder. */
export async function startSipp(opts: SippOptions): Promise<SippRun> {
  const name = opts.name ?? ('file' in opts.scenario ? 'sipp' : `sipp-${opts.scenario.builtin}`);
  const dir = makeRunDir(name);
  const port = opts.localPort ?? (await freePort());
  // SIPp binds -mp and -mp+2 (audio, video) and a control port (8888 on all interfaces otherwise).
  const mediaPort = await freePortRange(4);
  const controlPort = await freePort();
  const files = {
    stat: join(dir, 'stat.csv'),
    messages: join(dir, 'messages.log'),
    errors: join(dir, 'errors.log'),
  };
  const args = [
    ...('file' in opts.scenario ? ['-sf', opts.scenario.file] : ['-sn', opts.scenario.builtin]),
    ...(opts.remote ? [opts.remote] : []),
    '-i', '127.0.0.1',
    '-p', String(port),
    '-mp', String(mediaPort),
    '-cp', String(controlPort),
    '-m', String(opts.calls ?? 1),
    '-nostdin',
    '-recv_timeout', String(opts.recvTimeoutMs ?? 5000),
    '-trace_stat', '-stf', files.stat,
    '-trace_msg', '-message_file', files.messages,
    '-trace_err', '-error_file', files.errors,
  ];
  if (opts.service !== undefined) args.push('-s', opts.service);
  for (const [k, v] of Object.entries(opts.vars ?? {})) args.push('-set', k, v);
  if (opts.auth) {
    args.push('-au', opts.auth.user, '-ap', opts.auth.password);
    if (opts.auth.uri !== undefined) args.push('-auth_uri', opts.auth.uri);
  }
  if (opts.injectionFile !== undefined) args.push('-inf', opts.injectionFile);
  if (opts.timeoutSec !== undefined) args.push('-timeout', `${opts.timeoutSec}s`, '-timeout_error');
  if (opts.rtpEcho) args.push('-rtp_echo');
  args.push(...(opts.extraArgs ?? []));

  const proc = startProcess({ name, command: 'sipp', args, dir, deadlineMs: opts.deadlineMs ?? 30_000, stdin: 'ignore' });
  const collect = (exitCode: number | null): SippResult => ({
    exitCode,
    ...parseSippStats(readIfExists(files.stat)),
    messages: readIfExists(files.messages),
    errors: readIfExists(files.errors),
    output: proc.output(),
    dir,
  });
  return {
    process: proc,
    port,
    mediaPort,
    dir,
    result: async () => collect((await proc.exited).code),
    stop: async () => collect((await proc.stop()).code),
  };
}

/** Runs a SIPp scenario to its end and returns its results. */
export async function runSipp(opts: SippOptions): Promise<SippResult> {
  return (await startSipp(opts)).result();
}

/**
 * Starts a SIPp UAS (the embedded `uas` scenario unless another is given) and waits until it
 * listens, so a peer can call `127.0.0.1:<port>` right away. A free port can be taken by another
 * program before SIPp binds it; then SIPp exits at once and the UAS is retried on a new port.
 */
export async function startSippUas(opts: Partial<SippOptions> = {}): Promise<SippRun> {
  const attempts = opts.localPort === undefined ? 3 : 1;
  for (let attempt = 1; ; attempt++) {
    const run = await startSipp({ ...opts, scenario: opts.scenario ?? { builtin: 'uas' }, name: opts.name ?? 'sipp-uas' });
    try {
      await waitUntilListening(run);
      return run;
    } catch (err) {
      await run.stop();
      if (attempt >= attempts || !/Unable to bind main socket/.test(run.process.output())) throw err;
    }
  }
}

/** PIDs of the children of `pid` (SIPp runs under timeout(1), whose PID is the one we know). */
function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Socket inodes of the UDP sockets bound to 127.0.0.1:`port`, from /proc/net/udp. */
function udpInodes(port: number): Set<string> {
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const inodes = new Set<string>();
  for (const line of readFileSync('/proc/net/udp', 'utf8').split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    if (cols[1] === local && cols[9] !== undefined) inodes.add(cols[9]);
  }
  return inodes;
}

/** True when SIPp itself (not some other program) holds the UDP port. */
function sippHoldsPort(run: SippRun): boolean {
  const inodes = udpInodes(run.port);
  if (inodes.size === 0) return false;
  for (const pid of childPids(run.process.pid)) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m?.[1] !== undefined && inodes.has(m[1])) return true;
      } catch {
        // The descriptor closed while we looked.
      }
    }
  }
  return false;
}

/** SIPp prints nothing when it is ready, so poll until its process owns the UDP port. */
async function waitUntilListening(run: SippRun): Promise<void> {
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    if (!run.process.running) throw run.process.failure('exited before listening');
    if (sippHoldsPort(run)) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw run.process.failure(`did not bind UDP ${run.port} within 5000 ms`);
}
