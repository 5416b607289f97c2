import type { Kysely, Updateable } from 'kysely';
import type { Application, Database, DesignerProject, DesignerProjectTable } from './schema.js';

/** A project with the friendly name of its Application, which is the project's name. */
export interface NamedProject extends DesignerProject {
  readonly name: string;
}

export type ProjectPatch = Pick<Updateable<DesignerProjectTable>, 'state' | 'settings' | 'parameters' | 'web_trigger'>;

export interface DesignerProjectRepository {
  find(sid: string): Promise<NamedProject | undefined>;
  /** The project and its Application, both or neither. */
  create(project: DesignerProject, application: Application): Promise<void>;
  update(sid: string, patch: ProjectPatch): Promise<void>;
  /** Renames the project's Application (where the name lives). */
  rename(sid: string, name: string): Promise<void>;
  /** Deletes the project and its Application (numbers naming it keep the sid, as after `DELETE /Applications/{sid}`). */
  delete(sid: string): Promise<void>;
  /** Sids of the projects of these accounts (what closing them deletes). */
  sidsOf(accountSids: readonly string[]): Promise<string[]>;
}

export function designerProjectRepository(db: Kysely<Database>): DesignerProjectRepository {
  return {
    find: (sid) =>
      db
        .selectFrom('designer_projects')
        .innerJoin('applications', 'applications.sid', 'designer_projects.sid')
        .selectAll('designer_projects')
        .select('applications.friendly_name as name')
        .where('designer_projects.sid', '=', sid)
        .executeTakeFirst(),
    async create(project, application) {
      await db.transaction().execute(async (tx) => {
        await tx.insertInto('applications').values(application).execute();
        await tx.insertInto('designer_projects').values(project).execute();
      });
    },
    async update(sid, patch) {
      await db.updateTable('designer_projects').set({ ...patch, date_updated: new Date().toISOString() }).where('sid', '=', sid).execute();
    },
    async rename(sid, name) {
      const now = new Date().toISOString();
      await db.transaction().execute(async (tx) => {
        await tx.updateTable('applications').set({ friendly_name: name, date_updated: now }).where('sid', '=', sid).execute();
        await tx.updateTable('designer_projects').set({ date_updated: now }).where('sid', '=', sid).execute();
      });
    },
    async delete(sid) {
      await db.transaction().execute(async (tx) => {
        await tx.deleteFrom('designer_projects').where('sid', '=', sid).execute();
        await tx.deleteFrom('applications').where('sid', '=', sid).execute();
      });
    },
    async sidsOf(accountSids) {
      if (accountSids.length === 0) return [];
      const rows = await db.selectFrom('designer_projects').select('sid').where('account_sid', 'in', [...accountSids]).execute();
      return rows.map((r) => r.sid);
    },
  };
}
