/**
 * The Visual Designer's project state: the editor's JSON, stored as RVD stores it (format 1.15), so
 * projects exported from Restcomm import unchanged and scripts that POST a state keep working. Step
 * fields are described per step kind in `project/steps/`; here only what every project has.
 */

export type ProjectKind = 'voice' | 'sms' | 'ussd';

/** The format this node writes; older ones are upgraded on import and on save. */
export const PROJECT_VERSION = '1.15';

export interface StateHeader {
  readonly projectKind: ProjectKind;
  /** The module a call starts in (RVD's `defaultTarget`). */
  readonly startNodeName: string;
  readonly version: string;
  /** The creator's e-mail address; null leaves the project open to every account that can see it. */
  readonly owner: string | null;
}

/** One step of a module: `kind` picks its module in `project/steps/`, the other fields are the kind's. */
export interface Step {
  readonly kind: string;
  /** `step<N>`, unique in the project; action targets name it (`module.step.action`). */
  readonly name: string;
  readonly label?: string;
  readonly title?: string;
  readonly [field: string]: unknown;
}

/** A module (RVD's node): steps rendered in order into one RCML document. */
export interface ProjectNode {
  /** `start`, `module1`, ...: what targets name. */
  readonly name: string;
  /** What the editor shows. */
  readonly label: string;
  readonly kind: ProjectKind;
  readonly steps: readonly Step[];
}

export interface ProjectState {
  readonly header: StateHeader;
  readonly nodes: readonly ProjectNode[];
  readonly lastStepId: number;
  readonly lastNodeId: number;
  readonly activeNode?: number;
  /** Parsed by RVD and never used; kept as given. */
  readonly exceptionHandlingInfo?: unknown;
}

/** `{logging, loggingRCML}`, both false by default (RVD `ProjectSettings`). */
export interface ProjectSettings {
  readonly logging: boolean;
  readonly loggingRCML: boolean;
}

/** An application parameter: a variable every request of the project sees, overriding request ones. */
export interface ProjectParameter {
  readonly name: string;
  readonly value: string;
  readonly description?: string;
}
