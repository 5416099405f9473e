/**
 * The type of a generated validator and of the errors it reports.
 */

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
