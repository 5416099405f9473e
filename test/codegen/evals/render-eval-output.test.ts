/**
 * The format switch `schemantic eval` renders through: each format is its renderer's output, the
 * JSON is the report itself (what `--baseline` reads back), and no output ends with a line end,
 * which the command's writer adds.
 */
import { describe, expect, it } from 'vitest';
import { EVAL_FORMATS, renderEvalOutput } from '../../../codegen/cli/evals/render-eval-output.js';
import { comparison, singleRunReport } from './report-fixtures.js';

describe('renderEvalOutput', () => {
  it('renders the table and each --format, without a final line end', () => {
    const report = singleRunReport();
    expect(EVAL_FORMATS).toEqual(['json', 'junit', 'markdown']);
    const table = renderEvalOutput('table', report, comparison(), { color: false });
    expect(table).toMatch(/^Evals, started /);
    expect(table).toContain('Regressions (3)');
    expect(renderEvalOutput('table', report, undefined, { color: true })).toContain('\u001b[');
    expect(renderEvalOutput('junit', report, undefined, { color: true })).toMatch(
      /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites [^]*<\/testsuites>$/,
    );
    expect(renderEvalOutput('markdown', report, comparison(), { color: false })).toMatch(/^## ❌ Evals: [^]*### Compared with the baseline[^]*<\/details>$/);
    for (const format of [...EVAL_FORMATS, 'table'] as const) expect(renderEvalOutput(format, report, undefined, { color: false })).not.toMatch(/\n$/);
  });

  it('writes the report itself as JSON, with the comparison beside it when there is a baseline', () => {
    const report = singleRunReport();
    const withBaseline = JSON.parse(renderEvalOutput('json', report, comparison(), { color: false }));
    expect(withBaseline).toEqual(JSON.parse(JSON.stringify({ ...report, comparison: comparison() })));
    expect(JSON.parse(renderEvalOutput('json', report, undefined, { color: false }))).toEqual(JSON.parse(JSON.stringify(report)));
  });
});
