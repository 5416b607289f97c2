import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { parseRcml } from '../../src/rcml/parse.js';
import { withVerbDocs } from '../../src/rcml/verb-docs.js';
import { verbJsonSchema } from '../../src/rcml/verb-schema.js';
import { VERB_MODULES } from '../../src/rcml/verbs/index.js';

// ajv-formats is CommonJS: its default export is the module object under ESM.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;
const docs = new URL('../../docs/', import.meta.url);
const REGENERATE = 'out of date with the verb specifications: run node --import tsx scripts/verb-docs.ts';

interface AttributeSchema {
  readonly default?: unknown;
  readonly 'x-rcml-type': string;
  readonly 'x-rcml-warning'?: number;
}

interface ElementSchema {
  readonly 'x-rcml-kind': 'verb' | 'noun';
  readonly properties: { readonly attributes: { readonly properties: Readonly<Record<string, AttributeSchema>> } };
}

interface Schema {
  readonly $schema: string;
  readonly $defs: Readonly<Record<string, ElementSchema>>;
}

const schemaText = readFileSync(new URL('rcml-verbs.schema.json', docs), 'utf8');
const schema = JSON.parse(schemaText) as Schema;

/** A smallest valid document around one element, and where its parsed value is. */
function around(name: string, kind: 'verb' | 'noun', attributes: string): { xml: string; parsed: () => Record<string, unknown> } {
  const nounText: Readonly<Record<string, string>> = { Number: '1', Client: 'alice', Sip: 'sip:a@b', Uri: 'sip:a@b', Conference: 'room' };
  const xml =
    kind === 'noun'
      ? `<Response><Dial><${name} ${attributes}>${nounText[name]}</${name}></Dial></Response>`
      : name === 'Dial'
        ? `<Response><Dial ${attributes}>1</Dial></Response>`
        : name === 'Refer'
          ? `<Response><Refer ${attributes}><Sip>sip:a@b</Sip></Refer></Response>`
          : `<Response><${name} ${attributes}/></Response>`;
  return {
    xml,
    parsed() {
      const [verb] = parseRcml(xml).verbs;
      const value = kind === 'noun' && verb?.verb === 'Dial' ? verb.nouns[0] : verb;
      assert.ok(value, xml);
      return { ...value };
    },
  };
}

const BAD: Readonly<Record<string, string>> = {
  method: 'PUT',
  integer: 'x',
  boolean: 'maybe',
  enum: 'zzz',
  keys: 'A',
  language: '!!',
  events: 'bogus',
  choices: 'morse',
};

test('docs/rcml.md verb tables are generated from the specifications', () => {
  const markdown = readFileSync(new URL('rcml.md', docs), 'utf8');
  assert.equal(withVerbDocs(markdown), markdown, `docs/rcml.md is ${REGENERATE}`);
});

test('docs/rcml-verbs.schema.json is generated from the specifications, one definition per verb', () => {
  assert.equal(schemaText, `${JSON.stringify(verbJsonSchema(), null, 2)}\n`, `the schema file is ${REGENERATE}`);
  assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
  const verbs = Object.entries(schema.$defs).filter(([, d]) => d['x-rcml-kind'] === 'verb').map(([n]) => n);
  assert.deepEqual(verbs.sort(), Object.keys(VERB_MODULES).sort());
  const refs = [...schemaText.matchAll(/"\$ref": "#\/\$defs\/(\w+)"/g)].map((m) => m[1] ?? '');
  for (const ref of refs) assert.ok(schema.$defs[ref], `dangling $ref ${ref}`);
});

test('schema defaults are what the parser gives an element without attributes', () => {
  // Read for its warning only: the key that starts input is not part of the parsed verb.
  const validatedOnly = new Set(['Gather.startInputKey']);
  for (const [name, def] of Object.entries(schema.$defs)) {
    const parsed = around(name, def['x-rcml-kind'], '').parsed();
    for (const [attribute, a] of Object.entries(def.properties.attributes.properties)) {
      if (validatedOnly.has(`${name}.${attribute}`)) continue;
      assert.ok(attribute in parsed, `${name}.${attribute} is not in the parsed element`);
      assert.deepEqual(parsed[attribute], a.default ?? null, `${name}.${attribute}`);
    }
  }
});

test('a bad attribute value yields the warning code its specification declares', () => {
  let checked = 0;
  for (const [name, def] of Object.entries(schema.$defs)) {
    for (const [attribute, a] of Object.entries(def.properties.attributes.properties)) {
      const code = a['x-rcml-warning'];
      if (code === undefined) continue;
      const bad = BAD[a['x-rcml-type']];
      assert.ok(bad !== undefined, `no bad value for type ${a['x-rcml-type']}`);
      const extra = a['x-rcml-type'] === 'events' ? ' statusCallback="/cb"' : '';
      const { xml } = around(name, def['x-rcml-kind'], `${attribute}="${bad}"${extra}`);
      assert.deepEqual(parseRcml(xml).warnings.map((w) => w.code), [code], xml);
      checked++;
    }
  }
  assert.ok(checked > 40, `only ${checked} attributes checked`);
});

test('the schema is valid JSON Schema 2020-12 and tells a designer document from a broken one', () => {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  for (const keyword of ['x-rcml-kind', 'x-rcml-requires', 'x-rcml-type', 'x-rcml-warning', 'x-rcml-invalid']) ajv.addKeyword(keyword);
  const validate = ajv.compile(schema);
  const valid = {
    element: 'Response',
    children: [
      { element: 'Say', attributes: { voice: 'woman', loop: 2 }, text: 'Welcome' },
      { element: 'Gather', attributes: { numDigits: 1, action: '/menu' }, children: [{ element: 'Play', text: 'http://x/menu.wav' }] },
      { element: 'Dial', attributes: { timeout: 20, record: true }, children: [{ element: 'Number', attributes: { statusCallbackEvent: ['answered'] }, text: '+15551234' }] },
      { element: 'Redirect', text: '/next' },
    ],
  };
  assert.equal(validate(valid), true, JSON.stringify(validate.errors));
  const broken: ReadonlyArray<readonly [string, unknown]> = [
    ['a verb that does not exist', { element: 'Response', children: [{ element: 'Speak', text: 'hi' }] }],
    ['a value of the wrong type', { element: 'Response', children: [{ element: 'Say', attributes: { loop: 'twice' }, text: 'hi' }] }],
    ['a value outside the enum', { element: 'Response', children: [{ element: 'Say', attributes: { voice: 'robot' } }] }],
    ['an attribute the verb does not have', { element: 'Response', children: [{ element: 'Hangup', attributes: { reason: 'busy' } }] }],
    ['a noun outside Dial', { element: 'Response', children: [{ element: 'Number', text: '1' }] }],
    ['a method other than GET or POST', { element: 'Response', children: [{ element: 'Redirect', attributes: { method: 'PUT' }, text: '/x' }] }],
  ];
  for (const [why, document] of broken) assert.equal(validate(document), false, `accepted ${why}`);
});
