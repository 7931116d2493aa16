// The published JSON Schema (for editors: yaml-language-server, VS Code), derived from ConfigSchema.
import { ConfigSchema } from './schema.js';

export const schemaJson = (): string =>
  `${JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', $id: 'https://modelwatch.dev/schema/modelwatch.schema.json', title: 'modelwatch', ...ConfigSchema }, null, 2)}\n`;
