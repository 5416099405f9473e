/**
 * Names in generated code: how definition names become TypeScript identifiers and file names,
 * and which identifiers generated code must not declare.
 */

/**
 * Splits a name into words at lower-to-upper case changes and at every character that cannot be
 * part of an identifier (`_`, `-`, spaces, punctuation: titles can hold anything).
 */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== '');
}

/** `get_lat_lng` -> `GetLatLng`; `LatLng` stays `LatLng`; `HTTPRequest` stays `HTTPRequest`. */
export function pascalCase(name: string): string {
  return words(name)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}

/** `get_lat_lng` -> `getLatLng`. */
export function camelCase(name: string): string {
  const pascal = pascalCase(name);
  return pascal === '' ? '' : pascal[0]!.toLowerCase() + pascal.slice(1);
}

/** `get_lat_lng` and `GetLatLng` -> `get-lat-lng` (generated file names). */
export function kebabCase(name: string): string {
  return words(name)
    .map((w) => w.toLowerCase())
    .join('-');
}

/** ECMAScript identifier names generated code can declare (ASCII subset, which is all we emit). */
export function isIdentifier(name: string): boolean {
  let known = identifiers.get(name);
  if (known === undefined) {
    known = /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) && !RESERVED_WORDS.has(name);
    // Bounded, so a long watch session cannot grow it without end.
    if (identifiers.size > 100_000) identifiers.clear();
    identifiers.set(name, known);
  }
  return known;
}

/** Memo of {@link isIdentifier}: the check stage asks about thousands of names on every run. */
const identifiers = new Map<string, boolean>();

/** Reserved words of JavaScript and TypeScript: never used as a declared name. */
export const RESERVED_WORDS: ReadonlySet<string> = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for ' +
    'function if import in instanceof new null return super switch this throw true try typeof var void while with ' +
    'implements interface let package private protected public static yield await any boolean number string symbol ' +
    'bigint object unknown never undefined declare type namespace module abstract as async from get set of readonly ' +
    'keyof infer is satisfies accessor arguments eval'
  ).split(' '),
);

/**
 * Global TypeScript and JavaScript names a generated type would shadow inside its module
 * (`interface Promise` would break every `Promise<T>` next to it).
 */
export const GLOBAL_TYPE_NAMES: ReadonlySet<string> = new Set(
  (
    'Array ArrayBuffer ArrayLike AsyncGenerator AsyncIterable AsyncIterator Awaited BigInt Boolean Capitalize ' +
    'ConstructorParameters DataView Date Error EvalError Exclude Extract Float32Array Float64Array Function ' +
    'Generator InstanceType Int8Array Int16Array Int32Array Intl Iterable IterableIterator Iterator JSON Lowercase ' +
    'Map Math NaN NoInfer NonNullable Number Object Omit OmitThisParameter Parameters Partial Pick Promise ' +
    'PromiseLike PropertyKey Proxy RangeError Readonly ReadonlyArray ReadonlyMap ReadonlySet Record ReferenceError ' +
    'Reflect RegExp Required ReturnType Set String Symbol SyntaxError TemplateStringsArray ThisParameterType ' +
    'ThisType TypeError URIError Uint8Array Uint8ClampedArray Uint16Array Uint32Array Uncapitalize Uppercase ' +
    'WeakMap WeakRef WeakSet Buffer Infinity Globals'
  ).split(' '),
);
