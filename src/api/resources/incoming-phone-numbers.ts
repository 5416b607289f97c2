import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { NumberFilter } from '../../store/numbers.js';
import type { IncomingPhoneNumber } from '../../store/schema.js';
import { API_VERSION, isSid, newSid } from '../../store/sid.js';
import { applicationByName, applicationRef } from '../application-ref.js';
import type { ApiContext } from '../context.js';
import { restcommDate } from '../dates.js';
import { ApiError, badRequest, notFound } from '../errors.js';
import { field, formOf, optionalBool, optionalMethod, optionalText, optionalUrl, queryOf, type Form } from '../form.js';
import { callerOf } from '../identity.js';
import { checkPage, pageAttributes, pageEnvelope, parsePageRequest } from '../paging.js';
import { sendFormatted, withoutNulls, type XmlNode } from '../render.js';
import { operatedAccount } from '../tenancy.js';
import { friendlyName } from '../validate.js';

type Params = { Params: { accountSid: string; sid: string } };
type AccountParams = { Params: { accountSid: string } };
type Row = IncomingPhoneNumber;

const URLS = [
  ['VoiceUrl', 'voice_url'],
  ['VoiceFallbackUrl', 'voice_fallback_url'],
  ['StatusCallback', 'status_callback'],
  ['SmsUrl', 'sms_url'],
  ['SmsFallbackUrl', 'sms_fallback_url'],
  ['UssdUrl', 'ussd_url'],
  ['UssdFallbackUrl', 'ussd_fallback_url'],
  ['ReferUrl', 'refer_url'],
] as const;
const METHODS = [
  ['VoiceMethod', 'voice_method'],
  ['VoiceFallbackMethod', 'voice_fallback_method'],
  ['StatusCallbackMethod', 'status_callback_method'],
  ['SmsMethod', 'sms_method'],
  ['SmsFallbackMethod', 'sms_fallback_method'],
  ['UssdMethod', 'ussd_method'],
  ['UssdFallbackMethod', 'ussd_fallback_method'],
  ['ReferMethod', 'refer_method'],
] as const;
const APPS = [
  ['VoiceApplicationSid', 'voice_application_sid'],
  ['SmsApplicationSid', 'sms_application_sid'],
  ['UssdApplicationSid', 'ussd_application_sid'],
  ['ReferApplicationSid', 'refer_application_sid'],
] as const;
const FLAGS = [
  ['VoiceCallerIdLookup', 'voice_caller_id_lookup'],
  ['VoiceCapable', 'voice_capable'],
  ['SmsCapable', 'sms_capable'],
  ['MmsCapable', 'mms_capable'],
  ['FaxCapable', 'fax_capable'],
] as const;

/** Friendly names of the applications a number points at, keyed by application SID. */
type AppNames = ReadonlyMap<string, string>;

/** Restcomm's answer when a number cannot be had: 400 with the bare Twilio code as text. */
const unavailable = (): ApiError => new ApiError(400, '21452', { plain: true });

/** E.164 as Restcomm's provider path stores it: `+` and digits, with separators removed; other text as is. */
export function normaliseE164(text: string): string {
  const compact = text.trim().replace(/[\s\-().]/g, '');
  if (/^\+?\d{2,15}$/.test(compact)) return compact.startsWith('+') ? compact : '+' + compact;
  return text.trim();
}

function uri(n: Row): string {
  return `/${API_VERSION}/Accounts/${n.account_sid}/IncomingPhoneNumbers/${n.sid}`;
}

function appName(names: AppNames, sid: string | null): string | null {
  return sid === null ? null : (names.get(sid) ?? null);
}

