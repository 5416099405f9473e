/**
 * Stage 6, emit types: TypeScript declarations for every schema, through json-schema-to-typescript
 * (whose text for the common simple shapes direct-types.ts writes itself, without its cost).
 *
 * Schemas are first adapted to what that library reads well: references to named types become
 * `tsType` names (the named types are declared once, in their own module, and imported), nested
 * titles are dropped (each would become a separate exported interface), 2020-12 tuples are
 * written in draft-07 form, embeddings (`x-embedding`) become `schemantic.Embedding<N>`, and
 * keywords with no TypeScript meaning are left out.
 */
import type { Options } from 'json-schema-to-typescript';
import { Code, commentLines, commentText, stringLiteral } from '../escape.js';
import { refName } from '../../compiler/ir/refs.js';
import { keyName, renderDirect } from './direct-types.js';
import { defineOwn, isObject, mapSubschemas, type SchemaObject } from '../../compiler/schema/walk.js';
import { embeddingSize } from '../../compiler/schema/embedding.js';

/**
 * The type of an embedding of the definitions (`x-embedding`), as declarations write it: the
 * runtime's `Embedding<N>`, through the `schemantic` namespace import of the module.
 */
export const EMBEDDING_TYPE = 'schemantic.Embedding';

/**
 * Whether declarations name an embedding type: a module whose template has no `schemantic`
 * namespace (named types, MCP servers) then imports it, type-only.
 */
export function declaresEmbedding(declarations: readonly Code[]): boolean {
  return declarations.some((d) => d.text.includes(`${EMBEDDING_TYPE}<`));
}

/** One TypeScript declaration to produce. */
export interface TypeRequest {
  /** The exported name (already checked to be an identifier). */
  tsName: string;
  /** Canonical schema (references are `#/$defs/<type name>`). */
  schema: unknown;
  /** JSDoc text for the declaration. */
  doc?: string;
  /**
   * Whether a property with a `default` is declared present: the type describes a value after
   * validation, which fills defaults in (tool arguments, outputs, named types). Not for the values
   * the application writes (a context, what a handler returns), where the default may be left out.
   */
  defaultsRequired?: boolean;
}

/** Declarations already produced, by request (reused across watch-mode runs). */
export type TypeCache = Map<string, string>;

const JSTT_OPTIONS: Partial<Options> = {
  bannerComment: '',
  format: false,
  additionalProperties: false,
  strictIndexSignatures: true,
  unknownAny: true,
  ignoreMinAndMaxItems: true,
  declareExternallyReferenced: false,
  enableConstEnums: false,
};

/** Keywords kept for json-schema-to-typescript; everything else has no bearing on the type. */
const TYPE_KEYWORDS = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'patternProperties',
  'items',
  'additionalItems',
  'enum',
  'const',
  'anyOf',
  'oneOf',
  'allOf',
  'description',
  'deprecated',
  'tsType',
]);

/**
 * Produces the declaration of `request.tsName`. `typeNames` maps named types (`$defs` keys) to
 * their TypeScript names.
 */
export async function declareType(request: TypeRequest, typeNames: ReadonlyMap<string, string>, cache?: TypeCache): Promise<string> {
  // Without a cache (a one-shot run) there is no key to make.
  const key = cache ? cacheKey(request, typeNames) : undefined;
  const hit = key === undefined ? undefined : cache?.get(key);
  if (hit !== undefined) return hit;
  const adapted = toTypeSchema(request.defaultsRequired ? requireDefaults(request.schema) : request.schema, typeNames);
  // Most declarations are simple shapes, printed directly (the library's text, at a fraction of its cost).
  const code = withDoc(renderDirect(adapted, request.tsName) ?? (await declareWithLibrary(adapted, request.tsName)), request.doc);
  if (key !== undefined) cache?.set(key, code);
  return code;
}

/**
 * The key of a declaration in the cache. It holds only the names this schema refers to, so adding
 * or renaming an unrelated type keeps the cached declaration.
 */
