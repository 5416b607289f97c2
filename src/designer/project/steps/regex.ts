/** Java's `String.matches` / `Pattern.matches` (the whole text must match), which RVD's patterns assume. */

export function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

/** Whether the whole of `text` matches `pattern`; null when the pattern is not a valid regular expression. */
export function fullMatch(pattern: string, text: string): boolean | null {
  const groups = fullMatchGroups(pattern, text);
  return groups === undefined ? null : groups !== null;
}

/** The groups of a whole-text match (null when it does not match); undefined when the pattern is invalid. */
export function fullMatchGroups(pattern: string, text: string): readonly (string | undefined)[] | null | undefined {
  let re: RegExp;
  try {
    re = new RegExp(`^(?:${pattern})$`);
  } catch {
    return undefined;
  }
  const m = re.exec(text);
  return m === null ? null : m.slice(1);
}