/** JSON keeps nulls for this resource (Restcomm's converter does); `*_application_name` only with its SID. */
export function numberJson(n: Row, names: AppNames): Record<string, unknown> {
  const named = (key: string, sid: string | null): Record<string, unknown> => (sid === null ? {} : { [key]: appName(names, sid) });
  return {
    sid: n.sid,
    account_sid: n.account_sid,
    friendly_name: n.friendly_name,
    phone_number: n.phone_number,
    voice_url: n.voice_url,
    voice_method: n.voice_method,
    voice_fallback_url: n.voice_fallback_url,
    voice_fallback_method: n.voice_fallback_method,
    status_callback: n.status_callback,
    status_callback_method: n.status_callback_method,
    voice_caller_id_lookup: n.voice_caller_id_lookup === 1,
    voice_application_sid: n.voice_application_sid,
    ...named('voice_application_name', n.voice_application_sid),
    date_created: restcommDate(n.date_created),
    date_updated: restcommDate(n.date_updated),
    sms_url: n.sms_url,
    sms_method: n.sms_method,
    sms_fallback_url: n.sms_fallback_url,
    sms_fallback_method: n.sms_fallback_method,
    sms_application_sid: n.sms_application_sid,
    ...named('sms_application_name', n.sms_application_sid),
    ussd_url: n.ussd_url,
    ussd_method: n.ussd_method,
    ussd_fallback_url: n.ussd_fallback_url,
    ussd_fallback_method: n.ussd_fallback_method,
    ussd_application_sid: n.ussd_application_sid,
    ...named('ussd_application_name', n.ussd_application_sid),
    refer_url: n.refer_url,
    refer_method: n.refer_method,
    refer_application_sid: n.refer_application_sid,
    ...named('refer_application_name', n.refer_application_sid),
    capabilities: {
      voice_capable: n.voice_capable === 1,
      sms_capable: n.sms_capable === 1,
      mms_capable: n.mms_capable === 1,
      fax_capable: n.fax_capable === 1,
    },
    api_version: n.api_version,
    uri: `${uri(n)}.json`,
  };
}

/** XML omits null URLs and applications but always carries every `*Method`. */
export function numberXml(n: Row, names: AppNames): XmlNode {
  return withoutNulls({
    Sid: n.sid,
    AccountSid: n.account_sid,
    FriendlyName: n.friendly_name,
    PhoneNumber: n.phone_number,
    VoiceUrl: n.voice_url,
    VoiceMethod: n.voice_method,
    VoiceFallbackUrl: n.voice_fallback_url,
    VoiceFallbackMethod: n.voice_fallback_method,
    StatusCallback: n.status_callback,
    StatusCallbackMethod: n.status_callback_method,
    VoiceCallerIdLookup: n.voice_caller_id_lookup === 1,
    VoiceApplicationSid: n.voice_application_sid,
    VoiceApplicationName: appName(names, n.voice_application_sid),
    DateCreated: restcommDate(n.date_created),
    DateUpdated: restcommDate(n.date_updated),
    SmsUrl: n.sms_url,
    SmsMethod: n.sms_method,
    SmsFallbackUrl: n.sms_fallback_url,
    SmsFallbackMethod: n.sms_fallback_method,
    SmsApplicationSid: n.sms_application_sid,
    SmsApplicationName: appName(names, n.sms_application_sid),
    UssdUrl: n.ussd_url,
    UssdMethod: n.ussd_method,
    UssdFallbackUrl: n.ussd_fallback_url,
    UssdFallbackMethod: n.ussd_fallback_method,
    UssdApplicationSid: n.ussd_application_sid,
    UssdApplicationName: appName(names, n.ussd_application_sid),
    ReferUrl: n.refer_url,
    ReferMethod: n.refer_method,
    ReferApplicationSid: n.refer_application_sid,
    ReferApplicationName: appName(names, n.refer_application_sid),
    Capabilities: {
      Voice: n.voice_capable === 1,
      Sms: n.sms_capable === 1,
      Mms: n.mms_capable === 1,
      Fax: n.fax_capable === 1,
    },
    ApiVersion: n.api_version,
    Uri: uri(n),
  });
}

