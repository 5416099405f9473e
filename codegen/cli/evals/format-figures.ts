/**
 * Numbers as every report writes them, so the terminal, markdown, JUnit and HTML reports agree:
 * rates as percentages, scores with two decimals, durations in ms or s, tokens with separators.
 */
import type { ReportChange, Spread } from 'schemantic/internal';

/** `850 ms`, `1.25 s`, `12.5 s`, `2m 05s`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, '0')}s`;
}

/** A rate in 0..1 as a percentage: `66.7%`. */
export function formatRate(rate: number): string {
  if (!Number.isFinite(rate)) return '–';
  return `${(rate * 100).toFixed(1)}%`;
}

/** A score: two decimals, without trailing zeros past the first (`0.8`, `0.85`, `12`). */
export function formatScore(score: number): string {
  if (!Number.isFinite(score)) return String(score);
  const fixed = score.toFixed(2);
  return fixed.replace(/\.?0+$/, '') || '0';
}

/** `12,345`. */
export function formatTokens(tokens: number): string {
  return Math.round(tokens).toLocaleString('en-US');
}

/** A pass rate over repeats: `66.7% ± 4.7% (min 60.0%, max 70.0%)`. */
export function formatRateSpread(spread: Spread): string {
  return `${formatRate(spread.mean)} ± ${formatRate(spread.stddev)} (min ${formatRate(spread.min)}, max ${formatRate(spread.max)})`;
}

/** A change's before or after value: a status as it is, a pass rate as a percentage, a score as a score. */
export function formatChangeValue(change: ReportChange, value: string | number): string {
  if (typeof value === 'string') return value;
  return change.what === 'score' ? formatScore(value) : formatRate(value);
}

/** What a change is about: the result's name, or the case's status or pass rate. */
export function changeSubject(change: ReportChange): string {
  if (change.result !== undefined) return change.result;
  return change.what === 'pass-rate' ? 'pass rate' : change.what;
}

/** `1 case`, `2 cases`. */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}
