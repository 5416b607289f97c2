/** Readers for the loosely typed JSON of a project state: each returns undefined for a value of another type. */

export type JsonRecord = Readonly<Record<string, unknown>>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function str(obj: JsonRecord | undefined, key: string): string | undefined {
  const v = obj?.[key];
  return typeof v === 'string' ? v : undefined;
}

/** A string field that is set: absent, null and `""` are all "not set", as RVD's `isEmpty`. */
export function nonEmpty(obj: JsonRecord | undefined, key: string): string | undefined {
  const v = str(obj, key);
  return v === undefined || v === '' ? undefined : v;
}

export function int(obj: JsonRecord | undefined, key: string): number | undefined {
  const v = obj?.[key];
  return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
}

export function bool(obj: JsonRecord | undefined, key: string): boolean | undefined {
  const v = obj?.[key];
  return typeof v === 'boolean' ? v : undefined;
}

export function rec(obj: JsonRecord | undefined, key: string): JsonRecord | undefined {
  const v = obj?.[key];
  return isRecord(v) ? v : undefined;
}

/** The records of an array field; other items are skipped (validation reports them). */
export function records(obj: JsonRecord | undefined, key: string): readonly JsonRecord[] {
  const v = obj?.[key];
  return Array.isArray(v) ? v.filter(isRecord) : [];
}

/** The variable-name grammar of RVD (`[A-Za-z]+[A-Za-z0-9_]*`), for collect and assignment targets. */
export const VARIABLE_NAME = /^[A-Za-z]+[A-Za-z0-9_]*$/;
