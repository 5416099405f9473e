/**
 * `--fail-on`: when an eval run fails the build. `failures` (the default): any case that did not
 * pass; `regressions`: anything worse than the baseline; a number from 0 to 1: an overall pass
 * rate below it; `never`: report only.
 */

/** A parsed `--fail-on`. */
export type FailGate = { kind: 'failures' } | { kind: 'regressions' } | { kind: 'never' } | { kind: 'pass-rate'; min: number };

/** Reads `--fail-on`; undefined when it is none of the forms. */
export function parseFailGate(text: string): FailGate | undefined {
  if (text === 'failures' || text === 'regressions' || text === 'never') return { kind: text };
  if (/^(0(\.\d+)?|1(\.0+)?)$/.test(text)) return { kind: 'pass-rate', min: Number(text) };
  return undefined;
}

/** Why the gate fails, in one line; undefined when it holds. */
export function gateFailure(
  gate: FailGate,
  report: { summary: { cases: number; passed: number; passRate: number } },
  comparison: { regressions: readonly unknown[] } | undefined,
): string | undefined {
  const { cases, passed, passRate } = report.summary;
  switch (gate.kind) {
    case 'never':
      return undefined;
    case 'failures':
      return passed < cases ? `${cases - passed} of ${cases} cases did not pass` : undefined;
    case 'regressions':
      return comparison && comparison.regressions.length > 0 ? `${comparison.regressions.length} regressions against the baseline` : undefined;
    case 'pass-rate':
      return passRate < gate.min ? `the pass rate ${(passRate * 100).toFixed(1)}% is below ${(gate.min * 100).toFixed(1)}%` : undefined;
  }
}
