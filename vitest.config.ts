import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/** The runtime's entry points, from the one list (runtime/entry-points.json). */
const entries = (JSON.parse(readFileSync(here('./runtime/entry-points.json'), 'utf8')) as { entries: { specifier: string; source: string }[] }).entries;
const escape = (s: string) => s.replace(/[/\\^$.*+?()[\]{}|]/g, '\\$&');

export default defineConfig({
  resolve: {
    // Generated code imports the package's public entry points; tests run them from source.
    alias: [
      ...entries.map((e) => ({ find: new RegExp(`^${escape(e.specifier)}$`), replacement: here(`./runtime/${e.source}`) })),
      { find: /^@schemantic\/cli$/, replacement: here('./codegen/index.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
