/**
 * `schemantic/validators`: what generated validator modules import at run time.
 *
 * Ajv's standalone code needs a few helpers (deep equality, string length in code points, URI
 * parsing) and the format checks of ajv-formats. Generated modules import them from here, so they
 * depend only on this package's public entry points. The imports are static, so a bundler sees
 * them (the runtime's own build inlines these small modules into this entry point), and importing
 * a validator does not load the agent runtime.
 */
import equalModule from 'ajv/dist/runtime/equal.js';
import ucs2lengthModule from 'ajv/dist/runtime/ucs2length.js';
import uriModule from 'ajv/dist/runtime/uri.js';
import formatsModule from 'ajv-formats/dist/formats.js';

/** A format check of ajv-formats: a regular expression, a function, or an object with `validate`. */
export type FormatCheck = RegExp | ((value: string) => boolean) | { validate: RegExp | ((value: string) => boolean); compare?: unknown };

/**
 * The export of a CommonJS module compiled from ES (`exports.default = x`): Node hands an ES
 * import the whole `module.exports`, some bundlers its `default`; either way this finds `x`.
 */
function commonDefault<T>(module: unknown, isIt: (value: unknown) => boolean): T {
  if (isIt(module)) return module as T;
  return (module as { default: T }).default;
}

const isFunction = (value: unknown) => typeof value === 'function';

/** The format checks of ajv-formats ("full" mode). */
export const fullFormats: Readonly<Record<string, FormatCheck>> = commonDefault<{ fullFormats: Record<string, FormatCheck> }>(
  formatsModule,
  (m) => typeof (m as { fullFormats?: unknown }).fullFormats === 'object',
).fullFormats;

/** Deep equality of JSON values (for `const`, `enum` and `uniqueItems`). */
export const equal: (a: unknown, b: unknown) => boolean = commonDefault(equalModule, isFunction);

/** Length of a string in Unicode code points (for `minLength` and `maxLength`). */
export const ucs2length: (value: string) => number = commonDefault(ucs2lengthModule, isFunction);

/** URI parsing and resolution (fast-uri), for validator code that resolves references at run time. */
export const uri: Readonly<Record<string, unknown>> = commonDefault(uriModule, (m) => typeof (m as { parse?: unknown }).parse === 'function');

/** One reason a value is invalid, as Ajv reports it. */
export interface ValidationError {
  /** JSON pointer of the invalid value inside the validated data (`''` for the root). */
  instancePath: string;
  /** JSON pointer of the failing keyword in the schema. */
  schemaPath: string;
  /** The failing keyword (`type`, `required`, `enum`, ...). */
  keyword: string;
  /** Keyword-specific details (`missingProperty`, `allowedValues`, `limit`, ...). */
  params: Record<string, unknown>;
  /** A short English explanation. */
  message?: string;
}

/**
 * A generated validator: a type guard that, when it returns false, leaves every error it found
 * in `errors` (validators are compiled with `allErrors`).
 */
export interface Validator<T> {
  (data: unknown): data is T;
  /** The errors of the last call that returned false; `null` after a successful call. */
  errors?: ValidationError[] | null;
}
