/** The stored JSON of a project's settings, parameters and state: reading it back and checking what clients send. */
import type { NamedProject } from '../../store/designer-projects.js';
import type { ProjectKind, ProjectParameter, ProjectSettings, ProjectState } from '../project/state.js';
import { badRequest } from './rvd-response.js';

export const PROJECT_KINDS: readonly ProjectKind[] = ['voice', 'sms', 'ussd'];
export const DEFAULT_SETTINGS: ProjectSettings = { logging: false, loggingRCML: false };
/** An application parameter becomes a variable, so its name is one (RVD's `$name` syntax). */
const PARAMETER_NAME = /^[A-Za-z]+[A-Za-z0-9_]*$/;
const MAX_PARAMETERS = 200;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isProjectKind(v: unknown): v is ProjectKind {
  return PROJECT_KINDS.includes(v as ProjectKind);
}

export function stateOf(project: NamedProject): ProjectState {
  return JSON.parse(project.state) as ProjectState;
}

export function settingsOf(project: NamedProject): ProjectSettings {
  return project.settings === null ? DEFAULT_SETTINGS : checkSettings(JSON.parse(project.settings) as unknown);
}

export function parametersOf(project: NamedProject): ProjectParameter[] {
  return checkParameters(JSON.parse(project.parameters) as unknown, 'parameters');
}

/** `{logging, loggingRCML}`: booleans, either may be left out (false); nothing else. */
export function checkSettings(body: unknown): ProjectSettings {
  if (!isObject(body)) throw badRequest('settings must be a JSON object {"logging":bool,"loggingRCML":bool}');
  for (const [key, value] of Object.entries(body)) {
    if (key !== 'logging' && key !== 'loggingRCML') throw badRequest(`settings has no field "${key}" (only logging and loggingRCML)`);
    if (typeof value !== 'boolean') throw badRequest(`settings.${key} must be true or false`);
  }
  return { logging: body.logging === true, loggingRCML: body.loggingRCML === true };
}

/** An array of `{name, value, description?}` with variable names, each name once. */
export function checkParameters(list: unknown, where: string): ProjectParameter[] {
  if (!Array.isArray(list)) throw badRequest(`${where} must be an array of {"name","value"}`);
  if (list.length > MAX_PARAMETERS) throw badRequest(`${where} has more than ${MAX_PARAMETERS} parameters`);
  const seen = new Set<string>();
  return list.map((p: unknown, i) => {
    if (!isObject(p)) throw badRequest(`${where}[${i}] must be an object {"name","value"}`);
    const { name, value, description } = p;
    if (typeof name !== 'string' || !PARAMETER_NAME.test(name)) throw badRequest(`${where}[${i}].name must be a variable name (letters, then letters, digits or _), not ${JSON.stringify(name ?? null)}`);
    if (seen.has(name)) throw badRequest(`${where}[${i}].name "${name}" is given twice`);
    seen.add(name);
    if (typeof value !== 'string' || value.length > 4096) throw badRequest(`${where}[${i}].value of "${name}" must be a string of at most 4096 characters`);
    if (description !== undefined && description !== null && typeof description !== 'string') throw badRequest(`${where}[${i}].description of "${name}" must be a string`);
    return typeof description === 'string' ? { name, value, description } : { name, value };
  });
}

/** `{"parameters":[...]}` as RVD's routes and archives carry it. */
export function parametersBody(body: unknown, where: string): ProjectParameter[] {
  if (!isObject(body)) throw badRequest(`${where} must be a JSON object {"parameters":[...]}`);
  return checkParameters(body.parameters, `${where}.parameters`);
}

/** The body as JSON; a clear 400 when it is not. */
export function jsonBody(body: unknown, what: string): unknown {
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : typeof body === 'string' ? body : undefined;
  if (text === undefined || text.trim() === '') throw badRequest(`${what}: the request has no JSON body`, 'BadRequestBody');
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw badRequest(`${what}: the body is not JSON (${(err as Error).message})`, 'BadRequestBody');
  }
}

/** A project name (the Application's friendly name): not blank, at most 64 characters. */
export function checkName(name: string | undefined, field: string): string {
  if (name === undefined || name.trim() === '') throw badRequest(`${field} is required`);
  if (name.length > 64) throw badRequest(`${field} is longer than 64 characters`);
  return name;
}
