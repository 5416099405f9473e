/**
 * Checks that a parsed JSON body has the shape the clients read, field by field, so that a body
 * from a misbehaving (or hostile) server becomes one clear error naming the field at fault instead
 * of a `TypeError` deep in a handler, or a NaN that reaches the model. Only the fields the clients
 * use are checked: the APIs add fields over time, and those must not break the example.
 */

/** A body that is not the documented shape; `path` says where (`[0].lat`, `data.values.weatherCode`). */
export class ShapeError extends Error {
  constructor(
    readonly path: string,
    expected: string,
    got: unknown,
  ) {
    super(`${path || 'the body'} should be ${expected}, not ${describe(got)}`);
    this.name = 'ShapeError';
  }
}

/** `value` as an object (not null, not an array). */
export function expectObject(value: unknown, path: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ShapeError(path, 'an object', value);
  return value as Record<string, unknown>;
}

/** `value` as an array. */
export function expectArray(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw new ShapeError(path, 'an array', value);
  return value;
}

/** `value` as a string. */
export function expectString(value: unknown, path: string): string {
  if (typeof value !== 'string') throw new ShapeError(path, 'a string', value);
  return value;
}

/** `value` as a finite number within `[min, max]`. */
export function expectNumber(value: unknown, path: string, min = -Infinity, max = Infinity): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) throw new ShapeError(path, rangeText(min, max), value);
  return value;
}

/** `value` as an integer within `[min, max]` (a code, not a reading). */
export function expectInteger(value: unknown, path: string, min = -Infinity, max = Infinity): number {
  if (!Number.isInteger(value)) throw new ShapeError(path, 'an integer', value);
  return expectNumber(value, path, min, max);
}

/** A number the API may leave out or send as null (undefined then). */
export function optionalNumber(value: unknown, path: string): number | undefined {
  return value === undefined || value === null ? undefined : expectNumber(value, path);
}

/** A number sent as a decimal string, as geocode.maps.co sends coordinates (`"51.5074456"`). */
export function expectNumberString(value: unknown, path: string, min: number, max: number): number {
  const text = expectString(value, path);
  const number = /^\s*-?\d+(\.\d+)?\s*$/.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(number) || number < min || number > max) throw new ShapeError(path, `a decimal string (${rangeText(min, max)})`, value);
  return number;
}

function rangeText(min: number, max: number): string {
  if (min === -Infinity && max === Infinity) return 'a number';
  return `a number from ${min} to ${max}`;
}

/** A short description of a value for an error message (never the whole of a big body). */
function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 40)}...` : text;
}
