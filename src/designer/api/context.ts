import type { Config } from '../../config.js';
import type { Logger } from '../../log.js';
import type { Store } from '../../store/store.js';
import type { RunController } from '../runtime/contract.js';
import type { ProjectLogs } from '../storage/app-log.js';
import type { ProjectMedia } from '../storage/media.js';
import type { DesignerWorkspace } from '../storage/workspace.js';
import type { DesignerAccess } from './access.js';

/** The paths RVD answers on: its context (`/visual-designer`, `/restcomm-rvd` before June 2018) times its two servlet mappings. */
export const DESIGNER_PREFIXES = ['/visual-designer/services', '/visual-designer/api', '/restcomm-rvd/services', '/restcomm-rvd/api'] as const;

/** Where an Application's `rcml_url` points (relative, as RVD writes it). */
export function controllerPath(sid: string): string {
  return `${DESIGNER_PREFIXES[0]}/apps/${sid}/controller`;
}

export interface DesignerDeps {
  /**
   * The per-node secret the node's own RCML fetcher sends (`DESIGNER_KEY_HEADER`) when it fetches a
   * designer controller of this node; null: only Basic authentication opens the controller.
   */
  readonly nodeKey: string | null;
}

export interface DesignerContext extends DesignerDeps {
  /** Renders a module as RCML: the designer's runtime. */
  readonly runController: RunController;
  readonly config: Config;
  readonly store: Store;
  readonly log: Logger;
  readonly access: DesignerAccess;
  readonly workspace: DesignerWorkspace;
  readonly media: ProjectMedia;
  readonly logs: ProjectLogs;
}
