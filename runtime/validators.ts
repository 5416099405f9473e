/**
 * `schemantic/validators`: what generated validator modules import at run time.
 *
 * Ajv's standalone code needs a few helpers (deep equality, string length in code points, URI
 * parsing) and the format checks of ajv-formats. Generated modules import them from here, so they
 * depend only on this package's public entry points and load in plain Node ESM.
 *
 * Importing this module costs next to nothing: each helper library is loaded (with `require`,
 * which for these CommonJS packages is several times cheaper than an ESM import) the first time
 * a validator needs it. Importing a validator does not load the agent runtime either.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** A format check of ajv-formats: a regular expression, a function, or an object with `validate`. */
export type FormatCheck = RegExp | ((value: string) => boolean) | { validate: RegExp | ((value: string) => boolean); compare?: unknown };

let formats: Record<string, FormatCheck> | undefined;

function realFormat(name: string): FormatCheck {
  formats ??= (require('ajv-formats/dist/formats') as { fullFormats: Record<string, FormatCheck> }).fullFormats;
  const check = formats[name];
  if (check === undefined) throw new Error(`schemantic/validators: unknown format ${name}`);
  return check;
}

/**
 * A stand-in for one format check that loads ajv-formats on its first use. Validator modules read
 * their formats when they load (`const formats0 = fullFormats.date`), so handing them the real
 * checks would load the library on import; this stand-in answers the three ways Ajv's code calls a
 * format (as a function, through `.validate`, or through `.test`).
 */
function lazyFormat(name: string): FormatCheck {
  const run = (value: string): boolean => {
    const check = realFormat(name);
    if (typeof check === 'function') return check(value);
    if (check instanceof RegExp) return check.test(value);
    return typeof check.validate === 'function' ? check.validate(value) : check.validate.test(value);
  };
  return Object.assign(run, { validate: run, test: run });
}

/** The format checks of ajv-formats ("full" mode); the library loads when a check first runs. */
export const fullFormats: Readonly<Record<string, FormatCheck>> = new Proxy({} as Record<string, FormatCheck>, {
  get(cache, name) {
    if (typeof name !== 'string') return undefined;
    return (cache[name] ??= lazyFormat(name));
  },
});

let deepEqual: ((a: unknown, b: unknown) => boolean) | undefined;

/** Deep equality of JSON values (for `const`, `enum` and `uniqueItems`). */
export function equal(a: unknown, b: unknown): boolean {
  deepEqual ??= (require('ajv/dist/runtime/equal') as { default: (a: unknown, b: unknown) => boolean }).default;
  return deepEqual(a, b);
}

let codePoints: ((value: string) => number) | undefined;

/** Length of a string in Unicode code points (for `minLength` and `maxLength`). */
export function ucs2length(value: string): number {
  codePoints ??= (require('ajv/dist/runtime/ucs2length') as { default: (value: string) => number }).default;
  return codePoints(value);
}

let uriLibrary: Record<string, unknown> | undefined;

/** URI parsing and resolution (fast-uri), for validator code that resolves references at run time. */
export const uri: Readonly<Record<string, unknown>> = new Proxy({} as Record<string, unknown>, {
  get(_target, name) {
    uriLibrary ??= (require('ajv/dist/runtime/uri') as { default: Record<string, unknown> }).default;
    return typeof name === 'string' ? uriLibrary[name] : undefined;
  },
});

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
