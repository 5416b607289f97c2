import type { FastifyInstance } from 'fastify';
import type { NotificationFilter, NotificationSortColumn } from '../../store/notifications.js';
import type { Notification } from '../../store/schema.js';
import { API_VERSION, isSid } from '../../store/sid.js';
import { API_PREFIX, type ApiContext } from '../context.js';
import { isoWithOffset, parseFilterDay, restcommDate } from '../dates.js';
import { badRequest, notFound } from '../errors.js';
import { field, optionalBool, queryOf } from '../form.js';
import { callerOf } from '../identity.js';
import { checkPage, pageEnvelope, parsePageRequest } from '../paging.js';
import { sendFormatted, withoutNulls, type XmlNode } from '../render.js';
import { parseSortBy } from '../sorting.js';
import { operatedAccount } from '../tenancy.js';

type Params = { Params: { accountSid: string; sid: string } };
type AccountParams = { Params: { accountSid: string } };

const SORT_FIELDS: Readonly<Record<string, NotificationSortColumn>> = {
  DateCreated: 'date_created',
  Log: 'log',
  ErrorCode: 'error_code',
  CallSid: 'call_sid',
  MessageText: 'message_text',
};

function uri(n: Notification): string {
  return `/${API_VERSION}/Accounts/${n.account_sid}/Notifications/${n.sid}`;
}

export function notificationJson(n: Notification): Record<string, unknown> {
  return withoutNulls({
    sid: n.sid,
    date_created: restcommDate(n.date_created),
    date_updated: restcommDate(n.date_updated),
    account_sid: n.account_sid,
    call_sid: n.call_sid,
    api_version: n.api_version,
    log: n.log,
    error_code: n.error_code,
    more_info: n.more_info,
    message_text: n.message_text,
    message_date: isoWithOffset(n.message_date),
    request_url: n.request_url,
    request_method: n.request_method,
    request_variables: n.request_variables,
    response_headers: n.response_headers,
    response_body: n.response_body,
    uri: `${uri(n)}.json`,
  });
}

export function notificationXml(n: Notification): XmlNode {
  return withoutNulls({
    Sid: n.sid,
    DateCreated: restcommDate(n.date_created),
    DateUpdated: restcommDate(n.date_updated),
    AccountSid: n.account_sid,
    CallSid: n.call_sid,
    ApiVersion: n.api_version,
    Log: n.log,
    ErrorCode: n.error_code,
    MoreInfo: n.more_info,
    MessageText: n.message_text,
    MessageDate: isoWithOffset(n.message_date),
    RequestUrl: n.request_url,
    RequestMethod: n.request_method,
    RequestVariables: n.request_variables,
    ResponseHeaders: n.response_headers,
    ResponseBody: n.response_body,
    Uri: uri(n),
  });
}

function day(value: string | undefined, name: string, addDays = 0): string | undefined {
  if (value === undefined || value === '') return undefined;
  const iso = parseFilterDay(value, addDays);
  if (iso === undefined) throw badRequest(`${name} must be a date like 2013-08-23, not "${value}"`);
  return iso;
}

export function registerNotifications(app: FastifyInstance, ctx: ApiContext): void {
  app.get<AccountParams>('/Accounts/:accountSid/Notifications', async (request, reply) => {
    const account = await operatedAccount(ctx.store, callerOf(request), request.params.accountSid, 'Read', 'Notifications');
    const query = queryOf(request);
    const paging = parsePageRequest(query);
    const sort = parseSortBy(field(query, 'SortBy'), SORT_FIELDS, { column: 'date_created', direction: 'desc' });
    const accountSids = optionalBool(query, 'SubAccounts') === true ? await ctx.store.accounts.subtree(account.sid) : [account.sid];
    const filter: NotificationFilter = { accountSids };
    const from = day(field(query, 'StartTime'), 'StartTime');
    if (from !== undefined) filter.createdFrom = from;
    const before = day(field(query, 'EndTime'), 'EndTime', 1);
    if (before !== undefined) filter.createdBefore = before;
    const errorCode = field(query, 'ErrorCode');
    if (errorCode !== undefined && errorCode !== '') {
      if (!/^\d{1,9}$/.test(errorCode)) throw badRequest(`ErrorCode must be a number, not "${errorCode}"`);
      filter.errorCode = Number(errorCode);
    }
    const requestUrl = field(query, 'RequestUrl');
    if (requestUrl) filter.requestUrl = requestUrl;
    const messageText = field(query, 'MessageText');
    if (messageText) filter.messageText = messageText;
    const total = await ctx.store.notifications.count(filter);
    checkPage(paging, total);
    const rows = await ctx.store.notifications.list(filter, sort, paging.page * paging.pageSize, paging.pageSize);
    const env = pageEnvelope(paging, total, rows.map((r) => r.sid), `${API_PREFIX}/Accounts/${account.sid}/Notifications`);
    // Restcomm's XML list of notifications carries no paging attributes.
    return sendFormatted(
      request,
      reply,
      { ...env, notifications: rows.map(notificationJson) },
      { Notifications: { Notification: rows.map(notificationXml) } },
    );
  });

  app.get<Params>('/Accounts/:accountSid/Notifications/:sid', async (request, reply) => {
    const account = await operatedAccount(ctx.store, callerOf(request), request.params.accountSid, 'Read', 'Notifications');
    const { sid } = request.params;
    const found = isSid(sid, 'NO') ? await ctx.store.notifications.findBySid(account.sid, sid) : undefined;
    if (found === undefined) throw notFound(`Notification ${sid}`);
    return sendFormatted(request, reply, notificationJson(found), { Notification: notificationXml(found) });
  });
}
