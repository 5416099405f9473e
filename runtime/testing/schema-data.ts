/**
 * Data that satisfies a JSON Schema, generated deterministically from a seed: what TestModel
 * sends as tool arguments and structured output.
 *
 * Covers what tool and output schemas use: types, const and enum, formats, numeric bounds and
 * multiples, string lengths and patterns (through randexp), arrays with bounds, tuples and unique
 * items, objects with required and optional properties, `$ref` into `$defs`, `allOf`, `anyOf` and
 * `oneOf`. Keywords it cannot aim for (`not`, conditionals) are left to the caller, which checks
 * the value against the schema and tries the next seed.
 */
import { UserError } from '../contract/errors.js';
import { nodeRequire } from '../schema/node-require.js';
import { defineOwn } from '../schema/own.js';
import type { JsonSchema } from '../contract/spec.js';

type SchemaObject = { readonly [keyword: string]: unknown };

/** A small deterministic pseudo-random generator (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FORMAT_SAMPLES: Readonly<Record<string, string>> = {
  date: '2024-01-01',
  'date-time': '2024-01-01T12:00:00Z',
  'iso-date-time': '2024-01-01T12:00:00Z',
  time: '12:00:00Z',
  'iso-time': '12:00:00Z',
  duration: 'P1D',
  email: 'user@example.com',
  'idn-email': 'user@example.com',
  hostname: 'example.com',
  'idn-hostname': 'example.com',
  ipv4: '192.0.2.1',
  ipv6: '2001:db8::1',
  uri: 'https://example.com/a',
  url: 'https://example.com/a',
  iri: 'https://example.com/a',
  'uri-reference': 'https://example.com/a',
  'iri-reference': 'https://example.com/a',
  'uri-template': 'https://example.com/{id}',
  uuid: '3f2504e0-4f89-41d3-9a0c-0305e82c3301',
  'json-pointer': '/a',
  'relative-json-pointer': '0/a',
  regex: '^a$',
  byte: 'YQ==',
  password: 'a',
  binary: 'a',
};

interface RandExpInstance {
  gen(): string;
  max: number;
  randInt: (low: number, high: number) => number;
}

type RandExpClass = new (pattern: string | RegExp) => RandExpInstance;
let randExpClass: RandExpClass | undefined;

/**
 * randexp, loaded on the first pattern: an optional peer dependency (only a test model sampling a
 * string with a `pattern` needs it), so a runtime-only install stays within its size budget.
 * randexp is CommonJS (`module.exports = RandExp`).
 */
function loadRandExp(pattern: string): RandExpClass {
  if (randExpClass) return randExpClass;
  try {
    randExpClass = nodeRequire(`sampling a string for the pattern ${JSON.stringify(pattern)}`)('randexp') as RandExpClass;
  } catch (err) {
    if (UserError.isInstance(err)) throw err;
    throw new UserError(
      `TestModel samples strings for a \`pattern\` (${JSON.stringify(pattern)}) with randexp, which is not installed: npm install --save-dev randexp@^0.6`,
      { cause: err },
    );
  }
  return randExpClass;
}

function patternSample(pattern: string, random: () => number): string | undefined {
  const RandExp = loadRandExp(pattern);
  try {
    const generator = new RandExp(new RegExp(pattern, 'u'));
    generator.max = 4;
    generator.randInt = (low, high) => low + Math.floor(random() * (high - low + 1));
    return generator.gen();
  } catch {
    return undefined;
  }
}

/** Generates a value for `schema`; `root` holds the `$defs` that `$ref`s point into. */
export function sampleFromSchema(schema: JsonSchema, seed = 0, root: JsonSchema = schema): unknown {
  return new Sampler(seededRandom(seed), root).sample(schema, 0);
}

/**
 * Past this depth the sampler keeps values minimal (required properties only, the fewest items,
 * non-recursive union options) so that recursive types, such as a tree of nodes, end.
 */
const SHALLOW_DEPTH = 4;

