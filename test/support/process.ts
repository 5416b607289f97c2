import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';

/** Where every client run keeps its folder (configs, logs, FIFOs, recordings); kept after the run for post-mortems. */
export const RUNS_ROOT = join(tmpdir(), 'dialtone-clients');

const STALE_RUN_MS = 24 * 3600 * 1000;
const MAX_BUFFERED_CHARS = 4 * 1024 * 1024;
const TAIL_LINES = 50;

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface StartOptions {
  /** Short label, used for the run folder and the log file name. */
  name: string;
  command: string;
  args: string[];
  /** The process is killed by `timeout(1)` after this long, even if this Node process dies first. */
  deadlineMs: number;
  /** Run folder to use; a fresh one under RUNS_ROOT when absent. */
  dir?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** 'pipe' keeps stdin open for write(); 'ignore' gives the child /dev/null. */
  stdin?: 'pipe' | 'ignore';
}

let pruned = false;

/** Removes run folders older than a day, so kept logs do not pile up forever. */
function pruneStaleRuns(): void {
  if (pruned) return;
  pruned = true;
  const now = Date.now();
  for (const entry of readdirSync(RUNS_ROOT)) {
    const path = join(RUNS_ROOT, entry);
    try {
      if (now - statSync(path).mtimeMs > STALE_RUN_MS) rmSync(path, { recursive: true, force: true });
    } catch {
      // Another test process may be pruning the same folder at the same moment.
    }
  }
}

/** A fresh private folder for one client run. */
export function makeRunDir(name: string): string {
  mkdirSync(RUNS_ROOT, { recursive: true });
  pruneStaleRuns();
  return mkdtempSync(join(RUNS_ROOT, `${name.replace(/[^A-Za-z0-9_-]/g, '_')}-`));
}

const running = new Set<ManagedProcess>();

/** Stops every process started through this module that is still running. */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((p) => p.stop()));
}

after(stopAll);
process.on('exit', () => {
  for (const p of running) p.killNow();
});

export class ManagedProcess {
  readonly name: string;
  readonly dir: string;
  readonly logPath: string;
  readonly pid: number;
  /** Resolves once the process has exited, with its code or the signal that ended it. */
  readonly exited: Promise<ExitInfo>;
  private readonly child: ChildProcess;
  private readonly log: WriteStream;
  private buffer = '';
  private dropped = 0;
  private exitInfo: ExitInfo | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(opts: StartOptions) {
    this.name = opts.name;
    this.dir = opts.dir ?? makeRunDir(opts.name);
    this.logPath = join(this.dir, `${opts.name}.log`);
    this.log = createWriteStream(this.logPath);
    const seconds = Math.max(1, Math.ceil(opts.deadlineMs / 1000));
    // timeout(1) is the hard deadline that survives a crash of the test runner; -k escalates to SIGKILL.
    this.child = spawn('timeout', ['-k', '2', String(seconds), opts.command, ...opts.args], {
      cwd: opts.cwd ?? this.dir,
      env: opts.env ?? process.env,
      stdio: [opts.stdin ?? 'pipe', 'pipe', 'pipe'],
    });
    if (this.child.pid === undefined) throw new Error(`could not start ${opts.command}`);
    this.pid = this.child.pid;
    this.log.write(`$ ${opts.command} ${opts.args.join(' ')}\n`);
    this.child.stdout?.setEncoding('utf8').on('data', (d: string) => this.append(d));
    this.child.stderr?.setEncoding('utf8').on('data', (d: string) => this.append(d));
    // A child that exits while we write must not crash the test with EPIPE.
    this.child.stdin?.on('error', () => undefined);
    this.exited = new Promise<ExitInfo>((resolve) => {
      this.child.once('error', (err) => this.append(`[spawn error] ${err.message}\n`));
      this.child.once('close', (code, signal) => {
        const info = { code, signal };
        this.exitInfo = info;
        running.delete(this);
        this.notify();
        // Resolve only once the log is on disk, so a test may read it right after the exit.
        this.log.end(`[exit] code=${code} signal=${signal}\n`, () => resolve(info));
      });
    });
    running.add(this);
  }

  private append(text: string): void {
    this.log.write(text);
    this.buffer += text;
    if (this.buffer.length > MAX_BUFFERED_CHARS) {
      const cut = this.buffer.length - MAX_BUFFERED_CHARS / 2;
      this.buffer = this.buffer.slice(cut);
      this.dropped += cut;
    }
    this.notify();
  }

  private notify(): void {
    for (const l of [...this.listeners]) l();
  }

  get running(): boolean {
    return this.exitInfo === null;
  }

  /** The output (stdout and stderr interleaved) seen so far, or since a mark(). */
  output(since = 0): string {
    return this.buffer.slice(Math.max(0, since - this.dropped));
  }

  /** A position in the output; pass it to waitFor() to ignore what came before. */
  mark(): number {
    return this.dropped + this.buffer.length;
  }

  /** The last lines of output; \r counts as a line break because baresip redraws its status line with it. */
  tail(lines = TAIL_LINES): string {
    const all = this.buffer.split(/\r?\n|\r/).filter((l) => l.trim() !== '');
    // baresip echoes typed commands one keystroke at a time; keep only the complete line.
    const kept = all.filter((l, i) => !(all[i + 1]?.startsWith(l) ?? false));
    return kept.slice(-lines).join('\n');
  }

  write(text: string): void {
    if (!this.child.stdin || !this.running) throw new Error(`${this.name} (pid ${this.pid}) is not accepting input`);
    this.log.write(`[stdin] ${text}`);
    this.child.stdin.write(text);
  }

  /**
   * Resolves with the first match of `re` in the output after `since`. Rejects when the deadline
   * passes or the process exits first, with the last lines of its output and its log path.
   */
  waitFor(re: RegExp, deadlineMs: number, since = 0): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const m = this.output(since).match(re);
        if (m) {
          finish();
          resolve(m);
          return true;
        }
        if (!this.running) {
          finish();
          reject(this.failure(`exited (${JSON.stringify(this.exitInfo)}) before printing ${re}`));
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        finish();
        reject(this.failure(`did not print ${re} within ${deadlineMs} ms`));
      }, deadlineMs);
      const listener = (): void => void check();
      const finish = (): void => {
        clearTimeout(timer);
        this.listeners.delete(listener);
      };
      this.listeners.add(listener);
      check();
    });
  }

  /** An error naming the process, its log file and the last lines it printed. */
  failure(what: string): Error {
    return new Error(`${this.name} (pid ${this.pid}) ${what}\nlog: ${this.logPath}\n--- last ${TAIL_LINES} lines ---\n${this.tail()}`);
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves with how it exited. */
  async stop(graceMs = 2000): Promise<ExitInfo> {
    if (this.exitInfo) return this.exitInfo;
    this.signal('SIGTERM');
    const timer = setTimeout(() => this.signal('SIGKILL'), graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Synchronous last resort for process exit: kill the whole group timeout(1) leads. */
  killNow(): void {
    this.signal('SIGKILL');
  }

  private signal(sig: NodeJS.Signals): void {
    if (!this.running) return;
    try {
      // timeout(1) makes itself a process-group leader, so the negative PID reaches the client too.
      process.kill(-this.pid, sig);
    } catch {
      try {
        process.kill(this.pid, sig);
      } catch {
        // Already gone between the check and the kill.
      }
    }
  }
}

export function startProcess(opts: StartOptions): ManagedProcess {
  return new ManagedProcess(opts);
}
