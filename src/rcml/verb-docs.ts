import { SMS_APP } from './app-kinds.js';
import { WARN_UNSUPPORTED_VERB } from './parse.js';
import { childNames, verbCatalog, type CatalogEntry } from './spec/catalog.js';
import type { AttributeSpec, AttributeType, AttributeValue } from './spec/types.js';

const GENERATED = '<!-- Generated from src/rcml/verbs/*.ts by `node --import tsx scripts/verb-docs.ts`; edit the specifications, not this section. -->';

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

/** One table per verb and per noun. */
function verbTables(): string[] {
  const { verbs, nouns } = verbCatalog();
  return [
    'A bad value either keeps the default with a warning (a Notification with `log=1`), or is an error that fails the whole document.',
    '',
    ...verbs.flatMap((v) => [section(v, '###'), '']),
    '### Nouns',
    '',
    ...nouns.flatMap((n) => [section(n, '####'), '']),
  ];
}

/** Every warning code a document can give: the attributes' (by code, where they are) and the parser's own. */
function warningTable(): string[] {
  const { verbs, nouns } = verbCatalog();
  const where = new Map<number, string[]>();
  for (const entry of [...verbs, ...nouns]) {
    for (const [name, a] of Object.entries(entry.spec.attributes)) {
      if (typeof a.invalid !== 'number') continue;
      const places = where.get(a.invalid) ?? [];
      places.push(`${entry.names.join('/')} ${code(name)}`);
      where.set(a.invalid, places);
    }
  }
  const rows = [...where].sort(([a], [b]) => a - b).map(([c, places]) => `| ${c} | ${places.join(', ')} |`);
  return [
    '| code | bad value of |',
    '|---|---|',
    ...rows,
    `| ${WARN_UNSUPPORTED_VERB} | a verb Dialtone does not run (skipped) |`,
    `| ${SMS_APP.refusedCode} | a verb needing a call, in an SMS app (skipped) |`,
  ];
}

const SECTIONS: ReadonlyArray<{ readonly name: string; readonly lines: () => string[] }> = [
  { name: 'verbs', lines: verbTables },
  { name: 'warnings', lines: warningTable },
];

/** `markdown` with each generated section (between `<!-- name:begin -->` and `<!-- name:end -->`) rewritten. */
export function withVerbDocs(markdown: string): string {
  let out = markdown;
  for (const { name, lines } of SECTIONS) {
    const [beginMark, endMark] = [`<!-- ${name}:begin -->`, `<!-- ${name}:end -->`];
    const begin = out.indexOf(beginMark);
    const end = out.indexOf(endMark);
    if (begin < 0 || end < begin) throw new Error(`the markers ${beginMark} … ${endMark} are missing`);
    out = out.slice(0, begin) + [beginMark, GENERATED, '', ...lines(), endMark].join('\n') + out.slice(end + endMark.length);
  }
  return out;
}
