/**
 * Validation of a project state on save (RVD `ProjectHelper.validateProject`: its schema, then each step's
 * `validate()`): the structure (`shape.ts`), then every step against its kind's field table and checks
 * (`steps/`), then the references between modules. Each item names the step and field by its path in the
 * state, e.g. `/nodes/1/steps/0/dialNouns`.
 */
import { isRecord, type JsonRecord } from './json.js';
import { readShape } from './shape.js';
import { PROJECT_VERSION, type ProjectKind, type ProjectState } from './state.js';
import type { FieldSpec } from './steps/fields.js';
import { stepKind, STEP_KINDS } from './steps/index.js';
import type { StepKind, ValidationItem, ValidationScope } from './steps/types.js';

export type { ValidationItem } from './steps/types.js';
export { upgradeProject, UnsupportedProjectVersion, MalformedProjectState } from './upgrade.js';

export type ValidationResult =
  | { readonly ok: true; readonly state: ProjectState }
  | { readonly ok: false; readonly items: readonly ValidationItem[] };

/** Why a present value does not fit its field, or null when it does. */
function fieldProblem(value: unknown, spec: FieldSpec, modules: ReadonlySet<string>): string | null {
  const t = spec.type;
  switch (t.kind) {
    case 'string':
      if (typeof value !== 'string') return 'must be text';
      return t.pattern !== undefined && !t.pattern.test(value) ? `must be ${t.patternText}` : null;
    case 'integer':
      return Number.isInteger(value) && (value as number) >= t.min ? null : `must be a whole number of at least ${t.min}`;
    case 'boolean':
      return typeof value === 'boolean' ? null : 'must be true or false';
    case 'enum':
      return typeof value === 'string' && t.values.includes(value) ? null : `must be one of ${t.values.filter((v) => v !== '').join(', ')}`;
    case 'module':
      if (typeof value !== 'string') return 'must name a module';
      return value === '' || modules.has(value) ? null : `names the module ${value}, which does not exist`;
    case 'array':
      return Array.isArray(value) ? null : 'must be a list';
    case 'object':
      return isRecord(value) ? null : 'must be an object';
  }
}

/** Empty text counts as "not set" for optional choices and references (the editor leaves them so). */
function unset(value: unknown, spec: FieldSpec): boolean {
  if (value === undefined || value === null) return true;
  return value === '' && !spec.required && (spec.type.kind === 'enum' || spec.type.kind === 'module');
}

class Checker {
  readonly items: ValidationItem[] = [];
  private readonly modules: ReadonlySet<string>;

  constructor(private readonly state: ProjectState) {
    this.modules = new Set(state.nodes.map((n) => n.name));
  }

  private error(failurePath: string, summary: string): void {
    this.items.push({ level: 'error', summary, failurePath });
  }

  run(): void {
    const { header, nodes } = this.state;
    if (header.version !== PROJECT_VERSION) {
      this.error('/header/version', `The project is version ${header.version}; this node keeps ${PROJECT_VERSION} (upgrade it first)`);
    }
    if (!this.modules.has(header.startNodeName)) this.error('/header/startNodeName', `The start module ${header.startNodeName} does not exist`);
    const moduleSeen = new Set<string>();
    const stepSeen = new Set<string>();
    nodes.forEach((node, i) => {
      if (moduleSeen.has(node.name)) this.error(`/nodes/${i}/name`, `Two modules are named ${node.name}`);
      moduleSeen.add(node.name);
      if (node.kind !== header.projectKind) this.error(`/nodes/${i}/kind`, `Module ${node.label || node.name} is a ${node.kind} module in a ${header.projectKind} project`);
      node.steps.forEach((step, j) => {
        const at = `/nodes/${i}/steps/${j}`;
        if (stepSeen.has(step.name)) this.error(`${at}/name`, `Two steps are named ${step.name}`);
        stepSeen.add(step.name);
        this.step(step, at, node.name, header.projectKind, null);
      });
    });
  }

  /** One step: its kind, its field table, its kind's own checks. `only` restricts the kinds (nested steps). */
  step(step: JsonRecord, at: string, moduleName: string, projectKind: ProjectKind, only: readonly string[] | null): void {
    const kindName = typeof step.kind === 'string' ? step.kind : '';
    const kind = stepKind(kindName);
    if (kind === undefined) {
      this.error(`${at}/kind`, `Unknown step kind ${JSON.stringify(step.kind)}; known kinds: ${Object.keys(STEP_KINDS).join(', ')}`);
      return;
    }
    if (only !== null && !only.includes(kind.kind)) {
      this.error(`${at}/kind`, `A ${kind.title} step cannot be used here; expected ${only.join(' or ')}`);
      return;
    }
    if (!kind.projects.includes(projectKind)) {
      this.error(`${at}/kind`, `A ${kind.title} step cannot run in a ${projectKind} project`);
      return;
    }
    this.fields(kind, step, at);
    kind.validate?.(step, this.scope(at, moduleName, projectKind));
  }

  private fields(kind: StepKind, step: JsonRecord, at: string): void {
    for (const [name, spec] of Object.entries(kind.fields)) {
      const value = step[name];
      if (unset(value, spec)) {
        if (spec.required) this.error(`${at}/${name}`, `${kind.title} step: ${name} is required`);
        continue;
      }
      const problem = fieldProblem(value, spec, this.modules);
      if (problem !== null) this.error(`${at}/${name}`, `${kind.title} step: ${name} ${problem}`);
    }
  }

  private scope(path: string, moduleName: string, projectKind: ProjectKind): ValidationScope {
    return {
      path,
      moduleName,
      projectKind,
      error: (field, summary) => this.error(`${path}/${field}`, summary),
      module: (field, value, required) => {
        if (value === undefined || value === null || value === '') {
          if (required) this.error(`${path}/${field}`, 'Choose the module to continue with');
        } else if (typeof value !== 'string' || !this.modules.has(value)) {
          this.error(`${path}/${field}`, `The module ${String(value)} does not exist`);
        }
      },
      nested: (field, value, kinds) => {
        if (!isRecord(value)) this.error(`${path}/${field}`, `Expected a ${kinds.join(' or ')} step`);
        else this.step(value, `${path}/${field}`, moduleName, projectKind, kinds);
      },
    };
  }
}

/**
 * Checks a project state of the current version (`upgradeProject` brings older ones to it). `ok: false`
 * lists every error found; nothing is thrown for any input.
 */
export function validateProject(state: unknown): ValidationResult {
  const items: ValidationItem[] = [];
  const shaped = readShape(state, items);
  if (shaped === null) return { ok: false, items };
  const checker = new Checker(shaped);
  checker.run();
  return checker.items.some((i) => i.level === 'error') ? { ok: false, items: checker.items } : { ok: true, state: shaped };
}
