import type { FastifyRequest } from 'fastify';
import { badRequest } from './errors.js';

/** A parsed form or query: Restcomm parameter names are case-sensitive, repeated names keep the first. */
export type Form = Readonly<Record<string, unknown>>;

export function formOf(request: FastifyRequest): Form {
  const body = request.body;
  return body !== null && typeof body === 'object' ? (body as Form) : {};
}

export function queryOf(request: FastifyRequest): Form {
  const q = request.query;
  return q !== null && typeof q === 'object' ? (q as Form) : {};
}

/** The raw value, `undefined` when absent. */
export function field(form: Form, name: string): string | undefined {
  const v = form[name];
  const first = Array.isArray(v) ? v[0] : v;
  return typeof first === 'string' ? first : undefined;
}

/** Absent → `undefined`; empty → `null` (Restcomm clears a URL or application given as empty). */
export function optionalText(form: Form, name: string, maxLength = 1024): string | null | undefined {
  const v = field(form, name);
  if (v === undefined) return undefined;
  if (v.trim() === '') return null;
  if (v.length > maxLength) throw badRequest(`${name} is longer than ${maxLength} characters`);
  return v;
}

export function requiredText(form: Form, name: string, maxLength = 1024): string {
  const v = field(form, name);
  if (v === undefined || v.trim() === '') throw badRequest(`${name} can not be null.`);
  if (v.length > maxLength) throw badRequest(`${name} is longer than ${maxLength} characters`);
  return v;
}

/** An absolute http(s) URL or a path relative to the node; empty clears it. */
export function optionalUrl(form: Form, name: string): string | null | undefined {
  const v = optionalText(form, name, 2048);
  if (v === undefined || v === null) return v;
  if (v.startsWith('/')) return v;
  let ok = false;
  try {
    const u = new URL(v);
    ok = u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    ok = false;
  }
  if (!ok) throw badRequest(`${name} "${v}" is not an http(s) URL`);
  return v;
}

/** `GET` or `POST`, any case; absent → `undefined` (callers default to POST). */
export function optionalMethod(form: Form, name: string): string | undefined {
  const v = field(form, name);
  if (v === undefined || v.trim() === '') return undefined;
  const upper = v.trim().toUpperCase();
  if (upper !== 'GET' && upper !== 'POST') throw badRequest(`${name} must be GET or POST, not "${v}"`);
  return upper;
}

/** Restcomm's boolean: "true" in any case is true, anything else false; absent → `undefined`. */
export function optionalBool(form: Form, name: string): boolean | undefined {
  const v = field(form, name);
  return v === undefined ? undefined : v.trim().toLowerCase() === 'true';
}
