import type { HttpMethod } from '../verbs.js';
import type { AttributeSpec } from './types.js';

/** The attribute types of RCML: each builder declares a type, default and bad-value rule, and reads it. */

const KEYS = /^[*#0-9]{1,12}$/;
const DIGITS = /^[0-9*#wW]+$/;
const LANGUAGE = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

interface Described {
  readonly description?: string;
}

export function string(o: Described = {}): AttributeSpec<string | null> {
  return { type: { kind: 'string' }, default: null, invalid: null, description: o.description ?? null, read: (r, name) => r.string(name) };
}

/** Relative URLs resolve against the current document when the verb runs. */
export function url(o: Described = {}): AttributeSpec<string | null> {
  return { type: { kind: 'url' }, default: null, invalid: null, description: o.description ?? null, read: (r, name) => r.string(name) };
}

export function method(o: Described & { readonly warning: number }): AttributeSpec<HttpMethod> {
  return {
    type: { kind: 'method' },
    default: 'POST',
    invalid: o.warning,
    description: o.description ?? null,
    read: (r, name) => r.method(name, o.warning),
  };
}

export function integer(o: Described & { readonly min: number; readonly default: number; readonly warning: number }): AttributeSpec<number> {
  return {
    type: { kind: 'integer', min: o.min },
    default: o.default,
    invalid: o.warning,
    description: o.description ?? null,
    read: (r, name) => r.integer(name, o.warning, o.default, o.min),
  };
}

/** An integer without a default: absent means "no limit". */
export function optionalInteger(o: Described & { readonly min: number; readonly warning: number }): AttributeSpec<number | null> {
  return {
    type: { kind: 'integer', min: o.min },
    default: null,
    invalid: o.warning,
    description: o.description ?? null,
    read: (r, name) => r.optionalInteger(name, o.warning, o.min),
  };
}

export function boolean(o: Described & { readonly default: boolean; readonly warning: number }): AttributeSpec<boolean> {
  return {
    type: { kind: 'boolean' },
    default: o.default,
    invalid: o.warning,
    description: o.description ?? null,
    read: (r, name) => r.boolean(name, o.warning, o.default),
  };
}

/** Compared case-insensitively; with `warning: null` an unknown value silently takes the default. */
export function oneOf<const T extends string>(
  o: Described & { readonly values: readonly T[]; readonly default: T; readonly warning: number | null },
): AttributeSpec<T> {
  const { warning } = o;
  return {
    type: { kind: 'enum', values: o.values },
    default: o.default,
    invalid: warning ?? 'default',
    description: o.description ?? null,
    read(r, name) {
      if (warning !== null) return r.oneOf(name, warning, o.values, o.default);
      const v = r.raw(name)?.toLowerCase();
      return o.values.find((a) => a === v) ?? o.default;
    },
  };
}

/** A key set: `default` when absent, `empty` when empty, `invalid` (with the warning) when bad. */
export function keys(
  o: Described & { readonly default: string; readonly empty: string; readonly invalid: string; readonly warning: number; readonly disable?: string },
): AttributeSpec<string> {
  const disable = o.disable ?? null;
  return {
    type: { kind: 'keys', empty: o.empty, disable },
    default: o.default,
    invalid: o.warning,
    description: o.description ?? null,
    read(r, name) {
      const v = r.raw(name);
      if (v === null) return o.default;
      if (v === disable) return '';
      if (v === '') return o.empty;
      if (KEYS.test(v)) return v;
      r.warn(o.warning, name, v, 'up to 12 of the keys 0-9, * and #');
      return o.invalid;
    },
  };
}

/** DTMF to send; a bad value fails the document. */
export function digits(o: Described = {}): AttributeSpec<string | null> {
  return {
    type: { kind: 'digits', pattern: DIGITS.source },
    default: null,
    invalid: 'error',
    description: o.description ?? null,
    read(r, name) {
      const v = r.string(name);
      if (v !== null && !DIGITS.test(v)) r.fail(name, `"${v}" may only contain 0-9, *, # and w`);
      return v;
    },
  };
}

/** A language tag, lower-cased. */
export function language<D extends string | null>(o: Described & { readonly default: D; readonly warning: number }): AttributeSpec<string | D> {
  return {
    type: { kind: 'language', pattern: LANGUAGE.source },
    default: o.default,
    invalid: o.warning,
    description: o.description ?? null,
    read(r, name) {
      const v = r.raw(name);
      if (v === null || v === '') return o.default;
      if (LANGUAGE.test(v)) return v.toLowerCase();
      r.warn(o.warning, name, v, 'a language tag such as en or en-gb');
      return o.default;
    },
  };
}

/**
 * An event list that only applies when the attribute `onlyWith` is set: then absent or empty means
 * every event, and each unknown event is dropped with the warning.
 */
export function events<const T extends string>(
  o: Described & { readonly values: readonly T[]; readonly warning: number; readonly onlyWith: string },
): AttributeSpec<readonly T[]> {
  return {
    type: { kind: 'events', values: o.values, onlyWith: o.onlyWith },
    default: [],
    invalid: o.warning,
    description: o.description ?? null,
    read(r, name, earlier) {
      if ((earlier[o.onlyWith] ?? null) === null) return [];
      const raw = r.raw(name);
      if (raw === null || raw === '') return [...o.values];
      const out: T[] = [];
      for (const token of raw.split(/[\s,]+/).filter((t) => t !== '')) {
        const ev = o.values.find((e) => e === token.toLowerCase());
        if (ev === undefined) r.warn(o.warning, name, token, `one of ${o.values.join(', ')}`);
        else if (!out.includes(ev)) out.push(ev);
      }
      return out;
    },
  };
}

/** A space-separated set of choices; one unknown token keeps the default with the warning. */
export function choices<const T extends string>(
  o: Described & { readonly values: readonly T[]; readonly default: readonly T[]; readonly warning: number; readonly expected: string },
): AttributeSpec<readonly T[]> {
  const known = (t: string): t is T => o.values.some((v) => v === t);
  return {
    type: { kind: 'choices', values: o.values },
    default: o.default,
    invalid: o.warning,
    description: o.description ?? null,
    read(r, name) {
      const raw = r.raw(name);
      if (raw === null || raw === '') return o.default;
      const tokens = raw.toLowerCase().split(/\s+/);
      if (tokens.every(known)) return [...new Set(tokens)];
      r.warn(o.warning, name, raw, o.expected);
      return o.default;
    },
  };
}

/** Comma-separated phrases; too many or too long ones fail the document. */
export function phrases(o: Described & { readonly maxItems: number; readonly maxLength: number }): AttributeSpec<readonly string[]> {
  return {
    type: { kind: 'phrases', maxItems: o.maxItems, maxLength: o.maxLength },
    default: [],
    invalid: 'error',
    description: o.description ?? null,
    read(r, name) {
      const raw = r.string(name);
      const list = raw === null ? [] : raw.split(',').map((h) => h.trim()).filter((h) => h !== '');
      if (list.length > o.maxItems) r.fail(name, `${list.length} phrases, at most ${o.maxItems} are allowed`);
      const long = list.find((h) => h.length > o.maxLength);
      if (long !== undefined) r.fail(name, `the phrase "${long.slice(0, 20)}…" is longer than ${o.maxLength} characters`);
      return list;
    },
  };
}
