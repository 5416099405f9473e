/**
 * Summaries of a list of numbers (mean, spread, median), as reports show durations and pass rates.
 */
import type { Spread } from './eval-report.js';

/** The spread of `values` (all zero for an empty list). */
export function spreadOf(values: readonly number[]): Spread {
  if (values.length === 0) return { mean: 0, stddev: 0, min: 0, max: 0, median: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, v) => sum + v, 0) / sorted.length;
  const variance = sorted.reduce((sum, v) => sum + (v - mean) ** 2, 0) / sorted.length;
  const middle = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { mean, stddev: Math.sqrt(variance), min: sorted[0]!, max: sorted[sorted.length - 1]!, median };
}
