/**
 * Java's `String.matches` / `Pattern.matches` (the whole text must match), which RVD's patterns assume.
 * A leading Java flag group such as `(?i)` becomes the JavaScript flag; other Java-only syntax is invalid.
 */

function compile(pattern: string, whole: boolean): RegExp | null {
  const flags = /^\(\?([ims]+)\)/.exec(pattern);
  const body = flags === null ? pattern : pattern.slice(flags[0].length);
  try {
    return new RegExp(whole ? `^(?:${body})$` : body, flags?.[1] ?? '');
  } catch {
    return null;
  }
}

export function compiles(pattern: string): boolean {
  return compile(pattern, false) !== null;
}

/** The number of capturing groups, or null for an invalid pattern. */
export function groupCount(pattern: string): number | null {
  const re = compile(`${pattern}|`, false);
  return re === null ? null : (re.exec('')?.length ?? 1) - 1;
}

/** Whether the whole of `text` matches `pattern`; null when the pattern is not a valid regular expression. */
export function fullMatch(pattern: string, text: string): boolean | null {
  const groups = fullMatchGroups(pattern, text);
  return groups === undefined ? null : groups !== null;
}

/** The groups of a whole-text match (null when it does not match); undefined when the pattern is invalid. */
export function fullMatchGroups(pattern: string, text: string): readonly (string | undefined)[] | null | undefined {
  const re = compile(pattern, true);
  if (re === null) return undefined;
  const m = re.exec(text);
  return m === null ? null : m.slice(1);
}
