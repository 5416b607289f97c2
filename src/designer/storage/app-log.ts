import { EventEmitter } from 'node:events';
import { appendFileSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import type { ProjectSettings } from '../project/state.js';
import type { AppLog } from '../runtime/contract.js';
import type { DesignerWorkspace } from './workspace.js';

/** RVD rotates `rvdapp.log` once it is past this many bytes. */
export const LOG_ROTATE_BYTES = 300_000;
/** `rvdapp-1.log` (newest) to `rvdapp-3.log` (oldest). */
export const LOG_BACKUPS = 3;

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number): string => String(n).padStart(2, '0');

/** Java's `Date.toString()` (`EEE MMM dd HH:mm:ss zzz yyyy`), in UTC: `Tue Jun 19 10:00:00 UTC 2018`. */
export function javaDate(d: Date): string {
  const time = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${two(d.getUTCDate())} ${time} UTC ${d.getUTCFullYear()}`;
}

const GSON_ESCAPES: Readonly<Record<string, string>> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '=': '\\u003d', "'": '\\u0027' };

/** A string as Gson writes it by default: JSON-quoted, with the HTML-unsafe characters as `\u` escapes. */
export function gsonString(text: string): string {
  return JSON.stringify(text).replace(/[<>&=']/g, (c) => GSON_ESCAPES[c] ?? c);
}

/** RVD's line: `[date]`, then ` [TAG] ` per tag, then a space and the payload. */
export function formatLogLine(date: Date, tags: readonly string[], payload: string, raw: boolean): string {
  return `[${javaDate(date)}]${tags.map((t) => ` [${t}] `).join('')} ${raw ? payload : gsonString(payload)}\n`;
}

/**
 * The application logs of every project: appends with RVD's rotation, reads, truncates, and tells live
 * listeners (the UI's tail) each line written. Writes are synchronous, so two requests of one project
 * never interleave within a line or a rotation.
 */
export class ProjectLogs {
  private readonly lines = new EventEmitter();

  constructor(
    private readonly workspace: DesignerWorkspace,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.lines.setMaxListeners(0);
  }

  private file(sid: string, backup = 0): string {
    return join(this.workspace.projectDir(sid), backup === 0 ? 'rvdapp.log' : `rvdapp-${backup}.log`);
  }

  /** The project's log for one request: writes nothing unless `settings.logging` is on. */
  writer(sid: string, settings: ProjectSettings): AppLog {
    return {
      write: (tags, payload, options) => {
        if (settings.logging) this.append(sid, formatLogLine(this.now(), tags, payload, options?.raw === true));
      },
    };
  }

  private append(sid: string, line: string): void {
    mkdirSync(this.workspace.projectDir(sid), { recursive: true });
    const current = this.file(sid);
    if (sizeOf(current) > LOG_ROTATE_BYTES) {
      rmSync(this.file(sid, LOG_BACKUPS), { force: true });
      for (let n = LOG_BACKUPS - 1; n >= 1; n--) {
        if (sizeOf(this.file(sid, n)) >= 0) renameSync(this.file(sid, n), this.file(sid, n + 1));
      }
      renameSync(current, this.file(sid, 1));
    }
    appendFileSync(current, line);
    this.lines.emit(sid, line);
  }

  /** The current `rvdapp.log`; undefined when there is none. */
  read(sid: string): string | undefined {
    try {
      return readFileSync(this.file(sid), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  /** Empties the current file (the rotated ones stay, as in RVD); false when there is none. */
  truncate(sid: string): boolean {
    try {
      truncateSync(this.file(sid));
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
  }

  /** Calls `listener` with each line written from now on; returns the unsubscribe. */
  follow(sid: string, listener: (line: string) => void): () => void {
    this.lines.on(sid, listener);
    return () => this.lines.off(sid, listener);
  }
}

/** The file's size, -1 when it does not exist. */
function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return -1;
    throw err;
  }
}
