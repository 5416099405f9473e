/**
 * Where the generator's assets are: `templates/` and `schemas/meta/`. In the repository they sit
 * at its root, beside `codegen/`; in the published `@schemantic/cli` package they are copied into
 * the package at `prepack`. Either way they are the nearest folder above this file that holds both.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The folder that holds `templates/` and `schemas/meta/`. */
export function assetRoot(): string {
  if (root !== undefined) return root;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(path.join(dir, 'templates')) && existsSync(path.join(dir, 'schemas', 'meta'))) return (root = dir);
    const parent = path.dirname(dir);
    if (parent === dir)
      throw new Error(`schemantic: templates/ and schemas/meta/ not found above ${fileURLToPath(import.meta.url)}; reinstall @schemantic/cli`);
    dir = parent;
  }
}

/** A meta-schema of the format (`definitions`, `config` or `eval-dataset`), parsed. */
export function metaSchema(name: 'definitions' | 'config' | 'eval-dataset'): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(assetRoot(), 'schemas', 'meta', `${name}.schema.json`), 'utf8')) as Record<string, unknown>;
}
