import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Account } from '../../store/schema.js';
import { accountSidForEmail, API_VERSION, isSid, md5hex } from '../../store/sid.js';
import type { ApiContext } from '../context.js';
import { restcommDate } from '../dates.js';
import { ApiError, badRequest, forbidden, notFound } from '../errors.js';
import { field, formOf, optionalText, type Form } from '../form.js';
import { callerOf } from '../identity.js';
import { ADMINISTRATOR, isPermitted, type Action } from '../permissions.js';
import { readReferFields, referJson, referXml } from '../refer-fields.js';
import { sendFormatted, type XmlNode } from '../render.js';
import { isInTree } from '../tenancy.js';
import { friendlyName, strongPassword, validEmail } from '../validate.js';

export const ACCOUNT_STATUSES = ['active', 'closed', 'suspended', 'inactive', 'uninitialized'] as const;
const ADMIN_EMAIL = 'administrator@company.com';

const SUBRESOURCES: readonly (readonly [json: string, xml: string, path: string])[] = [
  ['available_phone_numbers', 'AvailablePhoneNumbers', 'AvailablePhoneNumbers'],
  ['calls', 'Calls', 'Calls'],
  ['conferences', 'Conferences', 'Conferences'],
  ['incoming_phone_numbers', 'IncomingPhoneNumbers', 'IncomingPhoneNumbers'],
  ['notifications', 'Notifications', 'Notifications'],
  ['outgoing_caller_ids', 'OutgoingCallerIds', 'OutgoingCallerIds'],
  ['recordings', 'Recordings', 'Recordings'],
  ['sandbox', 'Sandbox', 'Sandbox'],
  ['sms_messages', 'SMSMessages', 'SMS/Messages'],
  ['transcriptions', 'Transcriptions', 'Transcriptions'],
];

export function accountJson(a: Account): Record<string, unknown> {
  const base = `/${API_VERSION}/Accounts/${a.sid}`;
  return {
    sid: a.sid,
    organization: a.organization_sid,
    friendly_name: a.friendly_name,
    email_address: a.email_address,
    type: a.type,
    status: a.status,
    role: a.role,
    date_created: restcommDate(a.date_created),
    date_updated: restcommDate(a.date_updated),
    auth_token: a.auth_token,
    // Restcomm's quirk: `.json` follows `Accounts`, not the SID.
    uri: `/${API_VERSION}/Accounts.json/${a.sid}`,
    subresource_uris: Object.fromEntries(SUBRESOURCES.map(([key, , path]) => [key, `${base}/${path}.json`])),
    ...referJson(a),
  };
}

export function accountXml(a: Account): XmlNode {
  const base = `/${API_VERSION}/Accounts/${a.sid}`;
  return {
    Sid: a.sid,
    organization: a.organization_sid,
    FriendlyName: a.friendly_name,
    EmailAddress: a.email_address,
    Status: a.status,
    Role: a.role,
    Type: a.type,
    DateCreated: restcommDate(a.date_created),
    DateUpdated: restcommDate(a.date_updated),
    AuthToken: a.auth_token,
    Uri: base,
    SubresourceUris: Object.fromEntries(SUBRESOURCES.map(([, tag, path]) => [tag, `${base}/${path}`])),
    ...referXml(a),
  };
}

function parseStatus(form: Form): string | undefined {
  const v = field(form, 'Status');
  if (v === undefined) return undefined;
  const status = v.trim().toLowerCase();
  if (!(ACCOUNT_STATUSES as readonly string[]).includes(status)) {
    throw badRequest(`Status must be one of ${ACCOUNT_STATUSES.join(', ')}, not "${v}"`);
  }
  return status;
}

/** Administrators reach themselves and their descendants; any other role only itself (spec §1.8). */
async function reachableAccount(ctx: ApiContext, caller: Account, id: string, action: Action): Promise<Account> {
  if (!isPermitted(caller, action, 'Accounts')) throw forbidden(`${action}:Accounts is not allowed for role ${caller.role}`);
  const { accounts } = ctx.store;
  const account = isSid(id, 'AC')
    ? await accounts.findBySid(id)
    : ((await accounts.findByFriendlyName(id)) ?? (await accounts.findByEmail(id.toLowerCase())));
  if (account === undefined) throw notFound(`Account ${id}`);
  if (account.sid === caller.sid) return account;
  if (caller.role !== ADMINISTRATOR || !(await isInTree(ctx.store, caller, account))) {
    throw forbidden(`Account ${id} is outside the caller's account tree`);
  }
  return account;
}

async function depth(ctx: ApiContext, account: Account): Promise<number> {
  let n = 0;
  let parent = account.parent_sid;
  while (parent !== null && n < 8) {
    n++;
    parent = (await ctx.store.accounts.findBySid(parent))?.parent_sid ?? null;
  }
  return n;
}

