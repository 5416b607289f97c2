import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApplicationNumber } from '../../store/applications.js';
import type { Application } from '../../store/schema.js';
import { API_VERSION, isSid, newSid } from '../../store/sid.js';
import type { ApiContext } from '../context.js';
import { restcommDate } from '../dates.js';
import { badRequest, notFound } from '../errors.js';
import { field, formOf, optionalBool, optionalText, optionalUrl, requiredText, type Form } from '../form.js';
import { callerOf } from '../identity.js';
import { sendFormatted, withoutNulls, type XmlNode } from '../render.js';
import { operatedAccount } from '../tenancy.js';
import { friendlyName } from '../validate.js';

type Params = { Params: { accountSid: string; sid: string } };
type AccountParams = { Params: { accountSid: string } };

const KINDS = ['voice', 'sms', 'ussd'];

function uri(a: Application, accountSid: string): string {
  return `/${API_VERSION}/Accounts/${a.account_sid ?? accountSid}/Applications/${a.sid}`;
}

function usesApp(n: ApplicationNumber, sid: string): boolean {
  return [n.voice_application_sid, n.sms_application_sid, n.ussd_application_sid, n.refer_application_sid].includes(sid);
}

export function applicationJson(a: Application, accountSid: string, numbers?: readonly ApplicationNumber[]): Record<string, unknown> {
  return withoutNulls({
    sid: a.sid,
    date_created: restcommDate(a.date_created),
    date_updated: restcommDate(a.date_updated),
    friendly_name: a.friendly_name,
    account_sid: a.account_sid,
    api_version: a.api_version,
    voice_caller_id_lookup: a.voice_caller_id_lookup === 1,
    uri: `${uri(a, accountSid)}.json`,
    rcml_url: a.rcml_url,
    kind: a.kind,
    numbers: numbers?.filter((n) => usesApp(n, a.sid)).map((n) => withoutNulls({ ...n })),
  });
}

export function applicationXml(a: Application, accountSid: string, numbers?: readonly ApplicationNumber[]): XmlNode {
  return withoutNulls({
    Sid: a.sid,
    DateCreated: restcommDate(a.date_created),
    DateUpdated: restcommDate(a.date_updated),
    FriendlyName: a.friendly_name,
    AccountSid: a.account_sid,
    ApiVersion: a.api_version,
    VoiceCallerIdLookup: a.voice_caller_id_lookup === 1,
    Uri: uri(a, accountSid),
    RcmlUrl: a.rcml_url,
    Kind: a.kind,
    Numbers:
      numbers === undefined
        ? undefined
        : {
            Number: numbers
              .filter((n) => usesApp(n, a.sid))
              .map((n) =>
                withoutNulls({
                  Sid: n.sid,
                  FriendlyName: n.friendly_name,
                  PhoneNumber: n.phone_number,
                  VoiceApplicationSid: n.voice_application_sid,
                  SmsApplicationSid: n.sms_application_sid,
                  UssdApplicationSid: n.ussd_application_sid,
                  ReferApplicationSid: n.refer_application_sid,
                }),
              ),
          },
  });
}

function parseKind(form: Form): string | null | undefined {
  const v = field(form, 'Kind');
  if (v === undefined) return undefined;
  if (!KINDS.includes(v)) throw badRequest(`Kind must be one of ${KINDS.join(', ')}, not "${v}"`);
  return v;
}

export function registerApplications(app: FastifyInstance, ctx: ApiContext): void {
  const send = (request: FastifyRequest, reply: FastifyReply, a: Application, accountSid: string): FastifyReply =>
    sendFormatted(request, reply, applicationJson(a, accountSid), { Application: applicationXml(a, accountSid) });
  const find = async (accountSid: string, sid: string): Promise<Application> => {
    const found = isSid(sid, 'AP') ? await ctx.store.applications.findVisible(accountSid, sid) : undefined;
    if (found === undefined) throw notFound(`Application ${sid}`);
    return found;
  };

  app.get<AccountParams>('/Accounts/:accountSid/Applications', async (request, reply) => {
    const account = await operatedAccount(ctx.store, callerOf(request), request.params.accountSid, 'Read', 'Applications');
    const [apps, numbers] = await Promise.all([
      ctx.store.applications.list(account.sid),
      ctx.store.applications.numbersUsingApplications(account.sid),
    ]);
    return sendFormatted(
      request,
      reply,
      apps.map((a) => applicationJson(a, account.sid, numbers)),
      { Applications: { Application: apps.map((a) => applicationXml(a, account.sid, numbers)) } },
    );
  });

  app.post<AccountParams>('/Accounts/:accountSid/Applications', async (request, reply) => {
    const account = await operatedAccount(ctx.store, callerOf(request), request.params.accountSid, 'Create', 'Applications');
    const form = formOf(request);
    const nameText = field(form, 'FriendlyName');
    if (nameText === undefined || nameText.trim() === '') throw badRequest('Friendly name can not be null.');
    const now = new Date().toISOString();
    const application: Application = {
      sid: newSid('AP'),
      account_sid: account.sid,
      friendly_name: friendlyName(requiredText(form, 'FriendlyName', 64)),
      api_version: optionalText(form, 'ApiVersion', 16) ?? API_VERSION,
      voice_caller_id_lookup: optionalBool(form, 'VoiceCallerIdLookup') === true ? 1 : 0,
      rcml_url: optionalUrl(form, 'RcmlUrl') ?? null,
      kind: parseKind(form) ?? null,
      date_created: now,
      date_updated: now,
    };
    await ctx.store.applications.insert(application);
    return send(request, reply, application, account.sid);
  });

  app.get<Params>('/Accounts/:accountSid/Applications/:sid', async (request, reply) => {
    const account = await operatedAccount(ctx.store, callerOf(request), request.params.accountSid, 'Read', 'Applications');
    return send(request, reply, await find(account.sid, request.params.sid), account.sid);
  });

  const update = async (request: FastifyRequest<Params>, reply: FastifyReply): Promise<FastifyReply> => {
    const account = await operatedAccount(ctx.store, callerOf(request), request.params.accountSid, 'Modify', 'Applications');
    const application = await find(account.sid, request.params.sid);
    if (application.account_sid !== account.sid) throw notFound(`Application ${application.sid} of account ${account.sid}`);
    const form = formOf(request);
    const patch: Partial<Application> = { date_updated: new Date().toISOString() };
    const name = optionalText(form, 'FriendlyName', 64);
    if (name) patch.friendly_name = friendlyName(name);
    const lookup = optionalBool(form, 'VoiceCallerIdLookup');
    if (lookup !== undefined) patch.voice_caller_id_lookup = lookup ? 1 : 0;
    const rcmlUrl = optionalUrl(form, 'RcmlUrl');
    if (rcmlUrl !== undefined) patch.rcml_url = rcmlUrl;
    const kind = parseKind(form);
    if (kind !== undefined) patch.kind = kind;
    await ctx.store.applications.update(application.sid, patch);
    return send(request, reply, { ...application, ...patch }, account.sid);
  };
  app.post<Params>('/Accounts/:accountSid/Applications/:sid', update);
  app.put<Params>('/Accounts/:accountSid/Applications/:sid', update);

  app.delete<Params>('/Accounts/:accountSid/Applications/:sid', async (request, reply) => {
    // Restcomm checks Modify (not Delete) here and answers 200 even when nothing was there.
    const account = await operatedAccount(ctx.store, callerOf(request), request.params.accountSid, 'Modify', 'Applications');
    if (isSid(request.params.sid, 'AP')) await ctx.store.applications.delete(account.sid, request.params.sid);
    return reply.code(200).send();
  });
}
