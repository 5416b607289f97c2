/**
 * Project validation and upgrade, as the routes call them on save and import. This is the minimal
 * version the API side needs (header, modules, known step kinds); the runtime's per-step validation
 * replaces it.
 */
import { PROJECT_VERSION, type ProjectKind, type ProjectState } from './state.js';

export interface ValidationItem {
  readonly level: 'error' | 'warning';
  readonly summary: string;
  /** JSON pointer of the offending value, e.g. `/nodes/0/steps/2/kind`. */
  readonly failurePath: string;
}

export type ValidationResult = { readonly ok: true; readonly state: ProjectState } | { readonly ok: false; readonly items: readonly ValidationItem[] };

/** RVD's step kinds (digest §2). */
export const STEP_KINDS: readonly string[] = [
  'say', 'play', 'gather', 'dial', 'record', 'redirect', 'hungup', 'reject', 'pause', 'sms', 'email', 'fax',
  'externalService', 'control', 'log', 'ussdSay', 'ussdCollect', 'ussdLanguage',
];

const KINDS: readonly ProjectKind[] = ['voice', 'sms', 'ussd'];

/** Versions this build upgrades: from 1.13 on only the version string changes (RVD `UpgradeService`). */
const UPGRADABLE = ['1.13', '1.14', PROJECT_VERSION];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The state in the current format; throws for a version it cannot upgrade. */
export function upgradeProject(state: unknown): ProjectState {
  const header = isObject(state) && isObject(state.header) ? state.header : undefined;
  const version = header?.version;
  if (typeof version !== 'string') throw new Error('the project has no header.version');
  if (!UPGRADABLE.includes(version)) throw new Error(`project version ${version} is not supported (this node upgrades ${UPGRADABLE.join(', ')})`);
  return { ...(state as unknown as ProjectState), header: { ...(header as unknown as ProjectState['header']), version: PROJECT_VERSION } };
}

export function validateProject(state: unknown): ValidationResult {
  const items: ValidationItem[] = [];
  const error = (failurePath: string, summary: string): void => {
    items.push({ level: 'error', summary, failurePath });
  };
  if (!isObject(state)) return { ok: false, items: [{ level: 'error', summary: 'the project state must be a JSON object', failurePath: '' }] };
  const header = state.header;
  if (!isObject(header)) error('/header', 'the project has no header');
  else {
    if (!KINDS.includes(header.projectKind as ProjectKind)) error('/header/projectKind', `projectKind must be one of ${KINDS.join(', ')}`);
    if (typeof header.startNodeName !== 'string' || header.startNodeName === '') error('/header/startNodeName', 'startNodeName must name a module');
    if (typeof header.version !== 'string') error('/header/version', 'version must be a string');
  }
  const nodes = state.nodes;
  const names = new Set<string>();
  if (!Array.isArray(nodes)) error('/nodes', 'nodes must be an array of modules');
  else {
    nodes.forEach((node: unknown, i) => {
      const at = `/nodes/${i}`;
      if (!isObject(node)) return error(at, `module ${i} must be an object`);
      if (typeof node.name !== 'string' || node.name === '') error(`${at}/name`, `module ${i} has no name`);
      else names.add(node.name);
      const label = typeof node.label === 'string' ? node.label : String(node.name);
      if (!Array.isArray(node.steps)) return error(`${at}/steps`, `module "${label}": steps must be an array`);
      node.steps.forEach((step: unknown, j) => {
        const stepAt = `${at}/steps/${j}`;
        if (!isObject(step)) return error(stepAt, `module "${label}", step ${j}: must be an object`);
        const stepName = typeof step.name === 'string' ? step.name : `#${j}`;
        if (typeof step.name !== 'string' || step.name === '') error(`${stepAt}/name`, `module "${label}", step ${j}: has no name`);
        if (typeof step.kind !== 'string' || !STEP_KINDS.includes(step.kind)) {
          error(`${stepAt}/kind`, `module "${label}", step ${stepName}: unknown kind ${JSON.stringify(step.kind ?? null)}`);
        }
      });
    });
  }
  if (isObject(header) && typeof header.startNodeName === 'string' && Array.isArray(nodes) && !names.has(header.startNodeName)) {
    error('/header/startNodeName', `startNodeName "${header.startNodeName}" is not a module of the project`);
  }
  for (const field of ['lastStepId', 'lastNodeId'] as const) {
    if (state[field] !== undefined && typeof state[field] !== 'number') error(`/${field}`, `${field} must be a number`);
  }
  return items.length === 0 ? { ok: true, state: state as unknown as ProjectState } : { ok: false, items };
}
