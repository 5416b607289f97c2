/**
 * An element is described as `{ element, attributes, text, children }` with typed attribute values (the
 * designer edits these; RCML writes them as text). `x-rcml-*` keywords carry what JSON Schema has no
 * word for: the attribute type, the warning code of a bad value, what a verb needs to run.
 */
import { childNames, verbCatalog, type CatalogEntry } from './spec/catalog.js';
import type { AttributeSpec, AttributeType, AttributeValue } from './spec/types.js';

export type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json };

type JsonObject = { readonly [key: string]: Json };

function typeSchema(type: AttributeType): JsonObject {
  switch (type.kind) {
    case 'string':
      return { type: 'string' };
    case 'url':
      return { type: 'string', format: 'uri-reference' };
    case 'method':
      return { enum: ['GET', 'POST'] };
    case 'integer':
      return { type: 'integer', minimum: type.min };
    case 'boolean':
      return { type: 'boolean' };
    case 'enum':
      return { enum: type.values };
    case 'keys':
      return { type: 'string', pattern: type.disable === null ? '^[*#0-9]{0,12}$' : `^(?:[*#0-9]{0,12}|${type.disable})$` };
    case 'digits':
    case 'language':
      return { type: 'string', pattern: type.pattern };
    case 'events':
    case 'choices':
      return { type: 'array', items: { enum: type.values }, uniqueItems: true };
    case 'phrases':
      return { type: 'array', items: { type: 'string', maxLength: type.maxLength }, maxItems: type.maxItems };
  }
}

function attributeSchema(spec: AttributeSpec<AttributeValue>): JsonObject {
  return {
    ...typeSchema(spec.type),
    ...(spec.default === null ? {} : { default: spec.default }),
    ...(spec.description === null ? {} : { description: spec.description }),
    'x-rcml-type': spec.type.kind,
    ...(spec.invalid === null ? {} : typeof spec.invalid === 'number' ? { 'x-rcml-warning': spec.invalid } : { 'x-rcml-invalid': spec.invalid }),
  };
}

function elementSchema(name: string, entry: CatalogEntry): JsonObject {
  const { spec } = entry;
  const attributes = Object.fromEntries(Object.entries(spec.attributes).map(([n, a]) => [n, attributeSchema(a)]));
  const children = childNames(spec);
  const one = spec.children.kind === 'one';
  return {
    title: `<${name}>`,
    description: spec.description,
    'x-rcml-kind': entry.requires === null ? 'noun' : 'verb',
    ...(entry.requires === null ? {} : { 'x-rcml-requires': entry.requires }),
    type: 'object',
    properties: {
      element: { const: name },
      attributes: { type: 'object', properties: attributes, additionalProperties: false },
      ...(spec.content === undefined ? {} : { text: { type: 'string', description: spec.content.description } }),
      ...(children.length === 0
        ? {}
        : {
            children: {
              type: 'array',
              items: { oneOf: children.map((c) => ({ $ref: `#/$defs/${c}` })) },
              ...(one ? { minItems: 1, maxItems: 1 } : {}),
            },
          }),
    },
    required: one ? ['element', 'children'] : ['element'],
    additionalProperties: false,
  };
}

/** The JSON Schema (draft 2020-12) of the RCML verbs and nouns, generated from the verb specifications. */
export function verbJsonSchema(): JsonObject {
  const { verbs, nouns } = verbCatalog();
  const defs = Object.fromEntries([...verbs, ...nouns].flatMap((e) => e.names.map((n) => [n, elementSchema(n, e)])));
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'RCML document',
    description: 'The verbs Dialtone runs, as a Response element whose children are verbs. Generated from src/rcml/verbs/*.ts.',
    type: 'object',
    properties: {
      element: { const: 'Response' },
      children: { type: 'array', items: { oneOf: verbs.flatMap((v) => v.names).map((n) => ({ $ref: `#/$defs/${n}` })) } },
    },
    required: ['element'],
    additionalProperties: false,
    $defs: defs,
  };
}
