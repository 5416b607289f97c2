import { VERB_MODULES } from '../verbs/index.js';
import type { ElementSpec, VerbRequirement } from './types.js';

/** One documented element: a verb, or a noun reachable from a verb (aliases share an entry). */
export interface CatalogEntry {
  readonly names: readonly string[];
  readonly spec: ElementSpec<unknown>;
  /** Null for nouns. */
  readonly requires: VerbRequirement | null;
}

export interface Catalog {
  readonly verbs: readonly CatalogEntry[];
  readonly nouns: readonly CatalogEntry[];
}

/** The registered verbs in registry order, then the nouns they contain in the order they are met. */
export function verbCatalog(): Catalog {
  const verbs: CatalogEntry[] = Object.values(VERB_MODULES).map((m) => ({ names: [m.spec.name], spec: m.spec, requires: m.spec.requires }));
  const verbNames = new Set(verbs.flatMap((v) => v.names));
  const nouns = new Map<ElementSpec<unknown>, string[]>();
  for (const { spec } of verbs) {
    if (spec.children.kind !== 'any' && spec.children.kind !== 'one') continue;
    for (const [name, child] of Object.entries(spec.children.elements)) {
      if (verbNames.has(name)) continue;
      const names = nouns.get(child) ?? [];
      if (!names.includes(name)) names.push(name);
      nouns.set(child, names);
    }
  }
  return { verbs, nouns: [...nouns].map(([spec, names]) => ({ names, spec, requires: null })) };
}

/** The element names an element accepts as children. */
export function childNames(spec: ElementSpec<unknown>): readonly string[] {
  return spec.children.kind === 'any' || spec.children.kind === 'one' ? Object.keys(spec.children.elements) : [];
}
