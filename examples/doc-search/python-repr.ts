/**
 * Numbers and JSON written the way Python writes them. The crawled record format comes from a
 * Python crawler: its embedding is a Python list printed with `repr` (`5.12e-05`, where
 * JavaScript would print `0.0000512`) and its metadata is `json.dumps` output (`", "` and `": "`
 * between items, non-ASCII escaped). Writing both the same way makes `formatRecord` give back a
 * record byte for byte as the crawler wrote it.
 */

/**
 * A float as Python's `repr` prints it: the shortest digits that read back to the same number
 * (as JavaScript's), but in exponent form below 1e-4 and from 1e16 up, with a two-digit exponent
 * at least (`1e-05`), and whole numbers with `.0`.
 */
export function pythonFloat(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  // toExponential() with no argument gives the shortest round-tripping digits, like repr.
  const [mantissa, exponentText] = value.toExponential().split('e') as [string, string];
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 16) {
    const sign = exponent < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  // In this range JavaScript prints plain digits too; only whole numbers differ ("1" vs "1.0").
  const text = String(value);
  return Number.isInteger(value) ? `${text}.0` : text;
}

/**
 * JSON as Python's `json.dumps` writes it by default: `", "` and `": "` as separators, every
 * character past ASCII escaped as `\uXXXX`, integers as integers and other numbers as `repr`.
 */
export function pythonJson(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isInteger(value) && Math.abs(value) < 2 ** 53 ? String(value) : pythonFloat(value);
  if (typeof value === 'string') return asciiJsonString(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(', ')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${asciiJsonString(k)}: ${pythonJson(v)}`)
      .join(', ')}}`;
  }
  throw new TypeError(`cannot write a ${typeof value} as JSON`);
}

/** A JSON string with every UTF-16 unit past ASCII escaped (Python's `ensure_ascii=True`). */
function asciiJsonString(text: string): string {
  return JSON.stringify(text).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
