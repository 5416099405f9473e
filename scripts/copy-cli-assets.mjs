/**
 * At `prepack` of @schemantic/cli: copies the generator's assets (the templates of the emitted code
 * and docs, and the format's meta-schemas) into the package, where `codegen/assets.ts` finds them
 * once installed. In the repository they stay at the root, their one source: `postpack` runs this
 * with --remove, so no stale copy is left to shadow them.
 */
import { cpSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const remove = process.argv.includes('--remove');
for (const folder of ['templates', 'schemas']) rmSync(`${root}codegen/${folder}`, { recursive: true, force: true });
if (!remove) for (const folder of ['templates', 'schemas/meta']) cpSync(`${root}${folder}`, `${root}codegen/${folder}`, { recursive: true });
