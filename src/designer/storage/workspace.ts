import { join } from 'node:path';
import { rm } from 'node:fs/promises';
import { isSid } from '../../store/sid.js';

/**
 * Where a project's files live: `DATA_DIR/designer/<AP>/` with `wavs/` (media) and `rvdapp.log` plus its
 * rotated `rvdapp-1..3.log`. Everything else of a project is in the database.
 */
export class DesignerWorkspace {
  readonly root: string;

  constructor(dataDir: string) {
    this.root = join(dataDir, 'designer');
  }

  /** The project's folder; the sid is checked so that no name can leave the workspace. */
  projectDir(sid: string): string {
    if (!isSid(sid, 'AP')) throw new Error(`"${sid}" is not a project sid`);
    return join(this.root, sid);
  }

  mediaDir(sid: string): string {
    return join(this.projectDir(sid), 'wavs');
  }

  /** Removes the project's folder (media and logs); nothing there is not an error. */
  async remove(sid: string): Promise<void> {
    await rm(this.projectDir(sid), { recursive: true, force: true });
  }
}
