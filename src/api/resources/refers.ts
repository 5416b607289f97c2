import type { FastifyInstance } from 'fastify';
import { REFER_STATUSES, type Refer, type ReferFilter } from '../../store/refers.js';
import { API_VERSION, isSid } from '../../store/sid.js';
import { API_PREFIX, type ApiContext } from '../context.js';
import { parseFilterDay, restcommDate } from '../dates.js';
import { badRequest, notFound } from '../errors.js';
import { field, optionalBool, queryOf, type Form } from '../form.js';
import { callerOf } from '../identity.js';
import { checkPage, pageAttributes, pageEnvelope, parsePageRequest } from '../paging.js';
import { sendFormatted, withoutNulls, type XmlNode } from '../render.js';
import { operatedAccount } from '../tenancy.js';

type Params = { Params: { accountSid: string; sid: string } };
type AccountParams = { Params: { accountSid: string } };

function uri(r: Refer): string {
  return `/${API_VERSION}/Accounts/${r.account_sid}/Refers/${r.sid}`;
}

export function referJson(r: Refer): Record<string, unknown> {
  return withoutNulls({
    sid: r.sid,
    date_created: restcommDate(r.date_created),
    date_updated: restcommDate(r.date_updated),
    account_sid: r.account_sid,
    call_sid: r.call_sid,
    transferor_call_sid: r.transferor_call_sid,
    transferor: r.transferor,
    transferee: r.transferee,
    refer_target: r.refer_target,
    refer_url: r.refer_url,
    refer_method: r.refer_method,
    refer_application_sid: r.refer_application_sid,
    status: r.status,
    notify_status: r.notify_status,
    failure_reason: r.failure_reason,
    api_version: API_VERSION,
    uri: `${uri(r)}.json`,
  });
}

export function referXml(r: Refer): XmlNode {
  return withoutNulls({
    Sid: r.sid,
    DateCreated: restcommDate(r.date_created),
    DateUpdated: restcommDate(r.date_updated),
    AccountSid: r.account_sid,
    CallSid: r.call_sid,
    TransferorCallSid: r.transferor_call_sid,
    Transferor: r.transferor,
    Transferee: r.transferee,
    ReferTarget: r.refer_target,
    ReferUrl: r.refer_url,
    ReferMethod: r.refer_method,
    ReferApplicationSid: r.refer_application_sid,
    Status: r.status,
    NotifyStatus: r.notify_status,
    FailureReason: r.failure_reason,
    ApiVersion: API_VERSION,
    Uri: uri(r),
  });
}

function day(value: string | undefined, name: string, addDays = 0): string | undefined {
  if (value === undefined || value === '') return undefined;
  const iso = parseFilterDay(value, addDays);
  if (iso === undefined) throw badRequest(`${name} must be a date like 2013-08-23, not "${value}"`);
  return iso;
}

function text(query: Form, name: string): string | undefined {
  const v = field(query, name);
  return v === undefined || v === '' ? undefined : v;
}

function filterOf(query: Form, accountSids: readonly string[]): ReferFilter {
  const filter: ReferFilter = { accountSids };
  const callSid = text(query, 'CallSid');
  if (callSid !== undefined) {
    if (!isSid(callSid, 'CA')) throw badRequest(`CallSid must be a call SID (CA + 32 characters), not "${callSid}"`);
    filter.callSid = callSid;
  }
  const transferor = text(query, 'Transferor');
  if (transferor !== undefined) filter.transferor = transferor;
  const transferee = text(query, 'Transferee');
  if (transferee !== undefined) filter.transferee = transferee;
  const referTarget = text(query, 'ReferTarget');
  if (referTarget !== undefined) filter.referTarget = referTarget;
  const status = text(query, 'Status');
  if (status !== undefined) {
    if (!(REFER_STATUSES as readonly string[]).includes(status)) throw badRequest(`Status must be one of ${REFER_STATUSES.join(', ')}, not "${status}"`);
    filter.status = status;
  }
  const from = day(field(query, 'StartTime'), 'StartTime');
  if (from !== undefined) filter.createdFrom = from;
  const before = day(field(query, 'EndTime'), 'EndTime', 1);
  if (before !== undefined) filter.createdBefore = before;
  return filter;
}

/** Dialtone's Refers log (no Restcomm counterpart): every transfer attempt, read-only. */
export function registerRefers(app: FastifyInstance, ctx: ApiContext): void {
  app.get<AccountParams>('/Accounts/:accountSid/Refers', async (request, reply) => {
    const account = await operatedAccount(ctx.store, callerOf(request), request.params.accountSid, 'Read', 'Refers');
    const query = queryOf(request);
    const paging = parsePageRequest(query);
    const accountSids = optionalBool(query, 'SubAccounts') === true ? await ctx.store.accounts.subtree(account.sid) : [account.sid];
    const filter = filterOf(query, accountSids);
    const total = await ctx.store.refers.count(filter);
    checkPage(paging, total);
    const rows = await ctx.store.refers.list(filter, paging.page * paging.pageSize, paging.pageSize);
    const env = pageEnvelope(paging, total, rows.map((r) => r.sid), `${API_PREFIX}/Accounts/${account.sid}/Refers`);
    return sendFormatted(request, reply, { ...env, refers: rows.map(referJson) }, { Refers: { ...pageAttributes(env), Refer: rows.map(referXml) } });
  });

  app.get<Params>('/Accounts/:accountSid/Refers/:sid', async (request, reply) => {
    const account = await operatedAccount(ctx.store, callerOf(request), request.params.accountSid, 'Read', 'Refers');
    const { sid } = request.params;
    const found = isSid(sid, 'RF') ? await ctx.store.refers.get(account.sid, sid) : undefined;
    if (found === undefined) throw notFound(`Refer ${sid}`);
    return sendFormatted(request, reply, referJson(found), { Refer: referXml(found) });
  });
}
