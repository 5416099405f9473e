/**
 * Builds the generator package (codegen/dist) with `tsc`: modules, declarations and both maps.
 * It imports the runtime through `schemantic/internal`, so the runtime is built first (the root
 * `npm run build` builds the workspaces in order). Then stores the hash of the generator's sources
 * in dist/generator-id.json (see codegen/cli/generator-id.ts), so that a run reads one file
 * instead of hashing a hundred.
 */
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const codegen = fileURLToPath(new URL('../codegen/', import.meta.url));
const tsc = createRequire(import.meta.url)
  .resolve('typescript/package.json')
  .replace(/package\.json$/, 'bin/tsc');

rmSync(`${codegen}dist`, { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', `${codegen}tsconfig.build.json`], { stdio: 'inherit' });

const { sourcesId } = await import(new URL('../codegen/dist/cli/generator-id.js', import.meta.url).href);
writeFileSync(`${codegen}dist/generator-id.json`, JSON.stringify({ sources: sourcesId() }) + '\n');
