import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  resolve: {
    // Generated code imports the package's public entry points; tests run them from source.
    alias: [
      { find: /^schemantic$/, replacement: here('./runtime/index.ts') },
      { find: /^schemantic\/testing$/, replacement: here('./runtime/testing/index.ts') },
      { find: /^schemantic\/openai$/, replacement: here('./runtime/adapters/openai/index.ts') },
      { find: /^schemantic\/anthropic$/, replacement: here('./runtime/adapters/anthropic/index.ts') },
      { find: /^schemantic\/http$/, replacement: here('./runtime/http/index.ts') },
      { find: /^schemantic\/validators$/, replacement: here('./runtime/validators.ts') },
      { find: /^schemantic\/codegen$/, replacement: here('./codegen/index.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