function cacheKey(request: TypeRequest, typeNames: ReadonlyMap<string, string>): string {
  const schemaText = JSON.stringify(request.schema);
  const referenced = [...new Set(Array.from(schemaText.matchAll(/"\$ref":"#\/\$defs\/([^"]*)"/g), (m) => m[1]!))].map((name) => [name, typeNames.get(name)]);
  return JSON.stringify([request.tsName, request.doc ?? null, schemaText, referenced, request.defaultsRequired ?? false]);
}

/**
 * The declaration json-schema-to-typescript makes of an adapted schema (see {@link toTypeSchema}),
 * without its root comment: what {@link renderDirect} reproduces for the shapes it knows.
 */
export async function declareWithLibrary(adapted: unknown, tsName: string): Promise<string> {
  if (isObject(adapted) && typeof adapted['tsType'] === 'string' && Object.keys(adapted).every((k) => k === 'tsType' || k === 'description')) {
    return `export type ${tsName} = ${adapted['tsType']}\n`;
  }
  const keys = new KeyAliases(adapted);
  const { compile } = await loadLibrary();
  const code = keys.restore(await compile(keys.alias(adapted) as never, tsName, JSTT_OPTIONS));
  return code.replace(/^\/\*\*[\s\S]*?\*\/\n(?=export )/, '');
}

let library: Promise<typeof import('json-schema-to-typescript')> | undefined;

/**
 * json-schema-to-typescript, loaded on first use: it brings lodash, a `$ref` parser and Prettier
 * (about 50 ms), which a run whose declarations are all printed directly never needs.
 */
function loadLibrary(): Promise<typeof import('json-schema-to-typescript')> {
  return (library ??= import('json-schema-to-typescript'));
}

/**
 * Property names as json-schema-to-typescript sees them. The library reads schemas with plain
 * property access (`schema.hasOwnProperty(...)`, which a property named `hasOwnProperty` replaces)
 * and runs them through a `$ref` parser that percent-encodes every key (which throws on a lone
 * surrogate). So every property name (and `patternProperties` pattern, and `required` entry) is
 * handed to it as an alias, `$k0$`, `$k1$`... (a prefix the schema does not contain), and the
 * names are put back in the code it returns: as property keys, quoted as the library quotes
 * them, or inside its comments. `const` and `enum` values that hold objects are written as
 * `tsType` literals for the same reason (the library walks into them too).
 */
class KeyAliases {
  private readonly prefix: string;
  private readonly byName = new Map<string, string>();
  private readonly byAlias = new Map<string, string>();

  constructor(schema: unknown) {
    const text = JSON.stringify(schema) ?? '';
    let prefix = '$k';
    while (text.includes(prefix)) prefix = `$${prefix}`;
    this.prefix = prefix;
  }

  /** The schema with every name replaced by its alias. Pure. */
  alias(schema: unknown): unknown {
    return mapSubschemas(schema, (node) => {
      const out: SchemaObject = {};
      for (const [keyword, value] of Object.entries(node)) {
        if ((keyword === 'properties' || keyword === 'patternProperties') && isObject(value)) {
          const renamed: SchemaObject = {};
          for (const [name, sub] of Object.entries(value)) renamed[this.aliasOf(name)] = sub;
          out[keyword] = renamed;
        } else if (keyword === 'required' && Array.isArray(value)) {
          out[keyword] = value.map((name) => (typeof name === 'string' ? this.aliasOf(name) : name));
        } else if ((keyword === 'const' || keyword === 'enum') && holdsObjects(value)) {
          // Written as the type of the data (`tsType` wins over every other keyword).
          const values = keyword === 'const' ? [value] : Array.isArray(value) ? value : [];
          out['tsType'] = values.length === 0 ? 'never' : values.map((v) => `(${dataType(v)})`).join(' | ');
        } else {
          defineOwn(out, keyword, value);
        }
      }
      return out;
    });
  }

  /** `code` with every alias replaced by the name it stands for. */
  restore(code: string): string {
    if (this.byAlias.size === 0) return code;
    const alias = `${escapeRegExp(this.prefix)}\\d+\\$`;
    const pattern = new RegExp(`^([ \\t]*)(${alias})(?=\\??:)|(${alias})`, 'gm');
    return code.replace(pattern, (whole, indent: string | undefined, key: string | undefined, other: string | undefined) => {
      const name = this.byAlias.get(key ?? other ?? '');
      if (name === undefined) return whole;
      // At the start of a line and followed by a colon: a property key. Anywhere else: comment text.
      return key !== undefined ? `${indent ?? ''}${keyName(name)}` : commentText(name).replace(/"/g, '\\"');
    });
  }

  private aliasOf(name: string): string {
    let alias = this.byName.get(name);
    if (alias === undefined) {
      alias = `${this.prefix}${this.byName.size}$`;
      this.byName.set(name, alias);
      this.byAlias.set(alias, name);
    }
    return alias;
  }
}

function holdsObjects(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (!Array.isArray(value) || value.some((v) => typeof v === 'object' && v !== null));
}

/** The TypeScript type of exactly one JSON value. */
function dataType(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(dataType).join(', ')}]`;
  if (isObject(value)) {
    const members = Object.entries(value).map(([k, v]) => `${k === '__proto__' ? `[${stringLiteral(k)}]` : stringLiteral(k)}: ${dataType(v)}`);
    return members.length === 0 ? '{}' : `{ ${members.join('; ')} }`;
  }
  return typeof value === 'string' ? stringLiteral(value) : (JSON.stringify(value) ?? 'null');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Replaces the library's root comment (the schema description) with ours. */
function withDoc(code: string, doc: string | undefined): string {
  if (doc === undefined || doc.trim() === '') return code;
  return `/**\n${commentLines(doc.trim())
    .map((l) => ` * ${l}`.trimEnd())
    .join('\n')}\n */\n${code}`;
}

/**
 * A copy of `schema` where every property with a `default` is required, where Ajv's `useDefaults`
 * fills it in: under `properties`, `items`, `prefixItems`, `additionalProperties`, `allOf` and
 * `$defs`, not under `anyOf`/`oneOf`/`not`/`if`, where Ajv ignores defaults. Pure.
 */
export function requireDefaults(schema: unknown): unknown {
  if (!isObject(schema)) return schema;
  const out: SchemaObject = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if ((keyword === 'properties' || keyword === '$defs') && isObject(value)) {
      const copy: SchemaObject = {};
      for (const [name, sub] of Object.entries(value)) defineOwn(copy, name, requireDefaults(sub));
      defineOwn(out, keyword, copy);
    } else if ((keyword === 'items' || keyword === 'additionalProperties') && isObject(value)) {
      defineOwn(out, keyword, requireDefaults(value));
    } else if ((keyword === 'prefixItems' || keyword === 'allOf') && Array.isArray(value)) {
      defineOwn(out, keyword, value.map(requireDefaults));
    } else {
      defineOwn(out, keyword, value);
    }
  }
  const properties = schema['properties'];
  if (isObject(properties)) {
    const required = Array.isArray(schema['required']) ? [...(schema['required'] as unknown[])] : [];
    for (const [name, sub] of Object.entries(properties)) {
      if (isObject(sub) && sub['default'] !== undefined && !required.includes(name)) required.push(name);
    }
    if (required.length > 0) out['required'] = required;
  }
  return out;
}

/** Adapts a canonical schema for json-schema-to-typescript. Pure. */
export function toTypeSchema(schema: unknown, typeNames: ReadonlyMap<string, string>): unknown {
  // Titles are dropped with the other non-type keywords: the root's name is given by the caller,
  // and a nested title would become an extra exported interface.
  // One pass: each node's boolean subschemas become `tsType` objects, then the node is adapted
  // (those objects come out of adapting unchanged, so they need not go through it). Schemas here
  // are valid (emitting starts only then), so `properties` is always an object walked as such.
  return mapSubschemas(booleanToObject(schema), (node) => adaptNode(booleansToObjects(node), typeNames));
}

function booleanToObject(schema: unknown): unknown {
  return schema === true ? { tsType: 'unknown' } : schema === false ? { tsType: 'never' } : schema;
}

/** `node` with its boolean subschemas (where the library reads them) as `tsType` objects. */
function booleansToObjects(node: SchemaObject): SchemaObject {
  const out: SchemaObject = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'properties' || k === 'patternProperties') {
      const props: SchemaObject = {};
      for (const [name, sub] of Object.entries(v as SchemaObject)) defineOwn(props, name, booleanToObject(sub));
      defineOwn(out, k, props);
    } else if (['items', 'additionalProperties', 'additionalItems'].includes(k) && typeof v === 'boolean') {
      // `items: false` after `prefixItems` closes a tuple (it becomes additionalItems below).
      defineOwn(out, k, k === 'items' && node['prefixItems'] === undefined ? booleanToObject(v) : v);
    } else if (['anyOf', 'oneOf', 'allOf', 'prefixItems'].includes(k) && Array.isArray(v)) {
      defineOwn(out, k, v.map(booleanToObject));
    } else {
      defineOwn(out, k, v);
    }
  }
  return out;
}

function adaptNode(node: SchemaObject, typeNames: ReadonlyMap<string, string>): SchemaObject {
  const size = embeddingSize(node);
  if (size !== undefined) {
    // The runtime's sized vector type; every module that can declare one has `schemantic` in scope.
    const out: SchemaObject = { tsType: `${EMBEDDING_TYPE}<${size}>` };
    if (typeof node['description'] === 'string') out['description'] = node['description'];
    return out;
  }
  const ref = refName(node);
  if (ref !== undefined) {
    const tsType = typeNames.get(ref);
    const out: SchemaObject = { tsType: tsType ?? 'unknown' };
    if (typeof node['description'] === 'string') out['description'] = node['description'];
    return out;
  }
  const out: SchemaObject = {};
  for (const [keyword, value] of Object.entries(node)) {
    if (keyword === 'prefixItems') {
      out['items'] = value;
      out['additionalItems'] = node['items'] ?? true;
    } else if (keyword === 'items' && node['prefixItems'] !== undefined) {
      // written as additionalItems above
    } else if (TYPE_KEYWORDS.has(keyword)) {
      defineOwn(out, keyword, value);
    }
  }
  // An object that declares no properties of any kind is open: type it as a record, not `{}`.
  const isObjectType = out['type'] === 'object' || (Array.isArray(out['type']) && out['type'].includes('object'));
  if (isObjectType && out['properties'] === undefined && out['patternProperties'] === undefined && out['additionalProperties'] === undefined) {
    out['additionalProperties'] = {};
  }
  return out;
}

/** Produces every planned declaration, by plan key. */
export async function emitTypes(
  typeNames: ReadonlyMap<string, string>,
  planned: ReadonlyMap<string, TypeRequest & { key: string }>,
  cache?: TypeCache,
): Promise<Map<string, Code>> {
  const out = new Map<string, Code>();
  const keys = [...planned.keys()];
  // Keys as plan.ts makes them: `agent:<name>:context`, `tool:<name>:return`, the arguments of
  // an MCP tool (`mcp:<server>:<tool>:args`) and every schema of a graph (`graph:...`: its state,
  // output and node inputs are made by handlers, its replies by the caller) are written by the
  // application; everything else is what a validator has checked (and filled defaults in).
  const written = (k: string) =>
    (k.startsWith('agent:') && k.endsWith(':context')) ||
    (k.startsWith('tool:') && k.endsWith(':return')) ||
    (k.startsWith('mcp:') && k.endsWith(':args')) ||
    k.startsWith('graph:');
  const codes = await Promise.all(keys.map((k) => declareType({ ...planned.get(k)!, defaultsRequired: !written(k) }, typeNames, cache)));
  keys.forEach((k, i) => out.set(k, new Code(codes[i]!)));
  return out;
}
