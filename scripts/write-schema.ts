// Writes schema/modelwatch.schema.json from the TypeBox schema (the single source of truth).
import { writeFileSync } from 'node:fs';
import { schemaJson } from '../src/config/schema-json.js';

writeFileSync(new URL('../schema/modelwatch.schema.json', import.meta.url), schemaJson());
