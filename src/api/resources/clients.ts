import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Client } from '../../store/schema.js';
import { API_VERSION, isSid, md5hex, newSid } from '../../store/sid.js';
import type { ApiContext } from '../context.js';
import { restcommDate } from '../dates.js';
import { ApiError, badRequest, notFound } from '../errors.js';
import { field, formOf, optionalBool, optionalMethod, optionalText, optionalUrl, type Form } from '../form.js';
import { callerOf } from '../identity.js';
import { readReferFields, referJson, referXml } from '../refer-fields.js';
import { sendFormatted, withoutNulls, type XmlNode } from '../render.js';
import { operatedAccount } from '../tenancy.js';
import { friendlyName, strongPassword, validLogin } from '../validate.js';

type Params = { Params: { accountSid: string; sid: string } };
type AccountParams = { Params: { accountSid: string } };

/** The digest HA1 Restcomm stores as a client's `password`; the realm is the organization's domain. */
export function clientHa1(login: string, realm: string, password: string): string {
  return md5hex(`${login}:${realm}:${password}`);
}

function uri(c: Client): string {
  return `/${API_VERSION}/Accounts/${c.account_sid}/Clients/${c.sid}`;
}

export function clientJson(c: Client): Record<string, unknown> {
  return withoutNulls({
    sid: c.sid,
    date_created: restcommDate(c.date_created),
    date_updated: restcommDate(c.date_updated),
    account_sid: c.account_sid,
    api_version: c.api_version,
    friendly_name: c.friendly_name,
    login: c.login,
    password: c.password,
    password_algorithm: c.password_algorithm,
    status: String(c.status),
    voice_url: c.voice_url,
    voice_method: c.voice_method,
    voice_fallback_url: c.voice_fallback_url,
    voice_fallback_method: c.voice_fallback_method,
    voice_application_sid: c.voice_application_sid,
    ...referJson(c),
    uri: `${uri(c)}.json`,
    push_client_identity: c.push_client_identity,
  });
}

export function clientXml(c: Client): XmlNode {
  return withoutNulls({
    Sid: c.sid,
    DateCreated: restcommDate(c.date_created),
    DateUpdated: restcommDate(c.date_updated),
    AccountSid: c.account_sid,
    ApiVersion: c.api_version,
    FriendlyName: c.friendly_name,
    Login: c.login,
    Password: c.password,
    Password_Algorithm: c.password_algorithm,
    Status: String(c.status),
    VoiceUrl: c.voice_url,
    VoiceMethod: c.voice_method,
    VoiceFallbackUrl: c.voice_fallback_url,
    VoiceFallbackMethod: c.voice_fallback_method,
    VoiceApplicationSid: c.voice_application_sid,
    ...referXml(c),
    Uri: uri(c),
    PushClientIdentity: c.push_client_identity,
  });
}

/** Restcomm ignores a Status that is not a number; 1 enables, 0 disables. */
function parseStatus(form: Form): number | undefined {
  const v = field(form, 'Status');
  if (v === undefined || !/^\s*-?\d+\s*$/.test(v)) return undefined;
  const n = Number(v);
  if (n !== 0 && n !== 1) throw badRequest(`Status must be 1 (enabled) or 0 (disabled), not "${v}"`);
  return n;
}

async function applicationSid(ctx: ApiContext, accountSid: string, form: Form, name: string): Promise<string | null | undefined> {
  const v = optionalText(form, name, 64);
  if (v === undefined || v === null) return v;
  if (!isSid(v, 'AP') || !(await ctx.store.applications.findVisible(accountSid, v))) {
    throw badRequest(`${name} ${v} is not an application of this account`);
  }
  return v;
}

