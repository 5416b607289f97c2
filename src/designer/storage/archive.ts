import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { checkMediaName } from './media.js';

/** What a project archive holds, in RVD's layout: `state`, `settings`, `parameters`, `cc`, `wavs/<file>`. */
export interface ProjectArchive {
  readonly state: unknown;
  readonly settings: unknown;
  /** RVD's `parameters` file: `{"parameters":[...]}`. */
  readonly parameters: unknown;
  readonly webTrigger: unknown;
  readonly media: readonly { readonly name: string; readonly data: Uint8Array }[];
}

export class ArchiveError extends Error {}

/** Bytes an archive may unpack to in total (a zip bomb stops here, not in memory). */
const MAX_UNPACKED = 64 * 1024 * 1024;

export function packProject(archive: ProjectArchive): Uint8Array {
  const json = (v: unknown): Uint8Array => strToU8(JSON.stringify(v));
  const files: Zippable = { state: json(archive.state) };
  if (archive.settings !== null && archive.settings !== undefined) files.settings = json(archive.settings);
  files.parameters = json(archive.parameters);
  if (archive.webTrigger !== null && archive.webTrigger !== undefined) files.cc = json(archive.webTrigger);
  const wavs: Zippable = {};
  for (const m of archive.media) wavs[m.name] = [m.data, { level: 0 }];
  files.wavs = wavs;
  return zipSync(files);
}

function parseJson(name: string, data: Uint8Array | undefined): unknown {
  if (data === undefined) return undefined;
  try {
    return JSON.parse(strFromU8(data)) as unknown;
  } catch (err) {
    throw new ArchiveError(`the archive's ${name} is not JSON: ${(err as Error).message}`);
  }
}

/**
 * Reads an archive exported by RVD or by Dialtone: the files at its root or inside one top-level folder.
 * Media names are checked like uploads; anything else in it is ignored.
 */
export function unpackProject(zip: Uint8Array, maxMediaBytes: number): ProjectArchive {
  let total = 0;
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(zip, {
      filter: (file) => {
        total += file.originalSize;
        if (total > MAX_UNPACKED) throw new ArchiveError(`the archive unpacks to more than ${MAX_UNPACKED} bytes`);
        return !file.name.endsWith('/');
      },
    });
  } catch (err) {
    if (err instanceof ArchiveError) throw err;
    throw new ArchiveError(`not a zip archive: ${(err as Error).message}`);
  }
  const names = Object.keys(entries);
  const stateName = names.find((n) => n === 'state') ?? names.find((n) => /^[^/]+\/state$/.test(n));
  if (stateName === undefined) throw new ArchiveError('the archive has no project state (a file named "state")');
  const base = stateName.slice(0, -'state'.length);
  const media: { name: string; data: Uint8Array }[] = [];
  for (const [path, data] of Object.entries(entries)) {
    if (!path.startsWith(`${base}wavs/`)) continue;
    const name = path.slice(`${base}wavs/`.length);
    const check = checkMediaName(name);
    if (!check.ok) throw new ArchiveError(`media file "${name}" in the archive: ${check.error}`);
    if (data.length > maxMediaBytes) throw new ArchiveError(`media file "${name}" in the archive is larger than ${maxMediaBytes} bytes`);
    media.push({ name, data });
  }
  return {
    state: parseJson('state', entries[stateName]),
    settings: parseJson('settings', entries[`${base}settings`]),
    parameters: parseJson('parameters', entries[`${base}parameters`]),
    webTrigger: parseJson('cc', entries[`${base}cc`]),
    media,
  };
}
