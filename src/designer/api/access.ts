import type { FastifyRequest } from 'fastify';
import { basicAuthenticator } from '../../api/auth.js';
import { ApiError } from '../../api/errors.js';
import { isPermitted, type Action } from '../../api/permissions.js';
import { isInTree } from '../../api/tenancy.js';
import type { NamedProject } from '../../store/designer-projects.js';
import type { Account } from '../../store/schema.js';
import { isSid } from '../../store/sid.js';
import type { Store } from '../../store/store.js';
import { forbidden, projectNotFound, unauthorized } from './rvd-response.js';

/**
 * Who may do what: HTTP Basic with the account sid and auth token or the e-mail and password, checked in
 * process by the REST API's authenticator; the account must be `active` (RVD's `secure()`), anything
 * else is RVD's bare 401. A project is open to its account and that account's ancestors (the REST API's
 * tenancy), so never to a sibling account; this replaces RVD's owner-e-mail check.
 */
export class DesignerAccess {
  private readonly basic: (request: FastifyRequest) => Promise<Account>;

  constructor(private readonly store: Store) {
    this.basic = basicAuthenticator(store);
  }

  async caller(request: FastifyRequest): Promise<Account> {
    let account: Account;
    try {
      account = await this.basic(request);
    } catch (err) {
      if (err instanceof ApiError) throw unauthorized();
      throw err;
    }
    if (account.status !== 'active') throw unauthorized();
    return account;
  }

  /** The project if it exists (404) and `caller` may do `action` on it (403). */
  async project(caller: Account, sid: string, action: Action): Promise<NamedProject> {
    const project = isSid(sid, 'AP') ? await this.store.designerProjects.find(sid) : undefined;
    if (project === undefined) throw projectNotFound(sid);
    if (!(await this.canSee(caller, project))) throw forbidden(`project ${sid} belongs to an account outside the caller's account tree`);
    if (!isPermitted(caller, action, 'Applications')) throw forbidden(`${action}:Applications is not allowed for role ${caller.role}`);
    return project;
  }

  async canSee(caller: Account, project: Pick<NamedProject, 'account_sid'>): Promise<boolean> {
    const owner = project.account_sid === caller.sid ? caller : await this.store.accounts.findBySid(project.account_sid);
    return owner !== undefined && (await isInTree(this.store, caller, owner));
  }
}
