import type { Account } from '../../store/schema.js';
import { API_VERSION, newSid } from '../../store/sid.js';
import type { ProjectKind, ProjectParameter, ProjectSettings, ProjectState } from '../project/state.js';
import { controllerPath, type DesignerContext } from './context.js';
import { conflict } from './rvd-response.js';

export interface NewProject {
  readonly name: string;
  readonly kind: ProjectKind;
  readonly state: ProjectState;
  readonly parameters?: readonly ProjectParameter[];
  readonly settings?: ProjectSettings | null;
  readonly webTrigger?: unknown;
  /** Checked already (name and content). */
  readonly media?: readonly { readonly name: string; readonly data: Uint8Array }[];
}

/** 409 when another Application of the account has this name (RVD's `ApplicationAlreadyExists`). */
export async function assertNameFree(ctx: DesignerContext, accountSid: string, name: string, except?: string): Promise<void> {
  const taken = (await ctx.store.applications.findVisibleByName(accountSid, name)).some((a) => a.account_sid === accountSid && a.sid !== except);
  if (taken) throw conflict(`an application named "${name}" already exists in account ${accountSid}`);
}

/**
 * A new project of the caller's account and its Application (same sid, `rcml_url` the controller,
 * `kind` the project's), in one transaction; then its media files. The caller becomes the owner.
 */
export async function createProject(ctx: DesignerContext, caller: Account, p: NewProject): Promise<string> {
  await assertNameFree(ctx, caller.sid, p.name);
  const sid = newSid('AP');
  const now = new Date().toISOString();
  const state: ProjectState = { ...p.state, header: { ...p.state.header, owner: caller.email_address } };
  await ctx.store.designerProjects.create(
    {
      sid,
      account_sid: caller.sid,
      owner_email: caller.email_address,
      kind: p.kind,
      state: JSON.stringify(state),
      settings: p.settings === undefined || p.settings === null ? null : JSON.stringify(p.settings),
      parameters: JSON.stringify(p.parameters ?? []),
      web_trigger: p.webTrigger === undefined || p.webTrigger === null ? null : JSON.stringify(p.webTrigger),
      date_created: now,
      date_updated: now,
    },
    {
      sid,
      account_sid: caller.sid,
      friendly_name: p.name,
      api_version: API_VERSION,
      voice_caller_id_lookup: 0,
      rcml_url: controllerPath(sid),
      kind: p.kind,
      date_created: now,
      date_updated: now,
    },
  );
  try {
    for (const m of p.media ?? []) await ctx.media.write(sid, m.name, m.data);
  } catch (err) {
    await ctx.store.designerProjects.delete(sid);
    await ctx.workspace.remove(sid);
    throw err;
  }
  return sid;
}
