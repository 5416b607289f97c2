import type { FastifyInstance, FastifyRequest } from 'fastify';
import { XMLBuilder } from 'fast-xml-parser';
import type { CallSearchFilter, CallSortColumn } from '../../store/call-search.js';
import { callSearch } from '../../store/call-search.js';
import type { CallRecord } from '../../store/calls.js';
import { recordingRepository } from '../../store/recordings.js';
import type { Account } from '../../store/schema.js';
import { API_VERSION } from '../../store/sid.js';
import type { ApiContext } from '../context.js';
import { isoWithOffset, parseFilterDay, restcommDate } from '../dates.js';
import { ApiError, badRequest, notFound } from '../errors.js';
import { field, formOf, optionalBool, optionalMethod, optionalUrl, queryOf, type Form } from '../form.js';
import { wantsJson } from '../format.js';
import { callerOf } from '../identity.js';
import type { AppMethod, CallChange, LiveCalls } from '../live-calls.js';
import { checkPage, pageAttributes, pageEnvelope, parsePageRequest } from '../paging.js';
import { sendFormatted, withoutNulls, type XmlNode } from '../render.js';
import { parseSortBy } from '../sorting.js';
import { operatedAccount } from '../tenancy.js';
import { recordingJson, recordingXml } from './recordings.js';

type Params = { Params: { accountSid: string; sid: string } };
type AccountParams = { Params: { accountSid: string } };

const SORT_FIELDS: Readonly<Record<string, CallSortColumn>> = {
  DateCreated: 'date_created',
  From: 'sender',
  To: 'recipient',
  Direction: 'direction',
  Status: 'status',
  Duration: 'duration',
  Price: 'price',
};

/** Spec §1.6: `ID<32>-CA<32>`, or the old `CA<32>`. */
const CALL_SID = /^(?:ID[a-zA-Z0-9]{32}-)?CA[a-zA-Z0-9]{32}$/;

export function isCallSid(text: string): boolean {
  return CALL_SID.test(text);
}

const bareXml = new XMLBuilder({ format: true, suppressEmptyNode: true });

/** The Restcomm default: `Timeout` when absent. */
const DEFAULT_TIMEOUT = 60;
/** A ring timeout longer than a day is surely a typo, and would pin a leg for as long. */
const MAX_TIMEOUT = 86_400;

export function callJson(c: CallRecord): Record<string, unknown> {
  return withoutNulls({
    sid: c.sid,
    InstanceId: c.instance_id,
    date_created: restcommDate(c.date_created),
    date_updated: restcommDate(c.date_updated),
    parent_call_sid: c.parent_call_sid || null,
    account_sid: c.account_sid,
    to: c.recipient,
    from: c.sender,
    phone_number_sid: c.phone_number_sid || null,
    status: c.status,
    start_time: c.start_time ? isoWithOffset(c.start_time) : null,
    end_time: c.end_time ? isoWithOffset(c.end_time) : null,
    duration: c.duration ?? 0,
    price_unit: c.price_unit,
    direction: c.direction,
    answered_by: c.answered_by,
    api_version: c.api_version,
    forwarded_from: c.forwarded_from,
    caller_name: c.caller_name,
    uri: `${c.uri}.json`,
    ring_duration: c.ring_duration ?? 0,
    subresource_uris: {
      notifications: `${c.uri}/Notifications.json`,
      recordings: `${c.uri}/Recordings.json`,
    },
  });
}

export function callXml(c: CallRecord): XmlNode {
  return {
    Sid: c.sid,
    InstanceId: c.instance_id,
    DateCreated: restcommDate(c.date_created),
    DateUpdated: restcommDate(c.date_updated),
    ParentCallSid: c.parent_call_sid ?? '',
    AccountSid: c.account_sid,
    To: c.recipient,
    From: c.sender,
    PhoneNumberSid: c.phone_number_sid ?? '',
    Status: c.status,
    StartTime: c.start_time ? isoWithOffset(c.start_time) : '',
    EndTime: c.end_time ? isoWithOffset(c.end_time) : '',
    Duration: c.duration ?? 0,
    Price: c.price ?? '',
    PriceUnit: c.price_unit ?? '',
    Direction: c.direction,
    AnsweredBy: c.answered_by ?? '',
    ApiVersion: c.api_version,
    ForwardedFrom: c.forwarded_from ?? '',
    CallerName: c.caller_name ?? '',
    Uri: c.uri,
    SubresourceUris: { Notifications: `${c.uri}/Notifications`, Recordings: `${c.uri}/Recordings` },
    Ring_duration: c.ring_duration ?? 0,
  };
}

