/**
 * Shared by the export tests: reading a corpus, compiling exported schemas with Ajv the way a
 * consumer would, and the instances every exported schema is checked on (schema-valid data from
 * the test model's generator, and mutations of it).
 */
import path from 'node:path';
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { analyze, type Analysis } from '../../../codegen/compiler/analyze.js';
import { folderReader, type SourceReader } from '../../../codegen/compiler/load.js';

const Ajv2020 = Ajv2020Module.default;
const addFormats = addFormatsModule.default;

/** The repository root. */
export const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');

/** The export tests' own definitions (a recursive type, cross-file refs, a union output, ...). */
export const corpusDir = path.join(root, 'test/codegen/export/fixtures/corpus');

/** A validating function, as Ajv compiles one. */
export type Check = (value: unknown) => boolean;

/** An Ajv for 2020-12 documents with the format checks of ajv-formats, as a consumer would set it up. */
export function consumerAjv(): InstanceType<typeof Ajv2020> {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv;
}

/** Analyses a folder of definitions (shown as `display`), failing on any problem. */
export async function analyzed(dir: string, display: string, reader?: SourceReader): Promise<Analysis> {
  const analysis = await analyze({ reader: reader ?? folderReader(dir), displayPrefix: display });
  if (analysis.problems.length > 0) throw new Error(analysis.problems.map((p) => `${p.file}:${p.line} ${p.code} ${p.message}`).join('\n'));
  return analysis;
}

/** The kinds of invalid instance the mutations make. */
export type MutationKind = 'dropped property' | 'wrong type' | 'value not allowed' | 'extra property';

/** One mutation of an instance. */
export interface Mutation {
  kind: MutationKind;
  /** Where in the instance (a JSON pointer). */
  at: string;
  value: unknown;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value of another JSON type than `value`. */
function wrongType(value: unknown): unknown {
  if (typeof value === 'string') return 7;
  if (typeof value === 'number') return 'seven';
  if (typeof value === 'boolean') return 'true';
  if (value === null) return 0;
  if (Array.isArray(value)) return { items: value };
  return 'an object';
}

/**
 * Every single-step mutation of `value`, anywhere in it: each property dropped, each value replaced
 * by one of another type, each string by a value no enum or pattern allows and each number by one
 * far out of range, and an extra property on each object. Whether a mutation is invalid depends on
 * the schema; the tests compare verdicts, and check that each kind was invalid somewhere.
 */
export function mutations(value: unknown): Mutation[] {
  const out: Mutation[] = [];
  const visit = (node: unknown, at: string, replace: (v: unknown) => unknown): void => {
    out.push({ kind: 'wrong type', at, value: replace(wrongType(node)) });
    if (typeof node === 'string') out.push({ kind: 'value not allowed', at, value: replace('zz: not an allowed value') });
    if (typeof node === 'number') out.push({ kind: 'value not allowed', at, value: replace(-1e9) });
    if (Array.isArray(node)) {
      // Long arrays (embeddings) are mutated at their ends only: the middle adds nothing.
      const indexes = node.length > 4 ? [0, node.length - 1] : node.map((_, i) => i);
      for (const i of indexes) visit(node[i], `${at}/${i}`, (v) => replace(node.map((x, j) => (j === i ? v : x))));
    } else if (isPlainObject(node)) {
      out.push({ kind: 'extra property', at, value: replace({ ...node, zz_extra: 1 }) });
      for (const key of Object.keys(node)) {
        const { [key]: _dropped, ...rest } = node;
        out.push({ kind: 'dropped property', at: `${at}/${key}`, value: replace(rest) });
        visit(node[key], `${at}/${key}`, (v) => replace({ ...node, [key]: v }));
      }
    }
  };
  visit(value, '', (v) => v);
  return out;
}

/** One contract part checked two ways: by the original and by each exported form of it. */
export interface Comparison {
  name: string;
  original: Check;
  exported: [label: string, check: Check][];
  /** Instances the original should accept (most of them: the generator aims for valid data). */
  samples: unknown[];
}

/** What comparing verdicts found. */
export interface Verdicts {
  /** `part: exported form: instance` for every disagreement. */
  mismatches: string[];
  /** Instances checked, with how many the original accepted. */
  checked: number;
  accepted: number;
  /** Per mutation kind, how many mutated instances the original rejected. */
  rejectedByKind: Record<MutationKind, number>;
}

/** Checks every sample and every mutation of it with the original and every exported form. */
export function compareVerdicts(comparisons: readonly Comparison[]): Verdicts {
  const result: Verdicts = {
    mismatches: [],
    checked: 0,
    accepted: 0,
    rejectedByKind: { 'dropped property': 0, 'wrong type': 0, 'value not allowed': 0, 'extra property': 0 },
  };
  for (const part of comparisons) {
    const instances: { value: unknown; kind?: MutationKind; at?: string }[] = [];
    for (const sample of part.samples) instances.push({ value: sample }, ...mutations(sample));
    for (const instance of instances) {
      const expected = part.original(instance.value);
      result.checked++;
      if (expected) result.accepted++;
      else if (instance.kind) result.rejectedByKind[instance.kind]++;
      for (const [label, check] of part.exported) {
        if (check(instance.value) !== expected) {
          const what = instance.kind ? `${instance.kind} at ${instance.at || '/'}` : 'sample';
          result.mismatches.push(`${part.name}: ${label} says ${!expected} for ${what}: ${JSON.stringify(instance.value).slice(0, 200)}`);
        }
      }
    }
  }
  return result;
}
