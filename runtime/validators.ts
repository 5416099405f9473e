/**
 * `schemantic/validators`: what generated validator modules import at run time.
 *
 * Ajv's standalone code needs a few helpers (deep equality, string length in code points, URI
 * parsing) and the format checks of ajv-formats. Generated modules import them from here, so they
 * depend only on this package's public entry points and load in plain Node ESM. This entry point
 * is deliberately small: importing a validator does not load the agent runtime.
 */
import { fullFormats } from 'ajv-formats/dist/formats.js';
import equalModule from 'ajv/dist/runtime/equal.js';
import ucs2lengthModule from 'ajv/dist/runtime/ucs2length.js';
import uriModule from 'ajv/dist/runtime/uri.js';

export { fullFormats };

/**
 * The value a CommonJS module exports as `default`. Node's ESM loader gives the whole
 * `module.exports` as the default import (so the value is under `.default`), while bundlers that
 * honour `__esModule` give `exports.default` itself; this accepts both.
 */
function cjsDefault<T>(imported: { default: T } | T): T {
  return imported !== null && typeof imported === 'object' && (imported as { __esModule?: boolean }).__esModule
    ? (imported as { default: T }).default
    : (imported as T);
}

/** Deep equality of JSON values (for `const`, `enum` and `uniqueItems`). */
export const equal = cjsDefault(equalModule);

/** Length of a string in Unicode code points (for `minLength` and `maxLength`). */
export const ucs2length = cjsDefault(ucs2lengthModule);

/** URI parsing and resolution (fast-uri), for validator code that resolves references at run time. */
export const uri: object = cjsDefault(uriModule) as object;

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
