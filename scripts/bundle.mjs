/**
 * Bundles the runtime's public entry points (`schemantic`, `schemantic/testing`,
 * `schemantic/openai`, `schemantic/anthropic`, `schemantic/http`) into a few ES
 * modules under dist/bundle, after `tsc` has type-checked and emitted the declarations.
 *
 * Why: Node loads each ES module separately, and the runtime is a few dozen small files; as one
 * bundle (plus a chunk the two entries share, so they share classes and registries) it loads in
 * less than half the time, which is most of the cost of importing a generated agent. Packages
 * stay external (Ajv, the provider SDKs), loaded as they are now: lazily, where they are used.
 * `schemantic/validators` is not bundled: it is already one module with no imports of ours.
 */
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

// Chunk names carry content hashes: clear the folder so that chunks of earlier builds go.
rmSync(new URL('../dist/bundle', import.meta.url), { recursive: true, force: true });

await build({
  absWorkingDir: root,
  entryPoints: {
    index: 'runtime/index.ts',
    testing: 'runtime/testing/index.ts',
    openai: 'runtime/adapters/openai/index.ts',
    anthropic: 'runtime/adapters/anthropic/index.ts',
    http: 'runtime/http/index.ts',
  },
  outdir: 'dist/bundle',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  // Not minified: readable in a stack trace or a debugger, and small enough as it is.
  minify: false,
  // Error classes are told apart by name (`isInstance`, `error.name`): never rename them.
  keepNames: true,
  logLevel: 'warning',
});