export function registerIncomingPhoneNumbers(app: FastifyInstance, ctx: ApiContext): void {
  const namesFor = async (accountSid: string, rows: readonly Row[]): Promise<AppNames> => {
    const sids = new Set<string>();
    for (const r of rows) for (const [, col] of APPS) if (r[col] !== null) sids.add(r[col] ?? '');
    const names = new Map<string, string>();
    for (const sid of sids) {
      const found = await ctx.store.applications.findVisible(accountSid, sid);
      if (found) names.set(sid, found.friendly_name);
    }
    return names;
  };
  const send = async (request: FastifyRequest, reply: FastifyReply, n: Row): Promise<FastifyReply> => {
    const names = await namesFor(n.account_sid, [n]);
    return sendFormatted(request, reply, numberJson(n, names), { IncomingPhoneNumber: numberXml(n, names) });
  };
  const find = async (accountSid: string, sid: string): Promise<Row> => {
    const found = isSid(sid, 'PN') ? await ctx.store.numbers.findBySid(accountSid, sid) : undefined;
    if (found === undefined) throw notFound(`IncomingPhoneNumber ${sid}`);
    return found;
  };
  /** An Application sid or the name of one the account can see (Dialtone: designer apps go by name). */
  const applicationSid = async (accountSid: string, form: Form, name: string): Promise<string | null | undefined> => {
    const v = optionalText(form, name, 64);
    if (v === undefined || v === null) return v;
    return applicationRef(ctx.store, accountSid, name, v);
  };
  /**
   * `ReferUrl` is a URL, or (Restcomm's product page: "either a Visual Designer application name or any
   * other URL") the name of an application the account can see, which sets `refer_application_sid`.
   */
  const referTarget = async (accountSid: string, form: Form): Promise<Partial<Row>> => {
    const v = optionalText(form, 'ReferUrl', 2048);
    if (v === undefined || v === null || v.startsWith('/') || /^https?:\/\//i.test(v)) return {};
    const sid = await applicationByName(ctx.store, accountSid, 'ReferUrl', v);
    if (sid === undefined) throw badRequest(`ReferUrl "${v}" is neither an http(s) URL nor the name of an application of this account`);
    return { refer_url: null, refer_application_sid: sid };
  };
  /** The settable fields common to create and update; absent ones are left out of the result. */
  const settable = async (accountSid: string, form: Form): Promise<Partial<Row>> => {
    const out: Partial<Record<keyof Row, unknown>> = {};
    const referApp = await referTarget(accountSid, form);
    for (const [name, col] of URLS) {
      if (name === 'ReferUrl' && 'refer_application_sid' in referApp) continue;
      const v = optionalUrl(form, name);
      if (v !== undefined) out[col] = v;
    }
    Object.assign(out, referApp);
    for (const [name, col] of METHODS) {
      const v = optionalMethod(form, name);
      if (v !== undefined) out[col] = v;
    }
    for (const [name, col] of APPS) {
      const v = await applicationSid(accountSid, form, name);
      if (v !== undefined) out[col] = v;
    }
    for (const [name, col] of FLAGS) {
      const v = optionalBool(form, name);
      if (v !== undefined) out[col] = v ? 1 : 0;
    }
    const name = optionalText(form, 'FriendlyName', 64);
    if (name) out.friendly_name = friendlyName(name);
    const apiVersion = optionalText(form, 'ApiVersion', 16);
    if (apiVersion) out.api_version = apiVersion;
    return out as Partial<Row>;
  };

  const list = async (request: FastifyRequest<AccountParams>, reply: FastifyReply): Promise<FastifyReply> => {
    const account = await operatedAccount(ctx.store, callerOf(request), request.params.accountSid, 'Read', 'IncomingPhoneNumbers');
    const query = queryOf(request);
    const paging = parsePageRequest(query);
    const filter: NumberFilter = { accountSid: account.sid };
    const phoneNumber = field(query, 'PhoneNumber');
    if (phoneNumber) filter.phoneNumber = phoneNumber;
    const name = field(query, 'FriendlyName');
    if (name) filter.friendlyName = name;
    const total = await ctx.store.numbers.count(filter);
    checkPage(paging, total);
    const rows = await ctx.store.numbers.list(filter, paging.page * paging.pageSize, paging.pageSize);
    const names = await namesFor(account.sid, rows);
    const env = pageEnvelope(paging, total, rows.map((r) => r.sid), `/${API_VERSION}/Accounts/${account.sid}/IncomingPhoneNumbers`);
    return sendFormatted(
      request,
      reply,
      { ...env, incomingPhoneNumbers: rows.map((r) => numberJson(r, names)) },
      { IncomingPhoneNumbers: { ...pageAttributes(env), IncomingPhoneNumber: rows.map((r) => numberXml(r, names)) } },
    );
  };

  const create = async (request: FastifyRequest<AccountParams>, reply: FastifyReply): Promise<FastifyReply> => {
    const account = await operatedAccount(ctx.store, callerOf(request), request.params.accountSid, 'Create', 'IncomingPhoneNumbers');
    const form = formOf(request);
    const given = optionalText(form, 'PhoneNumber', 30);
    if (!given) {
      if (optionalText(form, 'AreaCode', 16)) {
        throw badRequest('AreaCode needs a number provider and Dialtone has none: give PhoneNumber');
      }
      throw badRequest('Phone number can not be null.');
    }
    const isSip = field(form, 'isSIP');
    const phoneNumber = isSip === undefined ? normaliseE164(given) : given.trim();
    if (await ctx.store.numbers.findByPhoneNumber(phoneNumber)) throw unavailable();
    const now = new Date().toISOString();
    const number: Row = {
      sid: newSid('PN'),
      account_sid: account.sid,
      friendly_name: phoneNumber,
      phone_number: phoneNumber,
      voice_url: null,
      voice_method: 'POST',
      voice_fallback_url: null,
      voice_fallback_method: 'POST',
      status_callback: null,
      status_callback_method: 'POST',
      voice_caller_id_lookup: 0,
      voice_application_sid: null,
      sms_url: null,
      sms_method: 'POST',
      sms_fallback_url: null,
      sms_fallback_method: 'POST',
      sms_application_sid: null,
      ussd_url: null,
      ussd_method: 'POST',
      ussd_fallback_url: null,
      ussd_fallback_method: 'POST',
      ussd_application_sid: null,
      refer_url: null,
      refer_method: 'POST',
      refer_application_sid: null,
      voice_capable: 0,
      sms_capable: 0,
      mms_capable: 0,
      fax_capable: 0,
      pure_sip: isSip !== undefined && isSip.trim().toLowerCase() === 'true' ? 1 : 0,
      api_version: API_VERSION,
      date_created: now,
      date_updated: now,
      ...(await settable(account.sid, form)),
    };
    try {
      await ctx.store.numbers.insert(number);
    } catch (err) {
      // A concurrent create of the same number lost the race on the unique index.
      if (await ctx.store.numbers.findByPhoneNumber(phoneNumber)) throw unavailable();
      throw err;
    }
    return send(request, reply, number);
  };

  for (const suffix of ['', '/Local', '/TollFree', '/Mobile']) {
    app.get<AccountParams>(`/Accounts/:accountSid/IncomingPhoneNumbers${suffix}`, list);
    app.post<AccountParams>(`/Accounts/:accountSid/IncomingPhoneNumbers${suffix}`, create);
  }

  app.get<Params>('/Accounts/:accountSid/IncomingPhoneNumbers/:sid', async (request, reply) => {
    const account = await operatedAccount(ctx.store, callerOf(request), request.params.accountSid, 'Read', 'IncomingPhoneNumbers');
    return send(request, reply, await find(account.sid, request.params.sid));
  });

  const update = async (request: FastifyRequest<Params>, reply: FastifyReply): Promise<FastifyReply> => {
    const account = await operatedAccount(ctx.store, callerOf(request), request.params.accountSid, 'Modify', 'IncomingPhoneNumbers');
    const number = await find(account.sid, request.params.sid);
    const patch: Partial<Row> = { ...(await settable(account.sid, formOf(request))), date_updated: new Date().toISOString() };
    await ctx.store.numbers.update(number.sid, patch);
    return send(request, reply, { ...number, ...patch });
  };
  app.post<Params>('/Accounts/:accountSid/IncomingPhoneNumbers/:sid', update);
  app.put<Params>('/Accounts/:accountSid/IncomingPhoneNumbers/:sid', update);

  app.delete<Params>('/Accounts/:accountSid/IncomingPhoneNumbers/:sid', async (request, reply) => {
    const account = await operatedAccount(ctx.store, callerOf(request), request.params.accountSid, 'Delete', 'IncomingPhoneNumbers');
    const { sid } = request.params;
    if (!isSid(sid, 'PN') || !(await ctx.store.numbers.delete(account.sid, sid))) throw notFound(`IncomingPhoneNumber ${sid}`);
    return reply.code(204).send();
  });
}