class Sampler {
  constructor(
    private readonly random: () => number,
    private readonly root: JsonSchema,
  ) {}

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)]!;
  }

  sample(schema: JsonSchema, depth: number): unknown {
    if (schema === true) return 'a';
    if (schema === false || depth > 32) return null;
    const s = this.resolve(schema as SchemaObject);
    if ('const' in s) return structuredClone(s['const']);
    if (Array.isArray(s['enum'])) return structuredClone(this.pick(s['enum'] as unknown[]));
    if (Array.isArray(s['allOf']))
      return this.sample(
        mergeAll(
          s,
          (s['allOf'] as JsonSchema[]).map((x) => (typeof x === 'object' ? this.resolve(x) : {})),
        ),
        depth + 1,
      );
    for (const key of ['anyOf', 'oneOf'] as const) {
      if (Array.isArray(s[key])) {
        const { [key]: options, ...rest } = s as Record<string, unknown>;
        const chosen = this.pick(this.shallowOptions(options as JsonSchema[], depth));
        return this.sample(typeof chosen === 'object' ? { ...rest, ...this.resolve(chosen) } : chosen, depth + 1);
      }
    }
    const type = this.typeOf(s);
    switch (type) {
      case 'null':
        return null;
      case 'boolean':
        return this.random() < 0.5;
      case 'integer':
      case 'number':
        return this.number(s, type === 'integer');
      case 'string':
        return this.string(s);
      case 'array':
        return this.array(s, depth);
      default:
        return this.object(s, depth);
    }
  }

  /** Deep in a value, the union options that do not recurse (no `$ref`), when there are any. */
  private shallowOptions(options: JsonSchema[], depth: number): JsonSchema[] {
    if (depth < SHALLOW_DEPTH) return options;
    const plain = options.filter((o) => typeof o !== 'object' || !JSON.stringify(o).includes('"$ref"'));
    return plain.length > 0 ? plain : options;
  }

  private resolve(s: SchemaObject): SchemaObject {
    let current = s;
    for (let hops = 0; hops < 32 && typeof current['$ref'] === 'string'; hops++) {
      const ref = current['$ref'] as string;
      const defs = typeof this.root === 'object' ? (this.root['$defs'] as Record<string, SchemaObject> | undefined) : undefined;
      const target = ref.startsWith('#/$defs/') ? defs?.[ref.slice('#/$defs/'.length)] : ref === '#' && typeof this.root === 'object' ? this.root : undefined;
      if (!target) return {};
      const { $ref: _ref, ...siblings } = current;
      current = { ...target, ...siblings };
    }
    return current;
  }

  private typeOf(s: SchemaObject): string {
    const declared = s['type'];
    if (typeof declared === 'string') return declared;
    if (Array.isArray(declared)) return (declared.find((t) => t !== 'null') as string | undefined) ?? 'null';
    if ('properties' in s || 'required' in s || 'additionalProperties' in s) return 'object';
    if ('items' in s || 'prefixItems' in s) return 'array';
    if ('minimum' in s || 'maximum' in s || 'multipleOf' in s) return 'number';
    return 'string';
  }

  private number(s: SchemaObject, integer: boolean): number {
    const num = (k: string) => (typeof s[k] === 'number' ? (s[k] as number) : undefined);
    const step = num('multipleOf') ?? (integer ? 1 : undefined);
    let low = num('minimum') ?? (num('exclusiveMinimum') !== undefined ? num('exclusiveMinimum')! + (step ?? 0.5) : undefined);
    let high = num('maximum') ?? (num('exclusiveMaximum') !== undefined ? num('exclusiveMaximum')! - (step ?? 0.5) : undefined);
    if (low === undefined && high === undefined) {
      low = 0;
      high = 10;
    }
    low ??= high! - 10;
    high ??= low + 10;
    let value = low + this.random() * (high - low);
    if (step !== undefined) {
      value = Math.ceil(low / step) * step + Math.floor(this.random() * Math.max(1, Math.floor((high - low) / step) + 1)) * step;
      if (value > high) value = Math.ceil(low / step) * step;
    }
    return integer ? Math.round(value) : Number(value.toFixed(6));
  }

  private string(s: SchemaObject): string {
    const min = typeof s['minLength'] === 'number' ? (s['minLength'] as number) : 0;
    const max = typeof s['maxLength'] === 'number' ? (s['maxLength'] as number) : Infinity;
    const format = typeof s['format'] === 'string' ? FORMAT_SAMPLES[s['format']] : undefined;
    if (format !== undefined) return format;
    if (typeof s['pattern'] === 'string') {
      const generated = patternSample(s['pattern'], this.random);
      if (generated !== undefined && generated.length >= min && generated.length <= max) return generated;
    }
    const letters = 'abcdefghij';
    const length = Math.max(min, Math.min(max, 1 + Math.floor(this.random() * 3)));
    return Array.from({ length }, () => this.pick([...letters])).join('');
  }

  private array(s: SchemaObject, depth: number): unknown[] {
    const prefix = Array.isArray(s['prefixItems']) ? (s['prefixItems'] as JsonSchema[]) : [];
    const min = typeof s['minItems'] === 'number' ? (s['minItems'] as number) : 0;
    const max = typeof s['maxItems'] === 'number' ? (s['maxItems'] as number) : Infinity;
    const items = s['items'] === undefined ? true : (s['items'] as JsonSchema);
    const fewest = depth >= SHALLOW_DEPTH ? 0 : 1;
    const length = items === false ? prefix.length : Math.min(max, Math.max(min, prefix.length, fewest));
    const out: unknown[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < length; i++) {
      const itemSchema = i < prefix.length ? prefix[i]! : items;
      let value = this.sample(itemSchema, depth + 1);
      // Unique items: a few fresh draws, enough for the schemas tools use.
      for (let attempt = 0; s['uniqueItems'] === true && seen.has(JSON.stringify(value)) && attempt < 8; attempt++) value = this.sample(itemSchema, depth + 1);
      seen.add(JSON.stringify(value));
      out.push(value);
    }
    return out;
  }

  private object(s: SchemaObject, depth: number): Record<string, unknown> {
    const properties = (typeof s['properties'] === 'object' && s['properties'] !== null ? s['properties'] : {}) as Record<string, JsonSchema>;
    const required = new Set(Array.isArray(s['required']) ? (s['required'] as string[]) : []);
    const out: Record<string, unknown> = {};
    for (const [name, propertySchema] of Object.entries(properties)) {
      // Required properties always; optional ones too (near the root), so handlers see the fields
      // the schema allows.
      if (depth >= SHALLOW_DEPTH && !required.has(name)) continue;
      defineOwn(out, name, this.sample(propertySchema, depth + 1));
    }
    for (const name of required) {
      if (!Object.hasOwn(out, name)) defineOwn(out, name, 'a');
    }
    return out;
  }
}

/** Merges `allOf` members into one schema (properties and required combined). */
function mergeAll(base: SchemaObject, members: SchemaObject[]): SchemaObject {
  const { allOf: _allOf, ...rest } = base;
  const merged: Record<string, unknown> = { ...rest };
  for (const m of members) {
    for (const [k, v] of Object.entries(m)) {
      if (k === 'properties') merged['properties'] = { ...(merged['properties'] as object), ...(v as object) };
      else if (k === 'required') merged['required'] = [...new Set([...((merged['required'] as string[]) ?? []), ...(v as string[])])];
      else merged[k] = v;
    }
  }
  return merged;
}
