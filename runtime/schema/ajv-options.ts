/**
 * The Ajv options every validator is compiled with, generated (at build time) or hand-written (at
 * run time), so both kinds check data the same way; and lax mode, which both apply the same way.
 *
 * This module must not import Ajv (the runtime loads it only where it compiles schemas): the lax
 * keyword takes Ajv's code builder from the Ajv instance compiling it.
 */

/**
 * The keyword that turns lax scalars on for a schema. `true` at the root of a schema a hand-written
 * agent passes (or absent: lax is the default) coerces, `false` there turns it off; the generator
 * writes it where a definition says `lax`. {@link laxSchema} spreads it to every node with
 * properties or items, where Ajv runs it before `properties`/`items` check the children.
 */
export const LAX_KEYWORD = 'x-schemantic-lax';

/**
 * Lax mode as PydanticAI's (pydantic's lax mode) reads JSON, restricted to strings: a string where
 * the schema wants a number or integer becomes one when it is a decimal number (`"51.5"`, `" 7 "`,
 * `"1e3"`; no hex, no `Infinity`), and a string where it wants a boolean becomes one when it is one
 * of pydantic's words (`true/false`, `yes/no`, `on/off`, `t/f`, `y/n`, `1/0`, any case). Nothing
 * else is coerced: not null (Ajv's `coerceTypes` makes it 0, false or ""), not numbers to strings,
 * not scalars to arrays. A value that cannot be read stays as it was, so the type check that follows
 * reports it. Only a property (or item) whose own schema declares `type` without `string` is
 * coerced; a `$ref`, or a union member that could be a string, is left alone.
 */
const NUMBER_TEXT = '^\\s*[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?\\s*$';
const TRUE_TEXT = '^(?:true|t|yes|y|on|1)$';
const FALSE_TEXT = '^(?:false|f|no|n|off|0)$';

type Json = Readonly<Record<string, unknown>>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What a string under `schema` may become: `number`, `integer`, `boolean` (in order), or nothing. */
function laxTargets(schema: unknown): string[] {
  if (!isRecord(schema)) return [];
  const types = new Set<string>();
  const add = (node: unknown): boolean => {
    if (!isRecord(node)) return false;
    const type = node['type'];
    if (typeof type === 'string') types.add(type);
    else if (Array.isArray(type)) for (const t of type) types.add(String(t));
    else return false;
    return true;
  };
  const members = ['anyOf', 'oneOf'].flatMap((k) => (Array.isArray(schema[k]) ? (schema[k] as unknown[]) : []));
  if ('type' in schema) {
    if (!add(schema)) return [];
  } else if (members.length > 0) {
    if (!members.every(add)) return [];
  } else return [];
  if (types.has('string') || 'const' in schema || 'enum' in schema) return [];
  return ['number', 'integer', 'boolean'].filter((t) => types.has(t));
}

/** The minimal surface of Ajv's KeywordCxt and code builder the keyword uses. */
interface Cxt {
  gen: {
    if(cond: unknown, then?: () => void): Cxt['gen'];
    endIf(): Cxt['gen'];
    assign(lhs: unknown, rhs: unknown): Cxt['gen'];
    forRange(name: string, from: unknown, to: unknown, body: (i: unknown) => void): Cxt['gen'];
    forIn(name: string, obj: unknown, body: (key: unknown) => void): Cxt['gen'];
    const(name: string, value: unknown): unknown;
  };
  data: unknown;
  schema: unknown;
  it: { schema: Json; self: { constructor: { _?: (s: TemplateStringsArray, ...a: unknown[]) => unknown } } };
}

