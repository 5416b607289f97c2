/**
 * The bundled project templates (RVD `@templates`): each folder `TL…/` holds `template.json`
 * (`{id, name, description, tags}`), `state.json` (a project state) and `parameters.json`
 * (`{"parameters": [{name, value, description}]}`). They are imported, so the build carries them.
 */
import { isRecord } from '../project/json.js';
import type { ProjectKind, ProjectParameter, ProjectState } from '../project/state.js';
import { validateProject } from '../project/validate.js';
import referInfo from './TL510826acaba94b8fb2813d008b0ceb06/template.json' with { type: 'json' };
import referState from './TL510826acaba94b8fb2813d008b0ceb06/state.json' with { type: 'json' };
import referParameters from './TL510826acaba94b8fb2813d008b0ceb06/parameters.json' with { type: 'json' };
import referBackInfo from './TL70c368e31cbd46dba4f92318d792c68f/template.json' with { type: 'json' };
import referBackState from './TL70c368e31cbd46dba4f92318d792c68f/state.json' with { type: 'json' };
import referBackParameters from './TL70c368e31cbd46dba4f92318d792c68f/parameters.json' with { type: 'json' };
import ivrInfo from './TL1234/template.json' with { type: 'json' };
import ivrState from './TL1234/state.json' with { type: 'json' };
import ivrParameters from './TL1234/parameters.json' with { type: 'json' };
import dialClientInfo from './TLfee2b4c619cd49599da8feec4db32f3b/template.json' with { type: 'json' };
import dialClientState from './TLfee2b4c619cd49599da8feec4db32f3b/state.json' with { type: 'json' };
import dialClientParameters from './TLfee2b4c619cd49599da8feec4db32f3b/parameters.json' with { type: 'json' };

export interface TemplateInfo {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly tags: readonly string[];
}

export interface Template {
  readonly info: TemplateInfo;
  readonly state: ProjectState;
  readonly parameters: readonly ProjectParameter[];
}

function parameters(file: unknown): ProjectParameter[] {
  const list = isRecord(file) && Array.isArray(file.parameters) ? file.parameters : [];
  return list.filter(isRecord).map((p) => ({
    name: String(p.name),
    value: String(p.value ?? ''),
    ...(typeof p.description === 'string' ? { description: p.description } : {}),
  }));
}

/** A bundled template, checked as a saved project would be: a template that does not validate is a bug of this node. */
function bundle(info: TemplateInfo, state: unknown, params: unknown): Template {
  const result = validateProject(state);
  if (!result.ok) throw new Error(`template ${info.id} does not validate: ${JSON.stringify(result.items)}`);
  return { info, state: result.state, parameters: parameters(params) };
}

const TEMPLATES: readonly Template[] = [
  bundle(ivrInfo, ivrState, ivrParameters),
  bundle(dialClientInfo, dialClientState, dialClientParameters),
  bundle(referInfo, referState, referParameters),
  bundle(referBackInfo, referBackState, referBackParameters),
];

/** The project kind a template's tags give, checked in RVD's order (voice, sms, ussd); null when none. */
export function templateKind(info: TemplateInfo): ProjectKind | null {
  return (['voice', 'sms', 'ussd'] as const).find((k) => info.tags.includes(k)) ?? null;
}

export function listTemplates(): readonly TemplateInfo[] {
  return TEMPLATES.map((t) => t.info);
}

/** The template, or null for an unknown id. Its state's owner is null; the caller sets the creator's. */
export function loadTemplate(id: string): Template | null {
  return TEMPLATES.find((t) => t.info.id === id) ?? null;
}
