/**
 * Configuration: `schemantic.config.json` in the working directory, else a `schemantic` key in its
 * package.json, else defaults. Command-line flags win over both. The format is the JSON Schema
 * `schemas/meta/config.schema.json` (editors can use it through `$schema`); a config that breaks
 * it is reported with `file:line:col`, every problem at once.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { metaSchema } from '../assets.js';
import { problemAt } from '../compiler/locate.js';
import { escapePointerSegment, type Problem } from '../compiler/problems.js';
import { isObject } from '../compiler/schema/walk.js';
import type { LoadedFile, parseSource } from '../compiler/load.js';
import { didYouMean } from '../compiler/suggest.js';
import type { DiffOverride, FailOn } from '../diff/options.js';

export type { DiffOverride, FailOn } from '../diff/options.js';

/** Settings of the generator. */
export interface Config {
  /** Folder of the definitions (default `schemas`). */
  schemas: string;
  /** Folder of the generated tree (default `generated`). */
  out: string;
  /** Folder of the eval datasets (default `evals`). */
  evals: string;
  /** Folder of `schemantic export` (default `contracts`). */
  exportOut: string;
  /** The `info` of the OpenAPI document `schemantic export` writes (unset fields take its defaults). */
  exportOpenApi?: { title?: string; version?: string };
  /** Folder of `schemantic docs` (default `docs/agents`). */
  docsOut: string;
  /** Settings of `schemantic diff`. */
  diff: { failOn?: FailOn; overrides: DiffOverride[] };
  /** Where the settings came from, for messages. */
  origin: string;
}

const DEFAULTS = { schemas: 'schemas', out: 'generated', evals: 'evals', exportOut: 'contracts', docsOut: 'docs/agents' };

/** The configuration used when there is none. */
function defaultConfig(): Config {
  return { ...DEFAULTS, diff: { overrides: [] }, origin: 'defaults' };
}

/** Reads the configuration of `cwd`. Problems (bad JSON, unknown keys) are returned, not thrown. */
export async function loadConfig(cwd: string): Promise<{ config: Config; problems: Problem[] }> {
  const own = await readText(path.join(cwd, 'schemantic.config.json'));
  // The parser (which keeps positions) and Ajv load only when there is a configuration to read:
  // most projects have none, and every command, `generate` on an up-to-date tree included, starts here.
  if (own !== undefined) return fromDocument('schemantic.config.json', (await parser())('schemantic.config.json', 'schemantic.config.json', own), '');
  const pkg = await readText(path.join(cwd, 'package.json'));
  if (pkg !== undefined && mayHaveConfig(pkg)) {
    const parsed = (await parser())('package.json', 'package.json', pkg);
    if (isObject(parsed.file.value) && parsed.file.value['schemantic'] !== undefined) return fromDocument('package.json', parsed, '/schemantic');
  }
  return { config: defaultConfig(), problems: [] };
}

async function parser(): Promise<typeof parseSource> {
  return (await import('../compiler/load.js')).parseSource;
}

/** False when `pkg` is plain JSON without a "schemantic" key (anything else is read in full). */
function mayHaveConfig(pkg: string): boolean {
  try {
    const value: unknown = JSON.parse(pkg);
    return !isObject(value) || Object.hasOwn(value, 'schemantic');
  } catch {
    return true;
  }
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

let validator: ValidateFunction | undefined;

async function validateConfig(value: unknown): Promise<ErrorObject[]> {
  if (!validator) {
    const Ajv2020 = (await import('ajv/dist/2020.js')).default.default;
    validator = new Ajv2020({ allErrors: true, verbose: true, strict: false }).compile(metaSchema('config'));
  }
  return validator(value) ? [] : [...(validator.errors ?? [])];
}

/** The configuration in `parsed` (the document `name`, parsed), under `pointer`. */
async function fromDocument(name: string, parsed: ReturnType<typeof parseSource>, pointer: string): Promise<{ config: Config; problems: Problem[] }> {
  const config: Config = { ...defaultConfig(), origin: name + (pointer ? ` (${pointer.slice(1)} key)` : '') };
  if (parsed.problems.length > 0) return { config, problems: parsed.problems.map((p) => ({ ...p, code: 'config-error' })) };
  const root = pointer === '' ? parsed.file.value : isObject(parsed.file.value) ? parsed.file.value[pointer.slice(1)] : undefined;
  const errors = await validateConfig(root);
  if (errors.length > 0) return { config, problems: errors.filter((e) => e.keyword !== 'if').map((e) => configProblem(parsed.file, pointer, e)) };
  const raw = root as {
    schemas?: string;
    out?: string;
    evals?: string;
    export?: { out?: string; openapi?: { title?: string; version?: string } };
    docs?: { out?: string };
    diff?: { failOn?: FailOn; overrides?: Omit<DiffOverride, 'at'>[] };
  };
  if (raw.schemas !== undefined) config.schemas = raw.schemas;
  if (raw.out !== undefined) config.out = raw.out;
  if (raw.evals !== undefined) config.evals = raw.evals;
  if (raw.export?.out !== undefined) config.exportOut = raw.export.out;
  if (raw.export?.openapi !== undefined) config.exportOpenApi = { ...raw.export.openapi };
  if (raw.docs?.out !== undefined) config.docsOut = raw.docs.out;
  if (raw.diff?.failOn !== undefined) config.diff.failOn = raw.diff.failOn;
  config.diff.overrides = (raw.diff?.overrides ?? []).map((o, i) => {
    // Messages about an override (an unknown rule, a match of nothing) point at its rule.
    const pos = parsed.file.positions.find(`${pointer}/diff/overrides/${i}/rule`, 'key');
    return { ...o, at: `${name}:${pos.line}:${pos.col}` };
  });
  return { config, problems: [] };
}

/** One schema error of the configuration, located and said in words. */
function configProblem(file: LoadedFile, base: string, e: ErrorObject): Problem {
  const params = e.params as Record<string, unknown>;
  const at = base + e.instancePath;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(params['additionalProperty']);
      const known = isObject(e.parentSchema) && isObject(e.parentSchema['properties']) ? Object.keys(e.parentSchema['properties']) : [];
      return problemAt(file, `${at}/${escapePointerSegment(key)}`, 'config-error', `unknown setting "${key}"${didYouMean(key, known)}`, { anchor: 'key' });
    }
    case 'required':
      return problemAt(file, at, 'config-error', `missing "${String(params['missingProperty'])}"`);
    case 'oneOf':
      return problemAt(file, at, 'config-error', 'name the one tool, agent or MCP server the override is for ("tool", "agent" or "mcp")');
    case 'enum':
      return problemAt(
        file,
        at,
        'config-error',
        `must be one of ${(params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')} (found ${JSON.stringify(e.data)})`,
      );
    case 'minLength':
      return problemAt(
        file,
        at,
        'config-error',
        at.endsWith('/reason') ? 'give the reason (it is shown with every finding the override changes)' : 'must not be empty',
      );
    case 'type':
      return problemAt(
        file,
        at,
        'config-error',
        at === base
          ? 'the configuration must be an object'
          : `must be ${e.params['type'] === 'object' ? 'an object' : e.params['type'] === 'array' ? 'a list' : `a ${String(e.params['type'])}`}`,
      );
    default:
      return problemAt(file, at, 'config-error', e.message ?? 'invalid value');
  }
}