function day(value: string | undefined, name: string, addDays = 0): string | undefined {
  if (value === undefined || value === '') return undefined;
  const iso = parseFilterDay(value, addDays);
  if (iso === undefined) throw badRequest(`${name} must be a date like 2013-08-23, not "${value}"`);
  return iso;
}

function nonEmpty(form: Form, name: string): string | undefined {
  const v = field(form, name);
  return v === undefined || v === '' ? undefined : v;
}

/** Restcomm answers these with the bare exception text (error body shape 2). */
function required(form: Form, name: string): string {
  const v = field(form, name);
  if (v === undefined || v.trim() === '') throw new ApiError(400, `${name} can not be null.`, { plain: true });
  return v.trim();
}

/** From and To end up in SIP headers: nothing that could end or split a header may pass. */
function sipSafe(value: string, name: string): string {
  if (/[\s<>"\x00-\x1f\x7f]/.test(value)) throw badRequest(`${name} must not contain spaces, quotes, angle brackets or control characters`);
  return value;
}

function method(form: Form, name: string): AppMethod {
  return optionalMethod(form, name) === 'GET' ? 'GET' : 'POST';
}

/** A relative app URL is resolved against the node's public URL, since the call layer fetches it. */
function absoluteUrl(ctx: ApiContext, url: string): string {
  return url.startsWith('/') ? ctx.config.publicUrl + url : url;
}

function requiredUrl(ctx: ApiContext, form: Form, name: string): string {
  required(form, name);
  const url = optionalUrl(form, name);
  if (url === null || url === undefined) throw new ApiError(400, `${name} can not be null.`, { plain: true });
  return absoluteUrl(ctx, url);
}

function optionalApp(ctx: ApiContext, form: Form, urlName: string, methodName: string): { url: string; method: AppMethod } | null {
  const url = optionalUrl(form, urlName);
  return url === null || url === undefined ? null : { url: absoluteUrl(ctx, url), method: method(form, methodName) };
}

function timeoutOf(form: Form): number {
  const v = field(form, 'Timeout');
  if (v === undefined || v.trim() === '') return DEFAULT_TIMEOUT;
  if (!/^\d{1,6}$/.test(v.trim()) || Number(v) < 1 || Number(v) > MAX_TIMEOUT) {
    throw badRequest(`Timeout must be a whole number of seconds from 1 to ${MAX_TIMEOUT}, not "${v}"`);
  }
  return Number(v);
}

/** Spec §1.8: SuperAdmin is an active account without a parent. */
function isSuperAdmin(account: Account): boolean {
  return account.parent_sid === null && account.status === 'active';
}

function parseChange(ctx: ApiContext, form: Form): CallChange {
  const status = field(form, 'Status');
  if (status !== undefined && status !== '') {
    if (status !== 'canceled' && status !== 'completed') throw badRequest(`Status must be canceled or completed, not "${status}"`);
    return { status };
  }
  const redirect = optionalApp(ctx, form, 'Url', 'Method');
  if (redirect !== null) return { redirect: { ...redirect, fallback: optionalApp(ctx, form, 'FallbackUrl', 'FallbackMethod') } };
  // Restcomm reads Mute with Boolean.valueOf, so a request with none of the three is an unmute.
  return { mute: optionalBool(form, 'Mute') === true };
}

function noLiveCalls(): ApiError {
  return new ApiError(503, 'This node has no call layer; it cannot place or modify calls');
}

export function registerCalls(app: FastifyInstance, ctx: ApiContext, liveCalls: LiveCalls | null): void {
  const search = callSearch(ctx.store.db);
  const recordings = recordingRepository(ctx.store.db);

  const findCall = async (request: FastifyRequest<Params>, action: 'Read' | 'Modify'): Promise<CallRecord> => {
    const caller = callerOf(request);
    const account = await operatedAccount(ctx.store, caller, request.params.accountSid, action, 'Calls');
    const { sid } = request.params;
    const found = isCallSid(sid) ? await ctx.store.calls.findBySid(sid) : undefined;
    if (found === undefined || found.account_sid !== account.sid) throw notFound(`Call ${sid}`);
    return found;
  };

  app.get<AccountParams>('/Accounts/:accountSid/Calls', async (request, reply) => {
    const account = await operatedAccount(ctx.store, callerOf(request), request.params.accountSid, 'Read', 'Calls');
    const query = queryOf(request);
    const paging = parsePageRequest(query);
    const fallback = { column: 'date_created', direction: 'desc' } as const;
    let sort = parseSortBy(field(query, 'SortBy'), SORT_FIELDS, fallback);
    if (field(query, 'SortBy') === undefined && optionalBool(query, 'Reverse') === false) sort = { column: 'date_created', direction: 'asc' };
    const accountSids = optionalBool(query, 'SubAccounts') === true ? await ctx.store.accounts.subtree(account.sid) : [account.sid];
    const filter: CallSearchFilter = { accountSids };
    const to = nonEmpty(query, 'To');
    if (to !== undefined) filter.to = to;
    const from = nonEmpty(query, 'From');
    if (from !== undefined) filter.from = from;
    const status = nonEmpty(query, 'Status');
    if (status !== undefined) filter.status = status;
    const start = day(field(query, 'StartTime'), 'StartTime');
    if (start !== undefined) filter.startFrom = start;
    const end = day(field(query, 'EndTime'), 'EndTime', 1);
    if (end !== undefined) filter.endBefore = end;
    const parent = nonEmpty(query, 'ParentCallSid');
    if (parent !== undefined) filter.parentCallSid = parent;
    const conference = nonEmpty(query, 'ConferenceSid');
    if (conference !== undefined) filter.conferenceSid = conference;
    const total = await search.count(filter);
    checkPage(paging, total);
    const rows = await search.list(filter, sort, paging.page * paging.pageSize, paging.pageSize);
    const env = pageEnvelope(paging, total, rows.map((r) => r.sid), `/${API_VERSION}/Accounts/${account.sid}/Calls`);
    return sendFormatted(request, reply, { ...env, calls: rows.map(callJson) }, { Calls: { ...pageAttributes(env), Call: rows.map(callXml) } });
  });

  app.post<AccountParams>('/Accounts/:accountSid/Calls', async (request, reply) => {
    const account = await operatedAccount(ctx.store, callerOf(request), request.params.accountSid, 'Create', 'Calls');
    const form = formOf(request);
    const from = sipSafe(required(form, 'From'), 'From');
    const to = sipSafe(required(form, 'To'), 'To');
    const url = requiredUrl(ctx, form, 'Url');
    const username = nonEmpty(form, 'Username');
    const password = nonEmpty(form, 'Password');
    const request_ = {
      accountSid: account.sid,
      from,
      to,
      url,
      method: method(form, 'Method'),
      fallback: optionalApp(ctx, form, 'FallbackUrl', 'FallbackMethod'),
      statusCallback: optionalApp(ctx, form, 'StatusCallback', 'StatusCallbackMethod'),
      timeoutSeconds: timeoutOf(form),
      credentials: username !== undefined && password !== undefined ? { username, password } : null,
    };
    if (liveCalls === null) throw noLiveCalls();
    const result = await liveCalls.originate(request_);
    if (!result.ok) throw badRequest(result.message);
    reply.code(200);
    // Restcomm's create answers a bare <Call>, without the RestcommResponse wrapper.
    if (wantsJson(request)) {
      return reply.type('application/json; charset=utf-8').send(JSON.stringify(callJson(result.record), null, 2));
    }
    return reply.type('application/xml; charset=utf-8').send(bareXml.build({ Call: callXml(result.record) }));
  });

  app.get<Params>('/Accounts/:accountSid/Calls/:sid', async (request, reply) => {
    const found = await findCall(request, 'Read');
    return sendFormatted(request, reply, callJson(found), { Call: callXml(found) });
  });

  app.post<Params>('/Accounts/:accountSid/Calls/:sid', async (request, reply) => {
    const caller = callerOf(request);
    const account = await operatedAccount(ctx.store, caller, request.params.accountSid, 'Modify', 'Calls');
    const { sid } = request.params;
    if (!isCallSid(sid)) throw badRequest(`${sid} is not a call SID`);
    const change = parseChange(ctx, formOf(request));
    const found = await ctx.store.calls.findBySid(sid);
    // SuperAdmin may modify any call (spec §2.5); everyone else only the URL account's.
    if (found === undefined || (found.account_sid !== account.sid && !isSuperAdmin(caller))) throw new ApiError(406, null);
    if (liveCalls === null) throw noLiveCalls();
    const result = await liveCalls.modify(sid, change);
    if (result === 'not-live') throw new ApiError(410, 'Call is already completed.');
    return sendFormatted(request, reply, callJson(found), { Call: callXml(found) });
  });

  app.get<Params>('/Accounts/:accountSid/Calls/:sid/Recordings', async (request, reply) => {
    const caller = callerOf(request);
    const account = await operatedAccount(ctx.store, caller, request.params.accountSid, 'Read', 'Recordings');
    const { sid } = request.params;
    const rows = isCallSid(sid) ? await recordings.listForCall(account.sid, sid) : [];
    return sendFormatted(
      request,
      reply,
      rows.map((r) => recordingJson(r, ctx.config.publicUrl)),
      { Recordings: { Recording: rows.map((r) => recordingXml(r, ctx.config.publicUrl)) } },
    );
  });
}
