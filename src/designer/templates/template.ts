import type { ProjectKind, ProjectParameter, ProjectState } from '../project/state.js';

/** A bundled project template (RVD's `@templates/TL.../`): what `GET /templates` lists and creating from it copies. */
export interface ProjectTemplate {
  /** `TL` + letters and digits. */
  readonly id: string;
  readonly name: string;
  readonly description: string;
  /** The project kind is the first of `voice`, `sms`, `ussd` among them (RVD `ProjectUtils`). */
  readonly tags: readonly string[];
  readonly state: ProjectState;
  readonly parameters: readonly ProjectParameter[];
}

export const TEMPLATE_KINDS: readonly ProjectKind[] = ['voice', 'sms', 'ussd'];

/** The kind a template's tags give, checked in RVD's order; null when none. */
export function templateKind(template: Pick<ProjectTemplate, 'tags'>): ProjectKind | null {
  return TEMPLATE_KINDS.find((k) => template.tags.includes(k)) ?? null;
}
