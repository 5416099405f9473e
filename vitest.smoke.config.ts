/**
 * The smoke subset CI runs again on Node 22 and 24 (scripts/test.mjs): generate, strict
 * type-check, the examples (and their database layer, PGlite and PostgreSQL), packaging and bundling, and the provider tests. With
 * SCHEMANTIC_OPENAI_SDK=7 the `openai` package resolves to the 7.x release installed beside 6.x
 * (devDependency `openai7`), so the recorded-traffic tests run against both majors; the runtime's
 * lazy `import('openai')` is resolved by the same alias (test/providers/openai.test.ts checks the
 * version the replay server sees in the User-Agent).
 */
import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.js';

const openai7 = process.env['SCHEMANTIC_OPENAI_SDK'] === '7';

/** The smoke subset. */
const include = [
  'test/codegen/e2e.test.ts',
  'test/codegen/typecheck.test.ts',
  'test/runtime/examples.test.ts',
  'test/examples/database.test.ts',
  'test/runtime/package.test.ts',
  'test/packaging/**/*.test.ts',
  'test/providers/openai.test.ts',
  'test/providers/stream-collect.test.ts',
  'test/providers/edge-cases.test.ts',
  'test/providers/faults.test.ts',
];

const merged = mergeConfig(
  base,
  defineConfig({
    resolve: { alias: openai7 ? [{ find: /^openai(\/.*)?$/, replacement: 'openai7$1' }] : [] },
  }),
);

// Set, not merged: mergeConfig concatenates arrays, which would keep the base's
// 'test/**/*.test.ts' and so run the whole suite instead of the subset.
export default defineConfig({ ...merged, test: { ...merged.test, include } });
