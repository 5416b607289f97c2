import { VOICE_APP, type AppKind } from './app-kinds.js';
import { RcmlParseError } from './attributes.js';
import { readElement } from './spec/read.js';
import type { VerbSpec } from './spec/types.js';
import { VERB_MODULES } from './verbs/index.js';
import { escapeBareAmpersands, parseXmlTree, XmlSyntaxError, type XmlElement } from './xml-tree.js';
import type { RcmlWarning, Verb } from './verbs.js';

export { RcmlParseError };

export interface ParsedRcml {
  readonly verbs: readonly Verb[];
  readonly warnings: readonly RcmlWarning[];
}

/** Names Restcomm recognises as verbs; those Dialtone does not execute are skipped with a warning. */
const UNSUPPORTED_VERBS = new Set(['Enqueue', 'Leave', 'Fax', 'Sms', 'Email', 'Language', 'UssdMessage', 'UssdCollect']);
export const WARN_UNSUPPORTED_VERB = 12200;

const SPECS = new Map<string, VerbSpec<Verb>>(Object.values(VERB_MODULES).map((m) => [m.spec.name, m.spec]));

interface Ctx {
  readonly app: AppKind;
  readonly warnings: RcmlWarning[];
}

/** The element read as a verb; null when it is not one, or `skipped` when the app cannot run it. */
function verb(el: XmlElement, ctx: Ctx): Verb | 'skipped' | null {
  const spec = SPECS.get(el.name);
  if (spec === undefined) return null;
  if (!ctx.app.offers.has(spec.requires)) {
    ctx.warnings.push({ code: ctx.app.refusedCode, line: el.line, message: `<${el.name}> cannot run in ${ctx.app.name} and was skipped` });
    return 'skipped';
  }
  return readElement(spec, el, ctx.warnings);
}

/**
 * Walks the tree in document order as Restcomm does: the root name is not checked, elements that are
 * not verbs are looked into, verbs are not (their children are their nouns or prompts).
 */
function collect(el: XmlElement, ctx: Ctx, out: Verb[]): void {
  for (const child of el.children) {
    const v = verb(child, ctx);
    if (v === 'skipped') continue;
    if (v) out.push(v);
    else if (UNSUPPORTED_VERBS.has(child.name)) {
      ctx.warnings.push({ code: WARN_UNSUPPORTED_VERB, line: child.line, message: `<${child.name}> is not supported in a voice call and was skipped` });
    } else collect(child, ctx, out);
  }
}

/**
 * Parses an RCML document for an app of kind `app`; throws `RcmlParseError` naming line, column, element
 * and attribute.
 */
export function parseRcml(source: string, app: AppKind = VOICE_APP): ParsedRcml {
  let root: XmlElement;
  try {
    root = parseXmlTree(escapeBareAmpersands(source));
  } catch (err) {
    if (err instanceof XmlSyntaxError) throw new RcmlParseError(err.line, err.column, null, null, `not well-formed XML: ${err.reason}`);
    throw err;
  }
  const ctx: Ctx = { app, warnings: [] };
  const verbs: Verb[] = [];
  const rootVerb = verb(root, ctx);
  if (rootVerb === null) collect(root, ctx, verbs);
  else if (rootVerb !== 'skipped') verbs.push(rootVerb);
  return { verbs, warnings: ctx.warnings };
}

/** What an app response means, by Content-Type (spec 1.1). */
export type AppContent =
  | { readonly kind: 'rcml'; readonly verbs: readonly Verb[]; readonly warnings: readonly RcmlWarning[] }
  | { readonly kind: 'play'; readonly url: string }
  | { readonly kind: 'say'; readonly text: string }
  | { readonly kind: 'unsupported'; readonly contentType: string };

/** Classifies a response body; XML bodies are parsed (and may throw `RcmlParseError`). */
export function interpretResponse(contentType: string | null, body: string, url: string): AppContent {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'text/xml' || type === 'application/xml' || type === 'text/html' || type.endsWith('+xml')) {
    return { kind: 'rcml', ...parseRcml(body) };
  }
  if (type.startsWith('audio/')) return { kind: 'play', url };
  if (type === 'text/plain') return { kind: 'say', text: body.trim() };
  return { kind: 'unsupported', contentType: type };
}
