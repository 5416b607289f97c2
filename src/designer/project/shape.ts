/**
 * The structure every project state has, whatever its steps say: a header, modules with names, labels,
 * kinds and step lists, steps with a kind and a name. What is read here is what the `ProjectState` type
 * promises; the steps' own fields are checked by `validate.ts`.
 */
import { int, isRecord, type JsonRecord } from './json.js';
import type { ProjectKind, ProjectNode, ProjectState, StateHeader, Step } from './state.js';
import type { ValidationItem } from './steps/types.js';

export const PROJECT_KINDS: readonly ProjectKind[] = ['voice', 'sms', 'ussd'];

function isKind(value: unknown): value is ProjectKind {
  return typeof value === 'string' && (PROJECT_KINDS as readonly string[]).includes(value);
}

function header(value: unknown, items: ValidationItem[]): StateHeader | null {
  const err = (at: string, summary: string): null => {
    items.push({ level: 'error', summary, failurePath: `/header${at}` });
    return null;
  };
  if (!isRecord(value)) return err('', 'The project has no header');
  const { projectKind, startNodeName, version, owner } = value;
  if (!isKind(projectKind)) return err('/projectKind', 'The project kind must be voice, sms or ussd');
  if (typeof startNodeName !== 'string' || startNodeName === '') return err('/startNodeName', 'The project must name the module a call starts in (startNodeName)');
  if (typeof version !== 'string') return err('/version', 'The project header has no version');
  if (owner !== undefined && owner !== null && typeof owner !== 'string') return err('/owner', 'The owner must be an e-mail address or null');
  return { ...value, projectKind, startNodeName, version, owner: owner ?? null };
}

function step(value: unknown, at: string, items: ValidationItem[]): value is Step {
  if (!isRecord(value)) {
    items.push({ level: 'error', summary: 'A step must be an object', failurePath: at });
    return false;
  }
  let ok = true;
  if (typeof value.kind !== 'string' || value.kind === '') {
    items.push({ level: 'error', summary: 'A step has no kind', failurePath: `${at}/kind` });
    ok = false;
  }
  if (typeof value.name !== 'string' || value.name === '') {
    items.push({ level: 'error', summary: 'A step has no name', failurePath: `${at}/name` });
    ok = false;
  }
  return ok;
}

function node(value: unknown, at: string, items: ValidationItem[]): ProjectNode | null {
  const err = (field: string, summary: string): null => {
    items.push({ level: 'error', summary, failurePath: `${at}${field}` });
    return null;
  };
  if (!isRecord(value)) return err('', 'A module must be an object');
  const { name, label, kind, steps } = value;
  if (typeof name !== 'string' || name === '') return err('/name', 'A module has no name');
  if (typeof label !== 'string') return err('/label', `Module ${name} has no label`);
  if (!isKind(kind)) return err('/kind', `Module ${name}: the kind must be voice, sms or ussd`);
  if (!Array.isArray(steps)) return err('/steps', `Module ${name} has no list of steps`);
  const good = steps.filter((s, i) => step(s, `${at}/steps/${i}`, items));
  if (good.length !== steps.length) return null;
  return { ...value, name, label, kind, steps: good };
}

/** The highest N of the `step<N>` names, for a state that does not say its `lastStepId`. */
function highestStepId(nodes: readonly ProjectNode[]): number {
  let max = 0;
  for (const n of nodes) for (const s of n.steps) max = Math.max(max, Number(/^step(\d+)$/.exec(s.name)?.[1] ?? 0));
  return max;
}

/** The state read as a `ProjectState`, or null with `items` saying what is missing. */
export function readShape(value: unknown, items: ValidationItem[]): ProjectState | null {
  if (!isRecord(value)) {
    items.push({ level: 'error', summary: 'The project state must be a JSON object', failurePath: '/' });
    return null;
  }
  const h = header(value.header, items);
  if (!Array.isArray(value.nodes)) {
    items.push({ level: 'error', summary: 'The project has no list of modules (nodes)', failurePath: '/nodes' });
    return null;
  }
  const nodes = value.nodes.map((n, i) => node(n, `/nodes/${i}`, items));
  for (const field of ['lastStepId', 'lastNodeId', 'activeNode']) {
    if (value[field] !== undefined && value[field] !== null && int(value, field) === undefined) {
      items.push({ level: 'error', summary: `${field} must be a whole number`, failurePath: `/${field}` });
    }
  }
  if (h === null || items.length > 0) return null;
  const good = nodes.filter((n): n is ProjectNode => n !== null);
  const rest: JsonRecord = value;
  return {
    ...rest,
    header: h,
    nodes: good,
    lastStepId: int(value, 'lastStepId') ?? highestStepId(good),
    lastNodeId: int(value, 'lastNodeId') ?? Math.max(0, good.length - 1),
    ...(int(value, 'activeNode') === undefined ? {} : { activeNode: int(value, 'activeNode') }),
    ...(value.exceptionHandlingInfo === undefined ? {} : { exceptionHandlingInfo: value.exceptionHandlingInfo }),
  };
}
