/**
 * The declared fields of a step kind. `validate.ts` checks presence and type from these tables; a kind's
 * own `validate` checks what a table cannot say (references inside lists, combinations).
 */
export type FieldType =
  | { readonly kind: 'string'; readonly pattern?: RegExp; readonly patternText?: string }
  | { readonly kind: 'integer'; readonly min: number }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  /** The name of a module of the project. */
  | { readonly kind: 'module' }
  | { readonly kind: 'array' }
  | { readonly kind: 'object' };

export interface FieldSpec {
  readonly type: FieldType;
  /** Must be present and not null (RVD's schema `required`). */
  readonly required: boolean;
  /** Goes through variable expansion (`$name`) when rendered or sent. */
  readonly expands: boolean;
  readonly description: string;
}

interface Options {
  readonly required?: boolean;
  readonly expands?: boolean;
  readonly description?: string;
}

function spec(type: FieldType, o: Options): FieldSpec {
  return { type, required: o.required ?? false, expands: o.expands ?? false, description: o.description ?? '' };
}

export const text = (o: Options & { readonly pattern?: RegExp; readonly patternText?: string } = {}): FieldSpec =>
  spec(o.pattern === undefined ? { kind: 'string' } : { kind: 'string', pattern: o.pattern, patternText: o.patternText ?? String(o.pattern) }, o);
export const integer = (o: Options & { readonly min?: number } = {}): FieldSpec => spec({ kind: 'integer', min: o.min ?? 0 }, o);
export const flag = (o: Options = {}): FieldSpec => spec({ kind: 'boolean' }, o);
export const oneOf = (values: readonly string[], o: Options = {}): FieldSpec => spec({ kind: 'enum', values }, o);
export const moduleRef = (o: Options = {}): FieldSpec => spec({ kind: 'module' }, o);
export const list = (o: Options = {}): FieldSpec => spec({ kind: 'array' }, o);
export const object = (o: Options = {}): FieldSpec => spec({ kind: 'object' }, o);

export const METHOD = ['GET', 'POST'] as const;
