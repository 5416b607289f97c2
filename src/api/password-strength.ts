/**
 * Restcomm's password score (JavascriptPasswordValidator, spec §1.7), reproduced term by term so that the
 * same passwords pass and fail as on Restcomm. A password is strong when it scores 50 or more.
 */

const ALPHA = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '01234567890';
const SYMBOLS = '\\!@#$%&/()=?¿';

function isSymbol(c: string): boolean {
  const code = c.charCodeAt(0);
  return (code >= 0x24 && code <= 0x2f) || (code >= 0x3a && code <= 0x3f) || (code >= 0x7b && code <= 0x7e) || '!^_`[]'.includes(c);
}

function countWhere(text: string, test: (c: string) => boolean): number {
  let n = 0;
  for (const c of text) if (test(c)) n++;
  return n;
}

function adjacentPairs(text: string, test: (c: string) => boolean): number {
  let n = 0;
  for (let i = 1; i < text.length; i++) if (test(text[i - 1] ?? '') && test(text[i] ?? '')) n++;
  return n;
}

/** Number of 3-character runs of `sequence` (forwards or backwards) found in `text`. */
function sequenceTriples(text: string, sequence: string): number {
  let n = 0;
  for (let i = 0; i + 3 <= sequence.length; i++) {
    const fwd = sequence.slice(i, i + 3);
    if (text.includes(fwd)) n++;
    if (text.includes([...fwd].reverse().join(''))) n++;
  }
  return n;
}

const isLower = (c: string): boolean => c >= 'a' && c <= 'z';
const isUpper = (c: string): boolean => c >= 'A' && c <= 'Z';
const isDigit = (c: string): boolean => c >= '0' && c <= '9';

/**
 * The original builds `new RegExp(char)` to count repeats, which throws on these characters and makes the
 * whole check fail; Restcomm then treats the password as weak.
 */
const THROWS_IN_ORIGINAL = /[()[?*+\\]/;

/** Score 0..100, or `null` where the original script throws (such a password is weak). */
export function passwordScore(p: string): number | null {
  if (THROWS_IN_ORIGINAL.test(p)) return null;
  const n = p.length;
  if (n === 0) return 0;
  const lower = countWhere(p, isLower);
  const upper = countWhere(p, isUpper);
  const dig = countWhere(p, isDigit);
  const sym = countWhere(p, isSymbol);
  const middle = p.slice(1, -1);
  const midDig = countWhere(middle, isDigit);
  const midSym = countWhere(middle, isSymbol);
  let req = [lower, upper, dig, sym].filter((c) => c > 0).length + (n >= 8 ? 1 : 0);
  if (req < 3) req = 0;
  const lowered = p.toLowerCase();
  const counts = new Map<string, number>();
  for (const c of lowered) counts.set(c, (counts.get(c) ?? 0) + 1);
  let repeats = 0;
  for (const c of counts.values()) if (c > 1) repeats += c;

  let score = 4 * n;
  if (upper > 0) score += 2 * (n - upper);
  if (lower > 0) score += 2 * (n - lower);
  if (lower + upper > 0) score += 4 * dig;
  score += 6 * sym + 2 * (midDig + midSym) + 2 * req;
  score -= 2 * (adjacentPairs(p, isLower) + adjacentPairs(p, isUpper) + adjacentPairs(p, isDigit));
  score -= 3 * (sequenceTriples(lowered, ALPHA) + sequenceTriples(p, DIGITS) + sequenceTriples(p, SYMBOLS));
  if (dig === n) score -= n;
  if (lower + upper === n) score -= n;
  score -= (10 * repeats) / n;
  return Math.min(100, Math.max(0, Math.round(score)));
}

export function isStrongPassword(p: string): boolean {
  const score = passwordScore(p);
  return score !== null && score >= 50;
}
