import { randomBytes } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import type { DesignerWorkspace } from './workspace.js';

export type MediaType = 'wav' | 'mp3';

export const MEDIA_CONTENT_TYPES: Readonly<Record<MediaType, string>> = { wav: 'audio/x-wav', mp3: 'audio/mpeg' };

/** Letters, digits, `.`, `_`, `-` and spaces, not starting with a dot, ending in `.wav` or `.mp3` (any case). */
const NAME = /^[A-Za-z0-9_ -][A-Za-z0-9._ -]{0,127}\.(wav|mp3)$/i;

export type NameCheck = { readonly ok: true; readonly type: MediaType } | { readonly ok: false; readonly error: 'FILE_EXT_NOT_ALLOWED' | 'FILE_NAME_NOT_ALLOWED' };

/**
 * A media file name as stored: a plain name in `wavs/`, never a path (`/`, `\`, `..`, control characters
 * are refused, not rewritten, so the caller knows what name the file has).
 */
export function checkMediaName(name: string): NameCheck {
  const ext = /\.([^.]*)$/.exec(name)?.[1]?.toLowerCase();
  if (ext !== 'wav' && ext !== 'mp3') return { ok: false, error: 'FILE_EXT_NOT_ALLOWED' };
  if (!NAME.test(name) || name.includes('..')) return { ok: false, error: 'FILE_NAME_NOT_ALLOWED' };
  return { ok: true, type: ext };
}

/** True when the bytes really are audio of that type (RIFF/WAVE, or MPEG audio layer III with or without ID3). */
export async function isAudioOfType(data: Uint8Array, type: MediaType): Promise<boolean> {
  const found = await fileTypeFromBuffer(data);
  return found?.ext === type;
}

/** The media files of one project, flat in its `wavs/` folder. */
export class ProjectMedia {
  constructor(private readonly workspace: DesignerWorkspace) {}

  async list(sid: string): Promise<string[]> {
    try {
      const entries = await readdir(this.workspace.mediaDir(sid), { withFileTypes: true });
      return entries.filter((e) => e.isFile() && checkMediaName(e.name).ok).map((e) => e.name).sort();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }

  /** Every file with its bytes (the archive). */
  async readAll(sid: string): Promise<{ readonly name: string; readonly data: Buffer }[]> {
    const dir = this.workspace.mediaDir(sid);
    return Promise.all((await this.list(sid)).map(async (name) => ({ name, data: await readFile(join(dir, name)) })));
  }

  /** Writes (or replaces) a file whose name passed `checkMediaName`; readers never see half a file. */
  async write(sid: string, name: string, data: Uint8Array): Promise<void> {
    const dir = this.workspace.mediaDir(sid);
    await mkdir(dir, { recursive: true });
    const partial = join(dir, `.upload-${randomBytes(8).toString('hex')}`);
    await writeFile(partial, data);
    await rename(partial, join(dir, name));
  }

  /** The file to stream and its size; undefined when there is none. */
  async open(sid: string, name: string): Promise<{ readonly stream: ReadStream; readonly size: number } | undefined> {
    if (!checkMediaName(name).ok) return undefined;
    const path = join(this.workspace.mediaDir(sid), name);
    try {
      const info = await stat(path);
      if (!info.isFile()) return undefined;
      return { stream: createReadStream(path), size: info.size };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  /** False when there was no such file. */
  async remove(sid: string, name: string): Promise<boolean> {
    if (!checkMediaName(name).ok) return false;
    try {
      await unlink(join(this.workspace.mediaDir(sid), name));
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
  }
}
