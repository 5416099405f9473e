/**
 * Configuration: `schemantic.config.json` in the working directory, else a `schemantic` key in its
 * package.json, else defaults. Command-line flags win over both.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { problemAt } from './locate.js';
import type { Problem } from './problems.js';
import { isObject } from './schema/walk.js';
import { parseSource } from './stages/load.js';
import { didYouMean } from './suggest.js';

/** Settings of the generator. */
export interface Config {
  /** Folder of the definitions (default `schemas`). */
  schemas: string;
  /** Folder of the generated tree (default `generated`). */
  out: string;
  /** Where the settings came from, for messages. */
  origin: string;
}

/** The keys a config may set, with their meaning (shown in errors and --help). */
export const CONFIG_KEYS: Readonly<Record<string, string>> = {
  schemas: 'folder of the definitions',
  out: 'folder of the generated tree',
};

const DEFAULTS = { schemas: 'schemas', out: 'generated' };

/** Reads the configuration of `cwd`. Problems (bad JSON, unknown keys) are returned, not thrown. */
export async function loadConfig(cwd: string): Promise<{ config: Config; problems: Problem[] }> {
  const own = await readText(path.join(cwd, 'schemantic.config.json'));
  if (own !== undefined) return fromDocument('schemantic.config.json', own, '');
  const pkg = await readText(path.join(cwd, 'package.json'));
  if (pkg !== undefined) {
    const parsed = parseSource('package.json', 'package.json', pkg);
    if (isObject(parsed.file.value) && parsed.file.value['schemantic'] !== undefined) return fromDocument('package.json', pkg, '/schemantic');
  }
  return { config: { ...DEFAULTS, origin: 'defaults' }, problems: [] };
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function fromDocument(name: string, text: string, pointer: string): { config: Config; problems: Problem[] } {
  const parsed = parseSource(name, name, text);
  const problems: Problem[] = parsed.problems.map((p) => ({ ...p, code: 'config-error' }));
  const config: Config = { ...DEFAULTS, origin: name + (pointer ? ` (${pointer.slice(1)} key)` : '') };
  const root = pointer === '' ? parsed.file.value : isObject(parsed.file.value) ? parsed.file.value[pointer.slice(1)] : undefined;
  if (parsed.problems.length > 0) return { config, problems };
  if (!isObject(root)) {
    problems.push(problemAt(parsed.file, pointer, 'config-error', 'the configuration must be an object'));
    return { config, problems };
  }
  for (const [key, value] of Object.entries(root)) {
    const at = `${pointer}/${key}`;
    if (!Object.hasOwn(CONFIG_KEYS, key)) {
      problems.push(problemAt(parsed.file, at, 'config-error', `unknown setting "${key}"${didYouMean(key, Object.keys(CONFIG_KEYS))}`, { anchor: 'key' }));
    } else if (typeof value !== 'string' || value === '') {
      problems.push(problemAt(parsed.file, at, 'config-error', `"${key}" must be a non-empty folder path`));
    } else {
      config[key as 'schemas' | 'out'] = value;
    }
  }
  return { config, problems };
}
