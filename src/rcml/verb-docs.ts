import { childNames, verbCatalog, type CatalogEntry } from './spec/catalog.js';
import type { AttributeSpec, AttributeType, AttributeValue } from './spec/types.js';

export const VERBS_BEGIN = '<!-- verbs:begin -->';
export const VERBS_END = '<!-- verbs:end -->';

const code = (s: string | number): string => `\`${s}\``;

function typeLabel(type: AttributeType): string {
  switch (type.kind) {
    case 'string':
      return 'text';
    case 'url':
      return 'URL';
    case 'method':
      return '`GET` or `POST`';
    case 'integer':
      return `whole number ≥ ${type.min}`;
    case 'boolean':
      return '`true` or `false`';
    case 'enum':
      return type.values.map(code).join(', ');
    case 'keys':
      return `up to 12 of ${code('0-9*#')}; empty → ${type.empty === '' ? 'none' : code(type.empty)}`;
    case 'digits':
      return `DTMF ${code('0-9*#w')}`;
    case 'language':
      return 'language tag';
    case 'events':
      return `list of ${type.values.map(code).join(', ')}`;
    case 'choices':
      return `space-separated ${type.values.map(code).join(', ')}`;
    case 'phrases':
      return `≤ ${type.maxItems} comma-separated phrases of ≤ ${type.maxLength} characters`;
  }
}

function valueLabel(value: AttributeValue): string {
  if (value === null) return '—';
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.map(code).join(' ');
  return value === '' ? 'none' : code(String(value));
}

function invalidLabel(invalid: AttributeSpec<AttributeValue>['invalid']): string {
  if (invalid === null) return '—';
  if (typeof invalid === 'number') return `warning ${invalid}`;
  return invalid === 'error' ? 'error' : 'the default';
}

function section(entry: CatalogEntry, heading: string): string {
  const { spec } = entry;
  const title = entry.names.map((n) => code(`<${n}>`)).join(' / ');
  const lines = [`${heading} ${title}`, '', spec.description];
  if (spec.content) lines.push('', `Text: ${spec.content.description}.`);
  const children = childNames(spec);
  if (children.length > 0) lines.push('', `${spec.children.kind === 'one' ? 'Exactly one of' : 'Contains'}: ${children.map(code).join(', ')}.`);
  const rows = Object.entries(spec.attributes).map(
    ([name, a]) => `| ${code(name)} | ${typeLabel(a.type)} | ${valueLabel(a.default)} | ${invalidLabel(a.invalid)} | ${a.description ?? ''} |`,
  );
  if (rows.length > 0) lines.push('', '| attribute | type | default | bad value | notes |', '|---|---|---|---|---|', ...rows);
  return lines.join('\n');
}

/** The generated part of `docs/rcml.md`: one table per verb and per noun. */
export function verbDocs(): string {
  const { verbs, nouns } = verbCatalog();
  return [
    VERBS_BEGIN,
    '<!-- Generated from src/rcml/verbs/*.ts by `node --import tsx scripts/verb-docs.ts`; edit the specifications, not this section. -->',
    '',
    'A bad value either keeps the default with a warning (a Notification with `log=1`), or is an error that fails the whole document.',
    '',
    ...verbs.flatMap((v) => [section(v, '###'), '']),
    '### Nouns',
    '',
    ...nouns.flatMap((n) => [section(n, '####'), '']),
    VERBS_END,
  ].join('\n');
}

/** `markdown` with the text between the markers replaced by `verbDocs()`. */
export function withVerbDocs(markdown: string): string {
  const begin = markdown.indexOf(VERBS_BEGIN);
  const end = markdown.indexOf(VERBS_END);
  if (begin < 0 || end < begin) throw new Error(`the markers ${VERBS_BEGIN} … ${VERBS_END} are missing`);
  return markdown.slice(0, begin) + verbDocs() + markdown.slice(end + VERBS_END.length);
}
