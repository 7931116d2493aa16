// Lint: typescript-eslint's recommended rules plus the import boundaries of the architecture
// (cli -> {exporter, generate} -> {stats, sources, config, catalog}; generate never imports exporter).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const boundary = (from, forbidden) => ({
  files: [`src/${from}/**/*.ts`],
  rules: { 'no-restricted-imports': ['error', { patterns: forbidden.map((f) => ({ group: [`**/${f}/*`, `**/${f}`], message: `${from}/ must not import ${f}/` })) }] },
});

export default tseslint.config(
  { ignores: ['dist/', '.bench/', 'node_modules/', 'grafana/', 'prometheus/', 'alertmanager/', 'runbooks/', 'test/golden/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  boundary('config', ['generate', 'cli', 'exporter', 'sources']),
  boundary('catalog', ['generate', 'cli', 'exporter', 'sources', 'config']),
  boundary('generate', ['cli', 'exporter', 'sources']),
);
