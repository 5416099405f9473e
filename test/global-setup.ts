/**
 * Builds both packages once before the suite (as `npm run build` does): a few tests run generated
 * code in plain Node, where `schemantic` resolves to the built runtime (as it does for users), or
 * run the built `schemantic` command.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  // A developer iterating on one file with both packages already built (npm run build) may skip this.
  if (process.env['SCHEMANTIC_SKIP_BUILD'] === '1') return;
  const root = fileURLToPath(new URL('..', import.meta.url));
  for (const script of ['scripts/build-runtime.mjs', 'scripts/build-cli.mjs']) execFileSync(process.execPath, [script], { cwd: root, stdio: 'inherit' });
}
