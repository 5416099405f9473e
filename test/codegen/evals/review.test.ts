/**
 * Review of the report renderers under unusual reports: a score only a cancelled run gave, named
 * after an Object.prototype member, must not show the prototype's function as its mean.
 */
import { describe, expect, it } from 'vitest';
import type { EvalCaseReport, EvalReport } from 'schemantic/internal';
import { summarize } from '../../../runtime/evals/report-summary.js';
import { renderEvalOutput } from '../../../codegen/cli/evals/render-eval-output.js';
import { renderHtmlReport } from '../../../codegen/cli/evals/html-page.js';

const usage = { requests: 1, toolCalls: 0, inputTokens: 1, outputTokens: 1, totalTokens: 2, details: {} };

/** One case whose only run was cancelled after its evaluators gave a score named `name`. */
function cancelledWithScore(name: string): EvalReport {
  const c: EvalCaseReport = {
    dataset: 'd',
    agent: 'a',
    name: 'c',
    status: 'cancelled',
    passRate: 0,
    prompt: 'p',
    runs: [{ repeat: 0, status: 'cancelled', durationMs: 5, usage, attempts: 1, results: [{ name, source: 'custom', kind: 'score', value: 0.3 }] }],
  };
  return {
    format: 'schemantic-eval-report/1',
    complete: false,
    startedAt: '2026-12-05T00:00:00.000Z',
    durationMs: 5,
    repeat: 1,
    concurrency: 1,
    cases: [c],
    summary: summarize([c], 1),
  };
}

describe('eval report renderers review', () => {
  it('a score named constructor or toString that the summary lacks is not shown with a prototype function as its mean', () => {
    for (const name of ['constructor', 'toString', 'hasOwnProperty']) {
      const report = cancelledWithScore(name);
      for (const format of ['table', 'markdown'] as const) {
        const text = renderEvalOutput(format, report, undefined, { color: false });
        expect(text, `${format} ${name}`).not.toMatch(/native code|function/);
      }
      expect(renderHtmlReport(report)).not.toMatch(/native code/);
    }
  });
});