export function registerClients(app: FastifyInstance, ctx: ApiContext): void {
  const realm = ctx.config.sipDomain;
  const send = (request: FastifyRequest, reply: FastifyReply, c: Client): FastifyReply =>
    sendFormatted(request, reply, clientJson(c), { Client: clientXml(c) });
  const find = async (accountSid: string, sid: string): Promise<Client> => {
    const client = isSid(sid, 'CL') ? await ctx.store.clients.findBySid(accountSid, sid) : undefined;
    if (client === undefined) throw notFound(`Client ${sid}`);
    return client;
  };

  app.get<AccountParams>('/Accounts/:accountSid/Clients', async (request, reply) => {
    const account = await operatedAccount(ctx.store, callerOf(request), request.params.accountSid, 'Read', 'Clients');
    const clients = await ctx.store.clients.list(account.sid);
    return sendFormatted(request, reply, clients.map(clientJson), { Clients: { Client: clients.map(clientXml) } });
  });

  app.post<AccountParams>('/Accounts/:accountSid/Clients', async (request, reply) => {
    const account = await operatedAccount(ctx.store, callerOf(request), request.params.accountSid, 'Create', 'Clients');
    const form = formOf(request);
    const loginText = field(form, 'Login');
    if (loginText === undefined || loginText === '') throw badRequest('Login can not be null.');
    const login = validLogin(loginText);
    const password = field(form, 'Password');
    if (password === undefined || password === '') throw badRequest('Password can not be null.');
    strongPassword(password);
    const existing = await ctx.store.clients.findByLogin(login);
    if (existing) {
      if (existing.account_sid === account.sid) return send(request, reply, existing);
      throw new ApiError(409, 'A client with the same name was already created by another account. Please, choose a different name and try again.');
    }
    const now = new Date().toISOString();
    const sid = newSid('CL');
    const client: Client = {
      sid,
      account_sid: account.sid,
      api_version: optionalText(form, 'ApiVersion', 16) ?? API_VERSION,
      friendly_name: friendlyName(optionalText(form, 'FriendlyName', 64) ?? login),
      login,
      password: clientHa1(login, realm, password),
      password_algorithm: 'MD5',
      status: parseStatus(form) ?? 1,
      voice_url: optionalUrl(form, 'VoiceUrl') ?? null,
      voice_method: optionalMethod(form, 'VoiceMethod') ?? 'POST',
      voice_fallback_url: optionalUrl(form, 'VoiceFallbackUrl') ?? null,
      voice_fallback_method: optionalMethod(form, 'VoiceFallbackMethod') ?? 'POST',
      voice_application_sid: (await applicationSid(ctx, account.sid, form, 'VoiceApplicationSid')) ?? null,
      push_client_identity: optionalBool(form, 'IsPushEnabled') === true ? sid : null,
      refer_url: null,
      refer_method: 'POST',
      refer_application_sid: null,
      ...(await readReferFields(ctx, account.sid, form)),
      date_created: now,
      date_updated: now,
    };
    await ctx.store.clients.insert(client);
    return send(request, reply, client);
  });

  app.get<Params>('/Accounts/:accountSid/Clients/:sid', async (request, reply) => {
    const account = await operatedAccount(ctx.store, callerOf(request), request.params.accountSid, 'Read', 'Clients');
    return send(request, reply, await find(account.sid, request.params.sid));
  });

  const update = async (request: FastifyRequest<Params>, reply: FastifyReply): Promise<FastifyReply> => {
    const account = await operatedAccount(ctx.store, callerOf(request), request.params.accountSid, 'Modify', 'Clients');
    const client = await find(account.sid, request.params.sid);
    const form = formOf(request);
    const patch: Partial<Client> = { date_updated: new Date().toISOString() };
    const name = optionalText(form, 'FriendlyName', 64);
    if (name) patch.friendly_name = friendlyName(name);
    const password = field(form, 'Password');
    if (password !== undefined) patch.password = clientHa1(client.login, realm, strongPassword(password));
    const status = parseStatus(form);
    if (status !== undefined) patch.status = status;
    const voiceUrl = optionalUrl(form, 'VoiceUrl');
    if (voiceUrl !== undefined) patch.voice_url = voiceUrl;
    const voiceMethod = optionalMethod(form, 'VoiceMethod');
    if (voiceMethod !== undefined) patch.voice_method = voiceMethod;
    const fallbackUrl = optionalUrl(form, 'VoiceFallbackUrl');
    if (fallbackUrl !== undefined) patch.voice_fallback_url = fallbackUrl;
    const fallbackMethod = optionalMethod(form, 'VoiceFallbackMethod');
    if (fallbackMethod !== undefined) patch.voice_fallback_method = fallbackMethod;
    const appSid = await applicationSid(ctx, account.sid, form, 'VoiceApplicationSid');
    if (appSid !== undefined) patch.voice_application_sid = appSid;
    const push = optionalBool(form, 'IsPushEnabled');
    if (push !== undefined) patch.push_client_identity = push ? client.sid : null;
    Object.assign(patch, await readReferFields(ctx, account.sid, form));
    await ctx.store.clients.update(client.sid, patch);
    return send(request, reply, { ...client, ...patch });
  };
  app.post<Params>('/Accounts/:accountSid/Clients/:sid', update);
  app.put<Params>('/Accounts/:accountSid/Clients/:sid', update);

  app.delete<Params>('/Accounts/:accountSid/Clients/:sid', async (request, reply) => {
    const account = await operatedAccount(ctx.store, callerOf(request), request.params.accountSid, 'Delete', 'Clients');
    const { sid } = request.params;
    if (!isSid(sid, 'CL') || !(await ctx.store.clients.delete(account.sid, sid))) throw notFound(`Client ${sid}`);
    return reply.code(200).send();
  });
}
