/**
 * Dates and times without a time zone (`NaiveDateTime` in schemas/doc-search.yaml): what Python's
 * `datetime.isoformat()` writes for a naive datetime, `2025-03-15T11:17:07.730831`. The crawler
 * wrote them in UTC; the store keeps them in a `timestamp` column (no zone, microseconds), and
 * writes them back the way Python does, so a crawled record comes back as it was written.
 */

const SHAPE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/;

/**
 * Why `text` is not a naive date and time, or undefined when it is one: the generated validator
 * checks the shape only, so `2025-02-30T25:00:00` passes it; this checks the calendar and clock.
 */
export function naiveDateTimeProblem(text: string): string | undefined {
  const match = SHAPE.exec(text);
  if (!match) return `${JSON.stringify(text)} is not a date and time like 2025-03-15T11:17:07.730831 (no time zone)`;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12) return `${JSON.stringify(text)} has month ${month}`;
  // Day 0 of the next month is the last day of this one.
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > daysInMonth) return `${JSON.stringify(text)} has day ${day}, and that month has ${daysInMonth}`;
  if (hour > 23 || minute > 59 || second > 59) return `${JSON.stringify(text)} is not a time of day`;
  return undefined;
}

/**
 * Python's `isoformat()` of a naive datetime read from PostgreSQL's `YYYY-MM-DD"T"HH24:MI:SS.US`:
 * six digits of fraction, none at all when they are zeros.
 */
export function isoformatFromMicroseconds(text: string): string {
  return text.endsWith('.000000') ? text.slice(0, -7) : text;
}

/** Now, in UTC, as a naive date and time with microseconds (JavaScript's clock has milliseconds). */
export function naiveNow(date: Date = new Date()): string {
  return isoformatFromMicroseconds(`${date.toISOString().slice(0, 23)}000`);
}
