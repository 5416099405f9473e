/**
 * The markdown report (a pull request comment, `$GITHUB_STEP_SUMMARY`): a headline, a table
 * whose every row has the header's number of cells, the summary, the comparison and the failures;
 * untrusted text escaped so that it cannot split a cell, add HTML or markup, or mention anyone.
 */
import { describe, expect, it } from 'vitest';
import { markdownText } from '../../../codegen/cli/evals/markdown-text.js';
import { renderReportMarkdown } from '../../../codegen/cli/evals/render-markdown.js';
import { comparison, HOSTILE, repeatedReport, singleRunReport } from './report-fixtures.js';

/** The cells of a table row, split as GitHub splits them: at pipes not escaped by a backslash. */
const cellsOf = (line: string) =>
  line
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());
/** The tables of a document: runs of lines starting with `|`. */
const tables = (text: string) =>
  text
    .split(/\n(?!\|)/)
    .map((block) => block.split('\n').filter((l) => l.startsWith('|')))
    .filter((rows) => rows.length > 0);

describe('renderReportMarkdown', () => {
  it('starts with a headline and the incomplete notice', () => {
    const text = renderReportMarkdown(singleRunReport());
    expect(text.split('\n').slice(0, 4)).toEqual([
      '## ❌ Evals: 2 of 6 cases passed, pass rate 40.0%',
      '',
      '> [!WARNING]',
      '> Incomplete: the eval run was cancelled; 1 case did not finish.',
    ]);
    expect(renderReportMarkdown(repeatedReport())).not.toContain('Incomplete');
    expect(renderReportMarkdown(singleRunReport(), { headingLevel: 3 })).toMatch(/^### ❌ Evals/);
  });

  it('has a case table: header, alignment row, one row per case, every row as many cells as the header', () => {
    const [table] = tables(renderReportMarkdown(singleRunReport()));
    expect(table).toHaveLength(2 + 6);
    const header = cellsOf(table![0]!);
    expect(header).toEqual([
      'Case',
      'Status',
      'contains',
      'llmJudge.pass',
      'toneCheck',
      'validSql',
      'maxDuration',
      'llmJudge.score',
      'quality',
      'Duration',
      'Tokens',
    ]);
    expect(cellsOf(table![1]!).every((c) => /^:?-+:?$/.test(c))).toBe(true);
    for (const row of table!) expect(cellsOf(row)).toHaveLength(header.length);
    expect(cellsOf(table![3]!)).toEqual(['support/refund-large', '❌ failed', '✗', '✗', '✗', '·', '·', '0.4', '·', '1.45 s', '120']);
    expect(cellsOf(table![5]!)).toEqual(['sql/drop-table', '⚠️ error', '·', '·', '·', '·', '·', '·', '·', '30.0 s', '120']);
  });

  it('shows pass counts and the spread with repeats', () => {
    const text = renderReportMarkdown(repeatedReport());
    const [table] = tables(text);
    expect(cellsOf(table![2]!)).toEqual(['weather/paris', '❌ failed 2/3', '2/3', '0.73', '1.00 s', '360']);
    expect(text).toContain('- **Repeats:** 3; pass rate per repeat 66.7% ± 27.2% (min 33.3%, max 100.0%)');
    expect(text).toContain('- **weather/paris** \\[run 2\\] contains: no temperature in the answer');
  });

  it('escapes a hostile case name: one cell, no HTML, no markup, no mention', () => {
    const [table] = tables(renderReportMarkdown(singleRunReport()));
    const row = table!.find((l) => l.includes('onerror'))!;
    expect(cellsOf(row)).toHaveLength(11);
    expect(row).not.toMatch(/<(?!br>)/);
    expect(row).toContain('&lt;/script&gt;&lt;img src=x onerror="globalThis.\\_\\_xss=1"&gt;');
    expect(row).toContain('\\| \\`x\\` \\*\\*b\\*\\* \\@here');
    expect(row).not.toMatch(/[\u0000-\u001f]/);
  });

  it('escapes pipes and line ends in cells', () => {
    expect(markdownText('a|b\nc\r\nd')).toBe('a\\|b<br>c<br>d');
    expect(markdownText('[x](javascript:alert(1)) ![i](y)')).toBe('\\[x\\](javascript:alert(1)) \\!\\[i\\](y)');
    expect(markdownText(HOSTILE)).not.toContain('<');
  });

  it('lists regressions and improvements against the baseline, and added and removed cases', () => {
    const text = renderReportMarkdown(singleRunReport(), { comparison: comparison() });
    const section = text.split('### Compared with the baseline')[1]!;
    expect(section).toContain('Pass rate 80.0% → 40.0%.');
    const [changes] = tables(section);
    expect(changes!.map(cellsOf).slice(2)).toEqual([
      ['🔻 regression', 'support/refund-large', 'status', 'passed', 'failed'],
      ['🔻 regression', 'support/refund-large', 'llmJudge.score', '0.8', '0.4'],
      ['🔻 regression', expect.stringContaining('&lt;b&gt;'), 'contains', '100.0%', '0.0%'],
      ['🔺 improvement', 'sql/select-users', 'quality', '0.5', '0.75'],
    ]);
    expect(section).toContain('Added cases: sql/never-ran');
    expect(section).toContain('Removed cases: support/old-case');
    expect(renderReportMarkdown(singleRunReport())).not.toContain('baseline');
  });

  it('folds the failures and their reasons away', () => {
    const text = renderReportMarkdown(singleRunReport());
    const failures = text.split('<summary>Failures (5)</summary>')[1]!.split('</details>')[0]!;
    expect(failures).toContain('- **support/refund-large** contains: expected "escalate" in the output');
    expect(failures).toContain('- **support/refund-large** toneCheck (evaluator error): TypeError: cannot read properties of undefined');
    expect(failures).toContain('- **sql/drop-table** error TimeoutError: the model timed out after 30 s');
    expect(failures).toContain('llmJudge.pass: approved a \\$5000 refund without escalating');
  });
});