function laxCode(cxt: Cxt): void {
  if (cxt.schema !== true) return;
  const _ = cxt.it.self.constructor._;
  if (!_) throw new Error(`${LAX_KEYWORD} needs Ajv's code builder`);
  const { gen, data, it } = cxt;
  const coerce = (target: unknown, types: string[]): void => {
    gen.if(_`typeof ${target} == "string"`, () => {
      const text = gen.const('text', target);
      for (const type of types) {
        if (type === 'boolean') {
          gen.if(_`typeof ${target} == "string" && new RegExp(${TRUE_TEXT}, "i").test(${text})`, () => gen.assign(target, _`true`));
          gen.if(_`typeof ${target} == "string" && new RegExp(${FALSE_TEXT}, "i").test(${text})`, () => gen.assign(target, _`false`));
        } else {
          const integer = type === 'integer' ? _` && Number.isInteger(+${text})` : _``;
          gen.if(_`typeof ${target} == "string" && new RegExp(${NUMBER_TEXT}).test(${text})${integer}`, () => gen.assign(target, _`+${text}`));
        }
      }
    });
  };
  const schema = it.schema;
  const properties = isRecord(schema['properties']) ? schema['properties'] : {};
  const own = Object.keys(properties).filter((name) => laxTargets(properties[name]).length > 0);
  const rest = laxTargets(schema['additionalProperties']);
  if (own.length > 0 || (rest.length > 0 && !isRecord(schema['patternProperties']))) {
    gen.if(_`${data} && typeof ${data} == "object" && !Array.isArray(${data})`, () => {
      for (const name of own) {
        const child = _`${data}[${name}]`;
        gen.if(_`Object.prototype.hasOwnProperty.call(${data}, ${name})`, () => coerce(child, laxTargets(properties[name])));
      }
      if (rest.length > 0 && !isRecord(schema['patternProperties'])) {
        gen.forIn('key', data, (key) => {
          const declared = Object.keys(properties).map((name) => _` && ${key} !== ${name}`);
          gen.if(_`Object.prototype.hasOwnProperty.call(${data}, ${key})${declared.reduce((a, b) => _`${a}${b}`, _``)}`, () =>
            coerce(_`${data}[${key}]`, rest),
          );
        });
      }
    });
  }
  const prefix = Array.isArray(schema['prefixItems']) ? (schema['prefixItems'] as unknown[]) : [];
  const items = laxTargets(schema['items']);
  const prefixTargets = prefix.map(laxTargets);
  if (items.length > 0 || prefixTargets.some((t) => t.length > 0)) {
    gen.if(_`Array.isArray(${data})`, () => {
      prefixTargets.forEach((targets, i) => {
        if (targets.length > 0) gen.if(_`${data}.length > ${i}`, () => coerce(_`${data}[${i}]`, targets));
      });
      if (items.length > 0) gen.forRange('i', prefix.length, _`${data}.length`, (i) => coerce(_`${data}[${i}]`, items));
    });
  }
}

/** The Ajv definition of {@link LAX_KEYWORD}; it runs before the typed keywords of its node. */
const LAX_KEYWORD_DEFINITION = { keyword: LAX_KEYWORD, schemaType: 'boolean', code: laxCode };

/** Keywords whose subschemas are tried on the same data, one after another. */
const BRANCH_KEYWORDS = new Set(['anyOf', 'oneOf', 'not', 'if', 'then', 'else']);

/**
 * A copy of `schema` with {@link LAX_KEYWORD} on every node that has properties or items (the
 * keyword coerces the children of the node it is on). Pure; `schema` itself when there is nothing
 * to coerce anywhere.
 */
export function laxSchema(schema: unknown): unknown {
  let changed = false;
  // Inside the branches of a union or a condition, a coercion made while one branch is tried would
  // reach the next branch too (Ajv checks them on the same data): there values stay as sent, as
  // Ajv leaves defaults out of them.
  const visit = (node: unknown, inBranch: boolean): unknown => {
    if (Array.isArray(node)) {
      const out = node.map((item) => visit(item, inBranch));
      return out.some((v, i) => v !== node[i]) ? out : node;
    }
    if (!isRecord(node)) return node;
    let out: Record<string, unknown> | undefined;
    for (const [key, value] of Object.entries(node)) {
      // Data, not schemas: left as they are.
      if (key === 'const' || key === 'enum' || key === 'default' || key === 'examples') continue;
      const next = visit(value, inBranch || BRANCH_KEYWORDS.has(key));
      if (next !== value) Object.defineProperty((out ??= { ...node }), key, { value: next, enumerable: true, writable: true, configurable: true });
    }
    const children = [
      ...(isRecord(node['properties']) ? Object.values(node['properties']) : []),
      node['additionalProperties'],
      node['items'],
      ...(Array.isArray(node['prefixItems']) ? node['prefixItems'] : []),
    ];
    if (!inBranch && node[LAX_KEYWORD] === undefined && children.some((c) => laxTargets(c).length > 0)) {
      (out ??= { ...node })[LAX_KEYWORD] = true;
      changed = true;
    }
    return out ?? node;
  };
  const result = visit(schema, false);
  return changed ? result : schema;
}

/** Options shared by generated and runtime-compiled validators. */
export const VALIDATOR_OPTIONS = {
  /** Report every error, so a retry prompt lists everything the model must fix. */
  allErrors: true,
  /** Without this, `required: [toString]` would accept {} (it inherits toString from Object). */
  ownProperties: true,
  /**
   * Ajv's strict mode is a linter that rejects valid schemas (`if` without `then`); unknown
   * keywords are reported by `schemantic generate` with their location instead.
   */
  strict: false,
  /** Numbers must be finite: Infinity or NaN would serialise to null. */
  strictNumbers: true,
  /**
   * Fill in a missing property from its schema's `default` (in `properties`, reached directly or
   * through `$ref`/`allOf`; not inside `anyOf`/`oneOf`, where Ajv cannot tell which applies). The
   * value is changed in place; each default is a fresh copy. A null the model sends for an optional
   * property is removed before validation (`optional-nulls.ts`), so it is defaulted too. Not
   * `"empty"`: a null the property's schema accepts, or an empty string, is the model's answer.
   */
  useDefaults: true,
  /** The lax keyword, known to every validator (it does nothing where the schema lacks it). */
  keywords: [LAX_KEYWORD_DEFINITION],
} as const;
