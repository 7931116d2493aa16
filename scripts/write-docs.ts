// Writes the generated documentation: schema/modelwatch.schema.json and the reference sections
// of README.md (config keys, metrics, alerts), from the same sources the code uses.
import { readFileSync, writeFileSync } from 'node:fs';
import { loadConfig } from '../src/config/index.js';
import { schemaJson } from '../src/config/schema-json.js';
import { fillSections, readmeSections } from '../src/generate/reference.js';

writeFileSync(new URL('../schema/modelwatch.schema.json', import.meta.url), schemaJson());
const loaded = loadConfig('examples/modelwatch.yaml');
if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
const readme = new URL('../README.md', import.meta.url);
writeFileSync(readme, fillSections(readFileSync(readme, 'utf8'), readmeSections(loaded.model)));
