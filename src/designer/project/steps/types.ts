/**
 * What a step kind declares, as an RCML verb does (`src/rcml/verbs/`): its JSON fields, its checks, the
 * RCML it renders, what it does while its module is rendered (External Service, Control, Log) and how
 * it handles the action a verb sends back. The runtime drives steps through `StepRuntime`, which it
 * implements; validation through `ValidationScope`, which `validate.ts` implements.
 */
import type { ProjectKind, Step } from '../state.js';
import type { JsonRecord } from '../json.js';
import type { FieldSpec } from './fields.js';
import type { RcmlElement } from './rcml-element.js';

export interface ValidationItem {
  readonly level: 'error' | 'warning';
  readonly summary: string;
  /** JSON-pointer-like path into the state, e.g. `/nodes/1/steps/0/dialNouns`. */
  readonly failurePath: string;
}

/** One step being validated: where it is, and what it may refer to. */
export interface ValidationScope {
  /** `/nodes/<i>/steps/<j>` (or the path of a nested step). */
  readonly path: string;
  /** The name of the module the step belongs to. */
  readonly moduleName: string;
  readonly projectKind: ProjectKind;
  /** An error at `path` + `/` + `field` (`field` may itself be a path such as `menu/mappings/0/next`). */
  error(field: string, summary: string): void;
  /** Reports a module reference that is empty (when `required`) or names no module. */
  module(field: string, value: unknown, required: boolean): void;
  /** Validates a step embedded in this one (Gather's prompts, its invalid-input message) as one of `kinds`. */
  nested(field: string, value: unknown, kinds: readonly string[]): void;
}

/** An HTTP request of an External Service step; the runtime sends it and reports the outcome. */
export interface HttpCall {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | null;
  readonly timeoutMs: number;
}

export type HttpOutcome =
  | { readonly kind: 'answer'; readonly status: number; readonly body: string }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'error'; readonly message: string };

export type VariableScope = 'request' | 'module' | 'application';

/** What a step sees of the request being rendered. */
export interface StepRuntime {
  /** The module being rendered (or whose step handles an action). */
  readonly module: string;
  /** `$name` replaced by its value, right to left; undefined stays undefined. */
  expand(text: string | undefined): string | undefined;
  /** `controller?target=<module>.<step>.<action>` plus `extra`, then the carried `sticky_`/`module_` variables. */
  actionUrl(step: string, action: string, extra?: Readonly<Record<string, string>>): string;
  /** `controller?target=<target>` plus the carried variables. */
  targetUrl(target: string): string;
  /** A URL made absolute against the controller's URL (where the one who requests it has no document to resolve it against). */
  absoluteUrl(url: string): string;
  mediaUrl(file: string): string;
  /** The origin (`scheme://host:port`) of the controller's URL. */
  readonly origin: string;
  /** A request parameter (query and form merged). */
  param(name: string): string | undefined;
  /** A variable as stored (`core_From`, `sticky_x`), without the lookup order of `$x`. */
  variable(name: string): string | undefined;
  /** Stores `name` (request scope), `module_<name>` or `sticky_<name>`. */
  setVariable(name: string, value: string, scope: VariableScope): void;
  /** The name of the first module with this label. */
  moduleByLabel(label: string): string | undefined;
  /** 1 for a Gather rendered afresh, n for its n-th prompt after invalid input. */
  gatherAttempt(step: string): number;
  /** Renders a step embedded in this one (Gather's prompts). */
  render(step: unknown): RcmlElement | null;
  /** One line of the application log (written when the project's logging is on). */
  log(tags: readonly string[], payload: string): void;
  http(call: HttpCall): Promise<HttpOutcome>;
  /** The cap on an External Service request. */
  readonly externalServiceTimeoutMs: number;
}

export type ActionOutcome =
  /** Render `target` (`module[.step]`); `prepend` first (Gather's invalid-input message); `attempt` numbers the re-prompt. */
  | { readonly kind: 'render'; readonly target: string; readonly prepend?: unknown; readonly attempt?: number }
  /** An empty document (a partial speech result needs no answer). */
  | { readonly kind: 'empty' };

export interface StepKind {
  readonly kind: string;
  /** What the editor and error messages call it. */
  readonly title: string;
  readonly description: string;
  /** The project kinds whose modules may hold it. */
  readonly projects: readonly ProjectKind[];
  /** What it produces, for the documentation: an RCML sketch or a behaviour. */
  readonly produces: string;
  /** Every field besides `kind`, `name`, `label`, `title` (and the editor's `iface`). */
  readonly fields: Readonly<Record<string, FieldSpec>>;
  /** Checks beyond the field table (references, combinations, nested structures). */
  validate?(step: JsonRecord, scope: ValidationScope): void;
  /** Runs before rendering; a module name (or `module.step`) returned reroutes the request. */
  process?(step: Step, rt: StepRuntime): Promise<string | null>;
  render?(step: Step, rt: StepRuntime): RcmlElement | null;
  handleAction?(step: Step, action: string, rt: StepRuntime): ActionOutcome;
}
