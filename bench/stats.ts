/**
 * What the benchmarks share: the repository root, the number of repetitions (`BENCH_REPS`), the
 * median they report, and the rate of an async operation.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** How many interleaved repetitions to run: `BENCH_REPS`, else the benchmark's default. */
export function benchReps(fallback: number): number {
  return Number(process.env['BENCH_REPS'] ?? fallback);
}

/** The median of the values (the mean of the middle two for an even count). */
export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Runs `fn` for about `ms` milliseconds; returns operations per second. */
export async function rate(fn: () => unknown, ms: number): Promise<number> {
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < ms) {
    for (let i = 0; i < 50; i++) await fn();
    n += 50;
  }
  return (n * 1000) / (performance.now() - start);
}
