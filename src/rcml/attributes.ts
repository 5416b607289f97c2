import type { XmlElement } from './xml-tree.js';
import type { HttpMethod, RcmlWarning } from './verbs.js';

export class RcmlParseError extends Error {
  constructor(
    readonly line: number,
    readonly column: number,
    readonly element: string | null,
    readonly attribute: string | null,
    readonly reason: string,
  ) {
    const where = element === null ? '' : attribute === null ? ` <${element}>` : ` <${element}> attribute "${attribute}"`;
    super(`RCML error at line ${line}, column ${column}${where}: ${reason}`);
  }
}

/**
 * Reads the attributes of one element. Values are trimmed (as Restcomm does); a bad value either falls
 * back to the default with a warning (`code` given) or fails the whole document.
 */
export class AttributeReader {
  constructor(
    private readonly el: XmlElement,
    private readonly warnings: RcmlWarning[],
  ) {}

  raw(name: string): string | null {
    const v = this.el.attributes[name];
    return v === undefined ? null : v.trim();
  }

  warn(code: number, name: string, value: string, expected: string): void {
    this.warnings.push({
      code,
      line: this.el.line,
      message: `<${this.el.name}> attribute "${name}": "${value}" is not ${expected}; the default is used`,
    });
  }

  fail(name: string | null, reason: string): never {
    throw new RcmlParseError(this.el.line, this.el.column, this.el.name, name, reason);
  }

  /** Absent or empty → null. */
  string(name: string): string | null {
    const v = this.raw(name);
    return v === null || v === '' ? null : v;
  }

  method(name: string, code: number): HttpMethod {
    const v = this.raw(name);
    if (v === null || v === '') return 'POST';
    const upper = v.toUpperCase();
    if (upper === 'GET' || upper === 'POST') return upper;
    this.warn(code, name, v, 'GET or POST');
    return 'POST';
  }

  integer(name: string, code: number, fallback: number, min: number): number {
    const v = this.raw(name);
    if (v === null || v === '') return fallback;
    const n = /^\d+$/.test(v) ? Number(v) : NaN;
    if (Number.isSafeInteger(n) && n >= min) return n;
    this.warn(code, name, v, `a whole number >= ${min}`);
    return fallback;
  }

  optionalInteger(name: string, code: number, min: number): number | null {
    const v = this.raw(name);
    if (v === null || v === '') return null;
    const n = /^\d+$/.test(v) ? Number(v) : NaN;
    if (Number.isSafeInteger(n) && n >= min) return n;
    this.warn(code, name, v, `a whole number >= ${min}`);
    return null;
  }

  boolean(name: string, code: number, fallback: boolean): boolean {
    const v = this.raw(name);
    if (v === null || v === '') return fallback;
    const lower = v.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
    this.warn(code, name, v, 'true or false');
    return fallback;
  }

  /** An enumerated value compared case-insensitively. */
  oneOf<T extends string>(name: string, code: number, allowed: readonly T[], fallback: T): T {
    const v = this.raw(name);
    if (v === null || v === '') return fallback;
    const found = allowed.find((a) => a === v.toLowerCase());
    if (found !== undefined) return found;
    this.warn(code, name, v, `one of ${allowed.join(', ')}`);
    return fallback;
  }
}
