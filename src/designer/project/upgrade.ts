/**
 * Older project states brought to the current format (RVD `UpgradeService`). The accepted versions are
 * RVD's version path; the state changes only across 1.0 (the rvd714 layout) and 1.6 (menu keys become
 * text); every other step only rewrites the version.
 */
import { isRecord, type JsonRecord } from './json.js';
import { readShape } from './shape.js';
import { PROJECT_VERSION, type ProjectState } from './state.js';
import type { ValidationItem } from './steps/types.js';

/** RVD's `versionPath`, oldest first; `rvd714` is a state without a header. */
export const VERSION_PATH = ['rvd714', '1.0', '1.1', '1.2', '1.3', '1.4', '1.5', '1.6', '1.7', '1.8', '1.9', '1.10', '1.11', '1.12', '1.13', '1.14', '1.15'] as const;

/** A version outside the path; the API answers 400 `UnsupportedProjectVersion`. */
export class UnsupportedProjectVersion extends Error {
  constructor(readonly version: string) {
    super(`Unsupported project version ${version}; this node reads ${VERSION_PATH.join(', ')}`);
    this.name = 'UnsupportedProjectVersion';
  }
}

/** A state whose structure is not a project's even once upgraded (no modules, a step without a kind...). */
export class MalformedProjectState extends Error {
  constructor(readonly items: readonly ValidationItem[]) {
    super(`The project state is malformed: ${items.map((i) => `${i.failurePath}: ${i.summary}`).join('; ')}`);
    this.name = 'MalformedProjectState';
  }
}

type Json = Record<string, unknown>;

const present = (v: unknown): boolean => v !== undefined && v !== null && v !== '';

/** rvd714 steps were flat; from 1.0 the options live in sub-objects and a Dial has a list of nouns. */
function upgradeStep714(source: unknown): unknown {
  if (!isRecord(source)) return source;
  const { name, kind, label, title } = source;
  const base: Json = { name, kind, label, title, iface: {} };
  const copy = (fields: readonly string[]): Json => {
    const out: Json = { ...base };
    for (const f of fields) if (present(source[f])) out[f] = source[f];
    return out;
  };
  switch (kind) {
    case 'say':
      return { ...copy(['voice', 'language']), phrase: source.phrase, ...(typeof source.loop === 'number' ? { loop: source.loop } : {}) };
    case 'play':
      return {
        ...copy(['playType']),
        ...(typeof source.loop === 'number' ? { loop: source.loop } : {}),
        remote: { wavUrl: typeof source.wavUrl === 'string' ? source.wavUrl : '' },
        local: { wavLocalFilename: typeof source.wavLocalFilename === 'string' ? source.wavLocalFilename : '' },
      };
    case 'gather':
      return {
        ...copy(['method', 'finishOnKey', 'gatherType']),
        ...(typeof source.timeout === 'number' ? { timeout: source.timeout } : {}),
        ...(typeof source.numDigits === 'number' ? { numDigits: source.numDigits } : {}),
        collectdigits: { next: source.next, collectVariable: source.collectVariable, scope: 'module' },
        menu: { mappings: source.mappings },
        steps: named714(source).map(upgradeStep714),
      };
    case 'dial': {
      const type = typeof source.dialType === 'string' ? source.dialType : 'number';
      return { ...base, dialNouns: [{ dialType: type, destination: source[type] }] };
    }
    case 'redirect':
      return copy(['url', 'method']);
    case 'hungup':
      return base;
    case 'reject':
      return copy(['reason']);
    case 'pause':
      return { ...base, ...(typeof source.length === 'number' ? { length: source.length } : {}) };
    case 'record':
      return { ...copy(['method', 'timeout', 'finishOnKey', 'maxLength', 'transcribe', 'transcribeCallback', 'playBeep']), next: present(source.next) ? source.next : null };
    case 'externalService': {
      const { nextVariable: _dropped, ...rest } = source;
      return { ...rest, iface: {} };
    }
    case 'sms':
    case 'email':
    case 'fax':
      return { ...source, next: present(source.next) ? source.next : null, iface: {} };
    default:
      return source;
  }
}

/** The steps of an rvd714 container, in `stepnames` order (they were kept in an object by name). */
function named714(container: JsonRecord): unknown[] {
  const byName = isRecord(container.steps) ? container.steps : {};
  return Array.isArray(container.stepnames) ? container.stepnames.map((n) => byName[String(n)]) : [];
}

function upgrade714(source: JsonRecord): Json {
  const nodes = Array.isArray(source.nodes) ? source.nodes : [];
  return {
    lastStepId: source.lastStepId,
    lastNodeId: source.lastNodeId,
    header: { projectKind: 'voice', version: '1.0', startNodeName: source.startNodeName, owner: null },
    nodes: nodes.map((n) => (isRecord(n) ? { name: n.name, label: n.label, kind: 'voice', iface: {}, steps: named714(n).map(upgradeStep714) } : n)),
  };
}

/** Before 1.6 a menu key could be a number; from 1.6 it is text. */
function menuKeysAsText(state: Json): Json {
  const nodes = Array.isArray(state.nodes) ? state.nodes : [];
  return {
    ...state,
    nodes: nodes.map((n) => {
      if (!isRecord(n) || n.kind !== 'voice' || !Array.isArray(n.steps)) return n;
      return {
        ...n,
        steps: n.steps.map((s) => {
          if (!isRecord(s) || s.kind !== 'gather' || !isRecord(s.menu) || !Array.isArray(s.menu.mappings)) return s;
          const mappings = s.menu.mappings.map((m) => (isRecord(m) && typeof m.digits === 'number' ? { ...m, digits: String(m.digits) } : m));
          return { ...s, menu: { ...s.menu, mappings } };
        }),
      };
    }),
  };
}

/** The version a state says it is: `rvd714` for a state without a header (RVD's assumption too). */
function versionOf(state: JsonRecord): string {
  if (!isRecord(state.header)) return 'rvd714';
  return typeof state.header.version === 'string' ? state.header.version : String(state.header.version);
}

/**
 * A state of any version on RVD's path, as a state of the current version. Throws
 * `UnsupportedProjectVersion` for another version and `MalformedProjectState` for a state that lacks a
 * project's structure; the steps' fields are left to `validateProject`.
 */
export function upgradeProject(state: unknown): ProjectState {
  if (!isRecord(state)) throw new MalformedProjectState([{ level: 'error', summary: 'The project state must be a JSON object', failurePath: '/' }]);
  const version = versionOf(state);
  const at = (VERSION_PATH as readonly string[]).indexOf(version);
  if (at < 0) throw new UnsupportedProjectVersion(version);
  let upgraded: Json = version === 'rvd714' ? upgrade714(state) : { ...state };
  if (at < VERSION_PATH.indexOf('1.6')) upgraded = menuKeysAsText(upgraded);
  const header = isRecord(upgraded.header) ? upgraded.header : {};
  upgraded = { ...upgraded, header: { ...header, version: PROJECT_VERSION } };
  const items: ValidationItem[] = [];
  const shaped = readShape(upgraded, items);
  if (shaped === null) throw new MalformedProjectState(items);
  return shaped;
}
