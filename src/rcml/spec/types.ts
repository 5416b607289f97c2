import type { AttributeReader } from '../attributes.js';
import type { XmlElement } from '../xml-tree.js';

/** What an attribute value may be once read: also what the JSON Schema gives as its default. */
export type AttributeValue = string | number | boolean | null | readonly string[];

/** The declarative type of an attribute, as the schema and the docs describe it. */
export type AttributeType =
  | { readonly kind: 'string' }
  | { readonly kind: 'url' }
  | { readonly kind: 'method' }
  | { readonly kind: 'integer'; readonly min: number }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  /** Up to 12 of the keys 0-9, * and #; `disable` is a value meaning "no key". */
  | { readonly kind: 'keys'; readonly empty: string; readonly disable: string | null }
  | { readonly kind: 'digits'; readonly pattern: string }
  | { readonly kind: 'language'; readonly pattern: string }
  /** Tokens separated by commas and/or spaces; unknown ones are dropped one by one. */
  | { readonly kind: 'events'; readonly values: readonly string[]; readonly onlyWith: string }
  /** Tokens separated by spaces; one unknown token rejects the whole value. */
  | { readonly kind: 'choices'; readonly values: readonly string[] }
  /** Comma-separated phrases. */
  | { readonly kind: 'phrases'; readonly maxItems: number; readonly maxLength: number };

export interface AttributeSpec<T extends AttributeValue> {
  readonly type: AttributeType;
  /** The value of an absent attribute. */
  readonly default: T;
  /**
   * What a bad value does: a warning code (the default is kept and a Notification is stored), `error`
   * (the document fails), `default` (the default, silently), or null when every value is accepted.
   */
  readonly invalid: number | 'error' | 'default' | null;
  readonly description: string | null;
  /** `earlier` holds the values of the attributes listed before this one. */
  read(reader: AttributeReader, name: string, earlier: Readonly<Record<string, AttributeValue>>): T;
}

export type AttributeTable = Readonly<Record<string, AttributeSpec<AttributeValue>>>;

export type AttributeValues<A extends AttributeTable> = {
  readonly [K in keyof A]: A[K] extends AttributeSpec<infer T> ? T : never;
};

export type Fail = (attribute: string | null, reason: string) => never;

/** The element's text, trimmed; `parse` may reject it (through `fail`) or turn it into a value. */
export interface ContentSpec<C> {
  readonly description: string;
  parse(text: string, fail: Fail): C;
}

export type ChildrenSpec<Ch> =
  /** A child element fails the document: `<X> cannot contain <Y>`. */
  | { readonly kind: 'none' }
  /** Child elements are not looked at. */
  | { readonly kind: 'ignored' }
  /** Any number of the listed elements; another element fails with `error`, naming the child. */
  | { readonly kind: 'any'; readonly elements: Readonly<Record<string, ElementSpec<Ch>>>; readonly error: string }
  /** Exactly one of the listed elements; otherwise the document fails with `error`, naming this element. */
  | { readonly kind: 'one'; readonly elements: Readonly<Record<string, ElementSpec<Ch>>>; readonly error: string };

/** What `build` gets: everything read from the element, in the types its tables declare. */
export interface ElementParts<A extends AttributeTable, C, Ch> {
  readonly element: XmlElement;
  readonly line: number;
  readonly attributes: AttributeValues<A>;
  readonly content: C;
  readonly children: readonly Ch[];
  readonly fail: Fail;
  /** Reads another element (e.g. a noun written as text) with the same warnings. */
  read<T>(spec: ElementSpec<T>, el: XmlElement): T;
}

/**
 * The specification of a verb or noun. The reader checks children first, then the text, then the
 * attributes in table order (so warnings come out in that order), then calls `build`.
 */
export interface ElementSpec<T, A extends AttributeTable = AttributeTable, C = unknown, Ch = unknown> {
  readonly description: string;
  readonly attributes: A;
  /** Absent: the text is ignored. */
  readonly content?: ContentSpec<C>;
  readonly children: ChildrenSpec<Ch>;
  build(parts: ElementParts<A, C, Ch>): T;
}

/**
 * What a verb needs to run: `call` a call with media (Play, Dial, Gather...), `messaging` a context that
 * sends messages (`<Sms>`, `<Email>`, which voice and SMS apps both offer), `none` only the document
 * flow (Redirect). The parser keeps a verb only where the app's kind offers what it requires
 * (`rcml/app-kinds.ts`); the schema and the designer's palette read it too.
 */
export type VerbRequirement = 'call' | 'messaging' | 'none';

export interface VerbSpec<V extends { readonly verb: string }, A extends AttributeTable = AttributeTable, C = unknown, Ch = unknown>
  extends ElementSpec<V, A, C, Ch> {
  readonly name: V['verb'];
  readonly requires: VerbRequirement;
}

/** Infers the attribute, text and child types of a spec from its tables. */
export function elementSpec<T, A extends AttributeTable, C = unknown, Ch = unknown>(spec: ElementSpec<T, A, C, Ch>): ElementSpec<T, A, C, Ch> {
  return spec;
}

export function verbSpec<V extends { readonly verb: string }, A extends AttributeTable, C = unknown, Ch = unknown>(
  spec: VerbSpec<V, A, C, Ch>,
): VerbSpec<V, A, C, Ch> {
  return spec;
}

/** Plain text content. */
export function text(description: string): ContentSpec<string> {
  return { description, parse: (t) => t };
}
