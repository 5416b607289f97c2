import { canonicalName, headerKey, isListHeader } from './header-names.js';
import { splitList } from './scan.js';
import type { SipHeaders } from './types.js';

export type HeaderField = readonly [name: string, value: string];

/**
 * The header fields of one message, in arrival order. Immutable: the builders derive new lists.
 * The per-name index is built on first lookup, so a message that is only forwarded never pays for it.
 */
export class HeaderList implements SipHeaders {
  private index: Map<string, string[]> | null = null;

  /** `fields` must already carry canonical names (see `fromRaw`). */
  constructor(readonly fields: readonly HeaderField[]) {}

  static fromRaw(fields: Iterable<readonly [string, string]>): HeaderList {
    const out: HeaderField[] = [];
    for (const [name, value] of fields) out.push([canonicalName(name), value]);
    return new HeaderList(out);
  }

  private lookup(name: string): string[] | undefined {
    if (this.index === null) {
      const index = new Map<string, string[]>();
      for (const [fieldName, value] of this.fields) {
        const key = headerKey(fieldName);
        const list = index.get(key);
        if (list === undefined) index.set(key, [value]);
        else list.push(value);
      }
      this.index = index;
    }
    return this.index.get(headerKey(name));
  }

  get(name: string): string | undefined {
    return this.lookup(name)?.[0];
  }

  /** Field lines of a header without splitting at commas. */
  lines(name: string): readonly string[] {
    return this.lookup(name) ?? [];
  }

  getAll(name: string): string[] {
    const lines = this.lookup(name);
    if (lines === undefined) return [];
    if (!isListHeader(headerKey(name))) return [...lines];
    const out: string[] = [];
    for (const line of lines) for (const element of splitList(line, canonicalName(name))) if (element !== '') out.push(element);
    return out;
  }

  has(name: string): boolean {
    return this.lookup(name) !== undefined;
  }

  entries(): Iterable<HeaderField> {
    return this.fields;
  }
}
