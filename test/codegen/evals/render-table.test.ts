/**
 * The terminal report: a table per dataset under a heading naming its agent, with a row per case
 * (marks or pass counts per that dataset's assertions, its scores, duration and tokens) and a
 * legend wrapped to the width; failures with their reasons; the summary (with the spread over
 * repeats); the incomplete notice; regressions and improvements against a baseline. Plain without
 * colour, hostile names neutralised, and within the width it is given.
 */
import type { EvalReport } from 'schemantic/internal';
import { describe, expect, it } from 'vitest';
import { renderReportTable } from '../../../codegen/cli/evals/render-table.js';
import { textWidth } from '../../../codegen/cli/evals/terminal-text.js';
import { comparison, repeatedReport, singleRunReport } from './report-fixtures.js';

const ANSI = /\u001b\[/;
/** A row's cells: runs of text separated by two spaces or more. */
const cells = (line: string) => line.split(/ {2,}/).map((c) => c.trim());
/** A line that starts a note under a table (its wrapped lines follow, indented by two spaces). */
const NOTE = /^(Assertions|Scores|Columns)\b/;

/** One dataset's table as rendered. */
interface Section {
  /** `dataset (agent …)`. */
  heading: string;
  /** The header's cells. */
  header: string[];
  /** Each row's lines, as printed. */
  lines: string[];
  /** The notes under the table, each line as printed (wrapped lines included). */
  noteLines: string[];
  /** The notes, each with its wrapped lines joined back into one. */
  notes: string[];
}

/** The table of `dataset`: from its heading to the blank line after it; undefined when there is none. */
function sectionOf(text: string, dataset: string): Section | undefined {
  const all = text.split('\n');
  const start = all.findIndex((l) => l.startsWith(`${dataset} (agent `));
  if (start < 0) return undefined;
  const end = all.indexOf('', start);
  const [heading, header, rule, ...rest] = all.slice(start, end < 0 ? undefined : end);
  expect(rule, `${dataset}: the rule under the header`).toMatch(/^[─ ]+$/);
  const firstNote = rest.findIndex((l) => NOTE.test(l));
  const lines = firstNote < 0 ? rest : rest.slice(0, firstNote);
  const noteLines = firstNote < 0 ? [] : rest.slice(firstNote);
  const notes: string[] = [];
  for (const line of noteLines) {
    if (line.startsWith('  ') && notes.length > 0) notes[notes.length - 1] += ` ${line.trim()}`;
    else notes.push(line);
  }
  return { heading: heading!, header: cells(header!), lines, noteLines, notes };
}

/** The section of `dataset`, failing the test when the report has none. */
function section(text: string, dataset: string): Section {
  const found = sectionOf(text, dataset);
  expect(found, `a table for ${dataset}`).toBeDefined();
  return found!;
}

/** The cells of every row of `dataset`'s table. */
const rowsOf = (text: string, dataset: string) => section(text, dataset).lines.map(cells);
/** The cells of the row of `dataset`'s table that starts with `name` (empty when there is none). */
const rowOf = (text: string, dataset: string, name: string) => cells(section(text, dataset).lines.find((l) => l.startsWith(`${name} `)) ?? '');
/** Every dataset heading, in order. */
const headings = (text: string) => text.split('\n').filter((l) => /^\S.* \(agent [^)]*\)$/.test(l));

/** The single-run report with support's assertions renamed to long names: its numbered legend is wider than the table. */
function longLegendReport(): EvalReport {
  const report = singleRunReport();
  const longer: Record<string, string> = {
    contains: 'contains.escalation-phrase',
    'llmJudge.pass': 'llmJudge.pass.refund-policy',
    toneCheck: 'toneCheck.politeness-and-brevity',
  };
  for (const c of report.cases) for (const run of c.runs) for (const r of run.results) r.name = longer[r.name] ?? r.name;
  return report;
}
const LONG_LEGEND = 'Assertions: 1 contains.escalation-phrase, 2 llmJudge.pass.refund-policy, 3 toneCheck.politeness-and-brevity';

