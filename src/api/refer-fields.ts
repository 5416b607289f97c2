import { isSid } from '../store/sid.js';
import type { ApiContext } from './context.js';
import { badRequest } from './errors.js';
import { field, optionalMethod, optionalText, optionalUrl, type Form } from './form.js';
import { withoutNulls } from './render.js';

/**
 * The refer application of a Client or an Account, a Dialtone extension: where a peer-to-peer call is
 * transferred (see docs/transfer.md). Numbers carry the same three fields in Restcomm.
 */
export interface ReferFields {
  refer_url: string | null;
  refer_method: string;
  refer_application_sid: string | null;
}

/**
 * `ReferUrl`, `ReferMethod` and `ReferApplicationSid` as given in `form`: only the fields present. An empty
 * value clears the field (the method back to POST). The application must be visible to `accountSid`.
 */
export async function readReferFields(ctx: ApiContext, accountSid: string, form: Form): Promise<Partial<ReferFields>> {
  const out: Partial<ReferFields> = {};
  const url = optionalUrl(form, 'ReferUrl');
  if (url !== undefined) out.refer_url = url;
  const method = field(form, 'ReferMethod');
  if (method !== undefined) out.refer_method = optionalMethod(form, 'ReferMethod') ?? 'POST';
  const appSid = optionalText(form, 'ReferApplicationSid', 64);
  if (appSid !== undefined) {
    if (appSid !== null && (!isSid(appSid, 'AP') || !(await ctx.store.applications.findVisible(accountSid, appSid)))) {
      throw badRequest(`ReferApplicationSid ${appSid} is not an application of this account`);
    }
    out.refer_application_sid = appSid;
  }
  return out;
}

/** Until one of them is set the three are left out, so such a resource renders exactly as in Restcomm. */
function isDefault(r: ReferFields): boolean {
  return r.refer_url === null && r.refer_application_sid === null && r.refer_method === 'POST';
}

/** The JSON fields: absent while at their defaults; a null URL or application is never rendered. */
export function referJson(r: ReferFields): Record<string, unknown> {
  if (isDefault(r)) return {};
  return withoutNulls({ refer_url: r.refer_url, refer_method: r.refer_method, refer_application_sid: r.refer_application_sid });
}

export function referXml(r: ReferFields): Record<string, unknown> {
  if (isDefault(r)) return {};
  return withoutNulls({ ReferUrl: r.refer_url, ReferMethod: r.refer_method, ReferApplicationSid: r.refer_application_sid });
}
