import { bool, int, isRecord, nonEmpty, rec, records, str, VARIABLE_NAME, type JsonRecord } from '../json.js';
import type { Step } from '../state.js';
import { FAILURE, StepFailure } from './failure.js';
import { flag, integer, list, moduleRef, object, oneOf, text } from './fields.js';
import type { HttpCall, StepKind, StepRuntime, ValidationScope } from './types.js';

const METHODS = ['GET', 'POST', 'PUT', 'DELETE'] as const;
const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';
/** RVD's schema names the MIME types; the digest's short forms are read too. */
const CONTENT_TYPES = [FORM, JSON_TYPE, 'form', 'json'] as const;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function contentKind(step: Step): 'form' | 'json' | string {
  const type = nonEmpty(step, 'contentType');
  if (type === undefined || type === FORM || type === 'form') return 'form';
  if (type === JSON_TYPE || type === 'json') return 'json';
  return type;
}

/** The URL expanded; one without a host takes the controller's scheme, host and port. */
function requestUrl(step: Step, rt: StepRuntime): URL {
  const raw = rt.expand(str(step, 'url')) ?? '';
  let url: URL;
  try {
    url = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? new URL(raw) : new URL(raw.startsWith('/') ? raw : `/${raw}`, rt.origin);
  } catch {
    throw new StepFailure(FAILURE.serviceRequest, `External Service step ${step.name}: ${raw} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new StepFailure(FAILURE.serviceRequest, `External Service step ${step.name}: ${raw} is not an http(s) URL`);
  }
  return url;
}

function buildCall(step: Step, rt: StepRuntime): HttpCall {
  const method = (str(step, 'method') ?? 'GET') as HttpCall['method'];
  if (!(METHODS as readonly string[]).includes(method)) throw new StepFailure(FAILURE.badStep, `External Service step ${step.name}: unknown method ${method}`);
  const url = requestUrl(step, rt);
  const params = records(step, 'urlParams').map((p) => [str(p, 'name') ?? '', rt.expand(str(p, 'value')) ?? ''] as const);
  const headers: Record<string, string> = {};
  let body: string | null = null;
  if (method === 'GET' || method === 'DELETE') {
    for (const [name, value] of params) url.searchParams.append(name, value);
  } else {
    const kind = contentKind(step);
    if (kind === 'form' && bool(step, 'populatePostBodyFromParams') === true) {
      body = new URLSearchParams(params.map(([n, v]): [string, string] => [n, v])).toString();
    } else {
      body = rt.expand(str(step, 'requestBody')) ?? (kind === 'form' ? null : '');
    }
    headers['content-type'] = kind === 'form' ? FORM : kind === 'json' ? JSON_TYPE : kind;
  }
  const username = nonEmpty(step, 'username');
  if (username !== undefined) headers.authorization = `Basic ${Buffer.from(`${username}:${str(step, 'password') ?? ''}`).toString('base64')}`;
  const callSid = rt.variable('core_CallSid');
  if (callSid !== undefined) headers['x-restcomm-callsid'] = callSid;
  for (const h of records(step, 'httpHeaders')) {
    const name = str(h, 'name');
    if (name !== undefined && HEADER_NAME.test(name)) headers[name.toLowerCase()] = rt.expand(str(h, 'value')) ?? '';
  }
  const cap = rt.externalServiceTimeoutMs;
  // 0 is "no timeout of its own" (Apache HttpClient's infinite), so the cap applies.
  const own = int(step, 'timeout');
  return { method, url: url.toString(), headers, body, timeoutMs: own === undefined || own === 0 ? cap : Math.min(own, cap) };
}

/** Walks `accessOperations` into the answer (RVD `evaluateExtractorExpression`); '' when no `value` operation ends it. */
function extract(extractor: JsonRecord | undefined, answer: unknown, what: string, step: Step): string {
  const bad = (why: string): never => {
    throw new StepFailure(FAILURE.serviceValue, `External Service step ${step.name}: ${what} not found in the answer (${why})`);
  };
  let element: unknown = answer;
  let value = '';
  for (const op of records(extractor, 'accessOperations')) {
    if (element === undefined) bad('nothing at this position');
    const kind = str(op, 'kind');
    if (kind === 'object') {
      if (!isRecord(element)) bad('no JSON object');
      if (str(op, 'action') !== 'propertyNamed') bad(`unknown action ${str(op, 'action')}`);
      element = (element as JsonRecord)[str(op, 'property') ?? ''];
    } else if (kind === 'array') {
      if (!Array.isArray(element)) bad('no JSON array');
      if (str(op, 'action') !== 'itemAtPosition') bad(`unknown action ${str(op, 'action')}`);
      element = (element as readonly unknown[])[int(op, 'position') ?? -1];
    } else if (kind === 'value') {
      if (typeof element !== 'string' && typeof element !== 'number' && typeof element !== 'boolean') bad('no value, maybe null');
      value = String(element);
    }
  }
  return value;
}

function route(step: Step, answer: unknown, rt: StepRuntime): string | undefined {
  if (bool(step, 'doRouting') !== true) return undefined;
  const type = str(step, 'nextType');
  if (type === 'fixed') {
    const next = nonEmpty(step, 'next');
    if (next === undefined) throw new StepFailure(FAILURE.serviceRoute, `External Service step ${step.name}: fixed routing without a next module`);
    return next;
  }
  if (type !== 'responseBased' && type !== 'mapped') return undefined;
  const value = extract(rec(step, 'nextValueExtractor'), answer, 'the routing value', step);
  if (type === 'responseBased') return rt.moduleByLabel(value);
  return nonEmpty(records(step, 'routeMappings').find((m) => str(m, 'value') === value), 'next');
}

function assign(step: Step, answer: unknown, next: string | undefined, rt: StepRuntime): void {
  const routed = bool(step, 'doRouting') === true && (str(step, 'nextType') === 'responseBased' || str(step, 'nextType') === 'mapped');
  for (const a of records(step, 'assignments')) {
    const only = nonEmpty(a, 'moduleNameScope');
    if (routed && only !== undefined && only !== next) continue;
    const name = str(a, 'destVariable') ?? '';
    const value = extract(rec(a, 'valueExtractor'), answer, `the value of ${name}`, step);
    const scope = str(a, 'scope');
    if (scope === 'application') rt.setVariable(name, value, 'application');
    else if (scope === 'module') rt.setVariable(name, value, 'module');
  }
}

async function call(step: Step, rt: StepRuntime): Promise<string | null> {
  const request = buildCall(step, rt);
  rt.log(['ES', 'REQUEST'], `Requesting from url: ${request.url}`);
  const outcome = await rt.http(request);
  if (outcome.kind === 'timeout') {
    rt.log(['ES'], `Request timed out. Timeout set to ${request.timeoutMs}`);
    const onTimeout = nonEmpty(step, 'onTimeout');
    if (onTimeout !== undefined) return onTimeout;
    throw new StepFailure(FAILURE.serviceTimeout, `External Service step ${step.name}: ${request.url} gave no answer within ${request.timeoutMs} ms`);
  }
  if (outcome.kind === 'error') throw new StepFailure(FAILURE.serviceRequest, `External Service step ${step.name}: request to ${request.url} failed: ${outcome.message}`);
  if (outcome.status >= 400 && outcome.status < 600) {
    const exceptionNext = nonEmpty(step, 'exceptionNext');
    if (exceptionNext !== undefined) return exceptionNext;
    throw new StepFailure(FAILURE.serviceStatus, `External Service step ${step.name}: ${request.url} answered ${outcome.status}`);
  }
  const routed = bool(step, 'doRouting') === true && (str(step, 'nextType') === 'responseBased' || str(step, 'nextType') === 'mapped');
  let answer: unknown;
  if (records(step, 'assignments').length > 0 || routed) {
    rt.log(['ES', 'RESPONSE'], outcome.body);
    try {
      answer = JSON.parse(outcome.body);
    } catch {
      throw new StepFailure(FAILURE.serviceJson, `External Service step ${step.name}: ${request.url} answered something that is not JSON`);
    }
  }
  const next = route(step, answer, rt);
  assign(step, answer, next, rt);
  return next ?? null;
}

function validateExtractor(value: unknown, at: string, scope: ValidationScope): void {
  if (!isRecord(value) || !Array.isArray(value.accessOperations)) {
    scope.error(at, 'External Service step: say where the value is in the answer (accessOperations)');
    return;
  }
  value.accessOperations.forEach((op: unknown, i: number) => {
    const p = `${at}/accessOperations/${i}`;
    const kind = isRecord(op) ? str(op, 'kind') : undefined;
    if (kind === 'object' && (str(op as JsonRecord, 'action') !== 'propertyNamed' || nonEmpty(op as JsonRecord, 'property') === undefined)) {
      scope.error(p, 'External Service step: an object operation needs the property name');
    } else if (kind === 'array' && (str(op as JsonRecord, 'action') !== 'itemAtPosition' || (int(op as JsonRecord, 'position') ?? -1) < 0)) {
      scope.error(p, 'External Service step: an array operation needs a position of 0 or more');
    } else if (kind !== 'object' && kind !== 'array' && kind !== 'value') {
      scope.error(p, 'External Service step: an operation is object, array or value');
    }
  });
}

function validateNamed(items: unknown, field: string, scope: ValidationScope, name: RegExp, what: string): void {
  if (!Array.isArray(items)) return;
  items.forEach((item, i) => {
    if (!isRecord(item) || typeof item.name !== 'string' || !name.test(item.name)) scope.error(`${field}/${i}/name`, `External Service step: ${what}`);
    else if (item.value !== undefined && item.value !== null && typeof item.value !== 'string') scope.error(`${field}/${i}/value`, 'External Service step: the value must be text');
  });
}

export const externalService: StepKind = {
  kind: 'externalService',
  title: 'External Service',
  description: 'Calls a web service while the module is rendered; stores values of its JSON answer in variables and may route to a module.',
  projects: ['voice', 'sms', 'ussd'],
  produces: 'no RCML; a routed module replaces the rest of the current one',
  fields: {
    url: text({ required: true, expands: true, description: 'without host: the controller\'s scheme, host and port' }),
    doRouting: flag({ required: true }),
    method: oneOf(METHODS, { description: 'GET by default' }),
    contentType: oneOf(CONTENT_TYPES, { description: 'of a POST/PUT body' }),
    requestBody: text({ expands: true }),
    populatePostBodyFromParams: flag({ description: 'a form body made of urlParams' }),
    username: text({ description: 'Basic authentication' }),
    password: text(),
    urlParams: list({ expands: true, description: '`[{name, value$}]`: the query of GET/DELETE, or the form body' }),
    httpHeaders: list({ expands: true, description: '`[{name, value$}]`' }),
    assignments: list({ description: '`[{destVariable, scope: module|application, moduleNameScope, valueExtractor}]`' }),
    nextType: oneOf(['fixed', 'responseBased', 'mapped']),
    next: text({ description: 'the module of fixed routing' }),
    nextValueExtractor: object({ description: 'where the routing value is in the answer' }),
    routeMappings: list({ description: '`[{value, next}]` of mapped routing' }),
    exceptionNext: moduleRef({ description: 'runs when the service answers 400-599' }),
    onTimeout: moduleRef({ description: 'runs when the service does not answer in time' }),
    timeout: integer({ min: 0, description: 'milliseconds, capped by the node\'s External Service timeout' }),
  },
  validate(step, scope) {
    if (str(step, 'url') === '') scope.error('url', 'External Service step: give the URL of the service');
    validateNamed(step.urlParams, 'urlParams', scope, /^.+$/, 'a parameter needs a name');
    validateNamed(step.httpHeaders, 'httpHeaders', scope, HEADER_NAME, 'a header needs a valid name');
    if (Array.isArray(step.assignments)) {
      step.assignments.forEach((a: unknown, i: number) => {
        const at = `assignments/${i}`;
        if (!isRecord(a)) return scope.error(at, 'External Service step: each assignment must be an object');
        const name = str(a, 'destVariable');
        if (name === undefined || !VARIABLE_NAME.test(name)) scope.error(`${at}/destVariable`, 'External Service step: the variable name must start with a letter and hold only letters, digits and _');
        if (a.scope !== undefined && a.scope !== null && a.scope !== 'module' && a.scope !== 'application') scope.error(`${at}/scope`, 'External Service step: the scope must be module or application');
        scope.module(`${at}/moduleNameScope`, a.moduleNameScope, false);
        validateExtractor(a.valueExtractor, `${at}/valueExtractor`, scope);
      });
    }
    if (bool(step, 'doRouting') !== true) return;
    const type = str(step, 'nextType');
    if (type === undefined) scope.error('nextType', 'External Service step: routing needs a type: fixed, responseBased or mapped');
    if (type === 'fixed') scope.module('next', step.next, true);
    if (type === 'responseBased' || type === 'mapped') validateExtractor(step.nextValueExtractor, 'nextValueExtractor', scope);
    if (type === 'mapped') {
      const mappings = Array.isArray(step.routeMappings) ? step.routeMappings : [];
      if (mappings.length === 0) scope.error('routeMappings', 'External Service step: mapped routing needs at least one value → module mapping');
      mappings.forEach((m: unknown, i: number) => {
        if (!isRecord(m) || typeof m.value !== 'string') scope.error(`routeMappings/${i}/value`, 'External Service step: a mapping needs the value to match');
        scope.module(`routeMappings/${i}/next`, isRecord(m) ? m.next : undefined, true);
      });
    }
  },
  process: call,
};