describe('renderReportTable', () => {
  it('shows a table per dataset, a row per case with status, a mark per assertion, scores, duration and tokens', () => {
    const text = renderReportTable(singleRunReport());
    expect(headings(text)).toEqual(['support (agent support)', 'sql (agent sql)']);
    // Rows are named by the case alone: `dataset/case` is left to the failures and the comparison, indented.
    expect(text.split('\n').filter((l) => /^(support|sql)\//.test(l))).toEqual([]);
    // support's three assertions and its score do not fit 100 columns by name: numbered, with a legend.
    const support = section(text, 'support');
    expect(support.header).toEqual(['Case', 'Status', '1', '2', '3', 'llmJudge.score', 'Duration', 'Tokens']);
    expect(support.notes).toEqual(['Assertions: 1 contains, 2 llmJudge.pass, 3 toneCheck']);
    expect(rowsOf(text, 'support')).toEqual([
      ['refund-small', '✔ passed', '✔', '✔', '·', '0.9', '850 ms', '120'],
      ['refund-large', '✗ failed', '✗', '✗', '✗', '0.4', '1.45 s', '120'],
      [expect.stringMatching(/^<b><\/script><img src=x .*….*red\\u0000<\/b>$/), '✗ failed', '✗', '·', '·', '0.1', '320 ms', '120'],
    ]);
    // sql's own columns fit by name.
    const sql = section(text, 'sql');
    expect(sql.header).toEqual(['Case', 'Status', 'validSql', 'maxDuration', 'quality', 'Duration', 'Tokens']);
    expect(sql.notes).toEqual([]);
    expect(rowsOf(text, 'sql')).toEqual([
      ['drop-table', '! error', '·', '·', '·', '30.0 s', '120'],
      ['select-users', '✔ passed', '✔', '✔', '0.75', '2.20 s', '120'],
      ['never-ran', '○ cancelled', '·', '·', '·', '–', '0'],
    ]);
  });

  it('gives each dataset the columns of its own evaluators, under a heading naming its agent', () => {
    const report = singleRunReport();
    for (const c of report.cases) c.agent = c.dataset === 'sql' ? 'sqlWriter' : 'supportBot';
    const text = renderReportTable(report, { width: 140 });
    expect(headings(text)).toEqual(['support (agent supportBot)', 'sql (agent sqlWriter)']);
    expect(section(text, 'support').header).toEqual(['Case', 'Status', 'contains', 'llmJudge.pass', 'toneCheck', 'llmJudge.score', 'Duration', 'Tokens']);
    expect(section(text, 'sql').header).toEqual(['Case', 'Status', 'validSql', 'maxDuration', 'quality', 'Duration', 'Tokens']);
    expect(rowOf(text, 'sql', 'select-users')).toEqual(['select-users', '✔ passed', '✔', '✔', '0.75', '2.20 s', '120']);
    expect(rowOf(text, 'support', 'refund-large')).toEqual(['refund-large', '✗ failed', '✗', '✗', '✗', '0.4', '1.45 s', '120']);
  });

  it('names the assertion columns when they fit', () => {
    const text = renderReportTable(singleRunReport(), { width: 140 });
    expect(section(text, 'support').header).toEqual(['Case', 'Status', 'contains', 'llmJudge.pass', 'toneCheck', 'llmJudge.score', 'Duration', 'Tokens']);
    expect(section(text, 'sql').header).toEqual(['Case', 'Status', 'validSql', 'maxDuration', 'quality', 'Duration', 'Tokens']);
    expect(section(text, 'support').noteLines).toEqual([]);
    expect(section(text, 'sql').noteLines).toEqual([]);
    expect(text).not.toContain('Assertions');
  });

  it('cuts long result names in the middle and names them in full below', () => {
    const report = repeatedReport();
    for (const c of report.cases) for (const run of c.runs) for (const r of run.results) if (r.kind === 'score') r.name = 'llmJudge.helpfulness.score';
    const weather = section(renderReportTable(report), 'weather');
    expect(weather.header).toEqual(['Case', 'Status', 'contains', 'llmJudg….score', 'Duration', 'Tokens']);
    expect(weather.notes).toEqual(['Columns: llmJudge.helpfulness.score']);
  });

  it('wraps a legend wider than the width after its commas, continuing with two spaces, instead of cutting it', () => {
    for (const width of [80, 100]) {
      const support = section(renderReportTable(longLegendReport(), { width }), 'support');
      expect(support.header, `${width}`).toEqual(['Case', 'Status', '1', '2', '3', 'llmJudge.score', 'Duration', 'Tokens']);
      expect(support.notes, `${width}`).toEqual([LONG_LEGEND]);
      expect(support.noteLines, `${width}`).toEqual([
        'Assertions: 1 contains.escalation-phrase, 2 llmJudge.pass.refund-policy,',
        '  3 toneCheck.politeness-and-brevity',
      ]);
    }
    // Wide enough for the headers cut to fit: the full names in a legend, on one line.
    const wide = section(renderReportTable(longLegendReport(), { width: 140 }), 'support');
    expect(wide.header).toEqual(['Case', 'Status', 'contain…phrase', 'llmJudg…policy', 'toneChe…revity', 'llmJudge.score', 'Duration', 'Tokens']);
    expect(wide.noteLines).toEqual(['Columns: contains.escalation-phrase, llmJudge.pass.refund-policy, toneCheck.politeness-and-brevity']);
  });

  it('lists what failed and why under the table, cut to the width', () => {
    const text = renderReportTable(singleRunReport());
    const failures = text.split('\n\nFailures\n')[1]!.split('\n\n')[0]!.split('\n');
    expect(failures).toEqual([
      '  support/refund-large  contains: expected "escalate" in the output',
      '  support/refund-large  llmJudge.pass: approved a $5000 refund without escalating',
      '  support/refund-large  toneCheck (evaluator error): TypeError: cannot read properties of undefined',
      expect.stringMatching(/^ {2}support\/<b><\/script><img src=x onerror="globalThis.__xss=1">]]><!-- \| `x` \*\*b\*\* @here\\u0007\\u001b.*…$/),
      '  sql/drop-table  error TimeoutError: the model timed out after 30 s',
    ]);
  });

  it('sums up: cases by status, pass rate, median duration, tokens, score means, model', () => {
    const summary = renderReportTable(singleRunReport()).split('\nSummary\n')[1]!.split('\n\n')[0]!.trimEnd();
    expect(summary.split('\n')).toEqual([
      '  Cases      6: 2 passed, 2 failed, 1 errored, 1 cancelled',
      '  Pass rate  40.0% of finished runs',
      '  Duration   median 1.45 s per run; 5.32 s in all',
      '  Tokens     600',
      '  Scores     llmJudge.score 0.47, quality 0.75',
      '  Model      test',
    ]);
  });

  it('says when the run was cancelled and how many cases did not finish', () => {
    expect(renderReportTable(singleRunReport())).toContain('⚠ Incomplete: the eval run was cancelled; 1 case did not finish.');
    expect(renderReportTable(repeatedReport())).not.toContain('Incomplete');
  });

  it('with repeats, shows pass counts per assertion and the pass rate’s spread over repeats', () => {
    const text = renderReportTable(repeatedReport());
    const weather = section(text, 'weather');
    expect(headings(text)).toEqual(['weather (agent weather)']);
    expect(weather.header).toEqual(['Case', 'Status', 'contains', 'llmJudge.score', 'Duration', 'Tokens']);
    expect(weather.lines.map(cells)).toEqual([
      ['paris', '✗ failed 2/3', '2/3', '0.73', '1.00 s', '360'],
      ['tokyo', '✔ passed 3/3', '3/3', '1', '710 ms', '360'],
      // The errored run ended (unlike a cancelled one) but has no results: the assertion was given twice, and held once.
      ['flaky', '! error 1/3', '1/2', '·', '600 ms', '360'],
    ]);
    expect(text).toContain('  Repeats    3; pass rate per repeat 66.7% ± 27.2% (min 33.3%, max 100.0%)');
    expect(text).toContain('  weather/paris [run 2]  contains: no temperature in the answer');
    expect(text).toContain('  weather/flaky [run 2]  error ProviderError: HTTP 503 from the provider');
  });

  it('lists regressions and improvements, with added and removed cases, before → after', () => {
    const text = renderReportTable(singleRunReport(), { comparison: comparison() });
    const section = text.split('\n\nCompared with the baseline')[1]!;
    expect(section.split('\n')).toEqual([
      ': pass rate 80.0% → 40.0%',
      'Regressions (3)',
      expect.stringMatching(/^ {2}✗ support\/refund-large +status +passed → failed$/),
      expect.stringMatching(/^ {2}✗ support\/refund-large +llmJudge\.score +0\.8 → 0\.4$/),
      expect.stringMatching(/^ {2}✗ support\/<b><\/script>….*<\/b> +contains +100\.0% → 0\.0%$/),
      'Improvements (1)',
      '  ✔ sql/select-users  quality  0.5 → 0.75',
      'Added cases (1): sql/never-ran',
      'Removed cases (1): support/old-case',
      '',
    ]);
    expect(renderReportTable(singleRunReport())).not.toContain('baseline');
  });

  it('writes no escape sequence without colour, not even one a name holds; colours with it', () => {
    const plain = renderReportTable(singleRunReport(), { comparison: comparison() });
    expect(plain).not.toMatch(ANSI);
    expect(plain).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    expect(plain).toContain('@here\\u0007\\u001b');
    const colored = renderReportTable(singleRunReport(), { comparison: comparison(), color: true });
    expect(colored).toContain('\u001b[32m✔ passed');
    expect(colored).toContain('\u001b[31m✗ failed');
    expect(colored).toContain('\u001b[1msupport (agent support)\u001b[22m');
    expect(colored).toContain('\u001b[2mAssertions: 1 contains, 2 llmJudge.pass, 3 toneCheck\u001b[22m');
    // Without its colours the coloured report is the plain one.
    expect(colored.replace(/\u001b\[\d+m/g, '')).toBe(plain);
  });

  it('keeps every line within the width, wrapping legends and cutting long names', () => {
    for (const width of [60, 80, 100, 140]) {
      for (const report of [singleRunReport(), longLegendReport()]) {
        const text = renderReportTable(report, { comparison: comparison(), width });
        for (const line of text.split('\n')) expect(textWidth(line), `${width}: ${line}`).toBeLessThanOrEqual(width);
      }
    }
    // The long legend, wrapped at 80, is whole: nothing cut.
    const wrapped = section(renderReportTable(longLegendReport(), { width: 80 }), 'support');
    expect(wrapped.noteLines.length).toBeGreaterThan(1);
    expect(wrapped.noteLines.join('')).not.toContain('…');
    const narrow = renderReportTable(singleRunReport(), { width: 60 });
    expect(section(narrow, 'support').header).toEqual(['Case', 'Status', 'Assertions', 'Duration', 'Tokens']);
    expect(section(narrow, 'support').notes).toEqual([
      expect.stringMatching(/^Assertions are counted together at this width/),
      expect.stringMatching(/^Scores per case are left out at this width/),
    ]);
    expect(rowOf(narrow, 'support', 'refund-large')).toEqual(['refund-large', '✗ failed', '0/3', '1.45 s', '120']);
    // The case column gives way first: names cut in the middle, keeping their ends.
    expect(section(narrow, 'support').lines.map(cells)[2]).toEqual(['<b></scrip…u0000</b>', '✗ failed', '0/1', '320 ms', '120']);
  });
});