export function registerAccounts(app: FastifyInstance, ctx: ApiContext): void {
  const send = (request: FastifyRequest, reply: FastifyReply, a: Account): FastifyReply =>
    sendFormatted(request, reply, accountJson(a), { Account: accountXml(a) });

  app.get('/Accounts', async (request, reply) => {
    const caller = callerOf(request);
    if (!isPermitted(caller, 'Read', 'Accounts')) throw forbidden(`Read:Accounts is not allowed for role ${caller.role}`);
    const children = await ctx.store.accounts.listChildren(caller.sid);
    return sendFormatted(request, reply, children.map(accountJson), { Accounts: { Account: children.map(accountXml) } });
  });

  app.post('/Accounts', async (request, reply) => {
    const caller = callerOf(request);
    if (!isPermitted(caller, 'Create', 'Accounts')) throw forbidden(`Create:Accounts is not allowed for role ${caller.role}`);
    if ((await depth(ctx, caller)) >= 2) throw badRequest('This account is not allowed to have sub-accounts');
    const form = formOf(request);
    const emailText = field(form, 'EmailAddress');
    if (emailText === undefined || emailText.trim() === '') throw badRequest('Email address can not be null.');
    const password = field(form, 'Password');
    if (password === undefined || password === '') throw badRequest('Password can not be null.');
    const email = validEmail(emailText.trim());
    strongPassword(password);
    const status = parseStatus(form) ?? 'active';
    const requestedRole = optionalText(form, 'Role', 64);
    const role = caller.role === ADMINISTRATOR && requestedRole ? requestedRole : caller.role;
    const org = field(form, 'OrganizationSid');
    if (org !== undefined && org !== caller.organization_sid) {
      throw badRequest(isSid(org, 'OR') ? 'provided OrganizationSid does not exist' : `OrganizationSid "${org}" is not a valid SID`);
    }
    const sid = accountSidForEmail(email);
    if (email === ADMIN_EMAIL || (await ctx.store.accounts.findBySid(sid)) || (await ctx.store.accounts.findByEmail(email))) {
      throw new ApiError(409, 'The email address used for the new account is already in use.');
    }
    if (caller.status !== 'active') throw forbidden('Provided Account is not active');
    const refer = await readReferFields(ctx, sid, form);
    const now = new Date().toISOString();
    const account: Account = {
      sid,
      parent_sid: caller.sid,
      organization_sid: caller.organization_sid,
      friendly_name: friendlyName(optionalText(form, 'FriendlyName', 64) ?? email),
      email_address: email,
      type: 'Full',
      status,
      role,
      auth_token: md5hex(password),
      api_version: API_VERSION,
      date_created: now,
      date_updated: now,
      refer_url: null,
      refer_method: 'POST',
      refer_application_sid: null,
      ...refer,
    };
    try {
      await ctx.store.accounts.insert(account);
    } catch (err) {
      // Two concurrent creates of the same address: the unique e-mail index decides.
      if (await ctx.store.accounts.findBySid(sid)) throw new ApiError(409, 'The email address used for the new account is already in use.');
      throw err;
    }
    return send(request, reply, account);
  });

  app.get<{ Params: { id: string } }>('/Accounts/:id', async (request, reply) => {
    const account = await reachableAccount(ctx, callerOf(request), request.params.id, 'Read');
    return send(request, reply, account);
  });

  const update = async (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply): Promise<FastifyReply> => {
    const caller = callerOf(request);
    const account = await reachableAccount(ctx, caller, request.params.id, 'Modify');
    if (account.status === 'closed') throw badRequest('Account is closed');
    const form = formOf(request);
    const patch: Partial<Account> = {};
    const name = optionalText(form, 'FriendlyName', 64);
    if (name) patch.friendly_name = friendlyName(name);
    const password = field(form, 'Password');
    if (password !== undefined) {
      patch.auth_token = md5hex(strongPassword(password));
      if (account.status === 'uninitialized') patch.status = 'active';
    }
    const role = optionalText(form, 'Role', 64);
    if (role) {
      if (caller.role !== ADMINISTRATOR) throw forbidden('Only Administrator allowed');
      patch.role = role;
    }
    Object.assign(patch, await readReferFields(ctx, account.sid, form));
    const status = parseStatus(form);
    const now = new Date().toISOString();
    await ctx.store.accounts.update(account.sid, { ...patch, date_updated: now });
    if (status !== undefined && status !== account.status) {
      const tree = await ctx.store.accounts.subtree(account.sid);
      for (const sid of tree) await ctx.store.accounts.update(sid, { status, date_updated: now });
      if (status === 'closed') await ctx.store.accounts.purgeResources(tree);
    }
    const updated = await ctx.store.accounts.findBySid(account.sid);
    if (updated === undefined) throw notFound(`Account ${account.sid}`);
    return send(request, reply, updated);
  };
  app.post<{ Params: { id: string } }>('/Accounts/:id', update);
  app.put<{ Params: { id: string } }>('/Accounts/:id', update);
}
