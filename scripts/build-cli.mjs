/**
 * Builds the generator package (codegen/dist) with `tsc`: modules, declarations and both maps.
 * It imports the runtime through `schemantic/internal`, so the runtime is built first (the root
 * `npm run build` builds the workspaces in order).
 */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const codegen = fileURLToPath(new URL('../codegen/', import.meta.url));
const tsc = createRequire(import.meta.url)
  .resolve('typescript/package.json')
  .replace(/package\.json$/, 'bin/tsc');

rmSync(`${codegen}dist`, { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', `${codegen}tsconfig.build.json`], { stdio: 'inherit' });
