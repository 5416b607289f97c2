/** Regenerates docs/rcml-verbs.schema.json and the verb tables of docs/rcml.md from the verb specifications. */
import { readFileSync, writeFileSync } from 'node:fs';
import { withVerbDocs } from '../src/rcml/verb-docs.js';
import { verbJsonSchema } from '../src/rcml/verb-schema.js';

const docs = new URL('../docs/', import.meta.url);
writeFileSync(new URL('rcml-verbs.schema.json', docs), `${JSON.stringify(verbJsonSchema(), null, 2)}\n`);
const rcml = new URL('rcml.md', docs);
writeFileSync(rcml, withVerbDocs(readFileSync(rcml, 'utf8')));
