/**
 * The report as GitHub-flavoured markdown, for a pull request comment or `$GITHUB_STEP_SUMMARY`:
 * a headline, the incomplete notice, the case table, the summary, what changed against the
 * baseline, and the failures' reasons folded away. Every value from the report passes
 * `markdownText`, so no name or reason can split a cell, add markup or mention anyone.
 */
import type { EvalReport, ReportComparison } from 'schemantic/internal';
import { caseFigures, isRepeated, resultColumns, type AssertionTally, type CaseFigures } from './case-figures.js';
import { changeSubject, formatChangeValue, formatDuration, formatRate, formatScore, formatTokens } from './format-figures.js';
import { markdownText } from './markdown-text.js';
import { headline, incompleteNotice, summaryFacts } from './report-summary.js';

/** How to render the markdown report. */
export interface ReportMarkdownOptions {
  /** The comparison with a baseline report (`--baseline`): adds the regressions section. */
  comparison?: ReportComparison;
  /** The heading level of the report's title (2: `##`). Default 2. */
  headingLevel?: number;
}

/** Most characters of a reason in the failures list. */
const MAX_REASON = 300;
/** Most failures listed. */
const MAX_FAILURES = 100;

const STATUS_MARK = { passed: '✅', failed: '❌', error: '⚠️', cancelled: '⏹️' } as const;

function cut(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : chars.slice(0, max - 1).join('') + '…';
}

function tallyCell(tally: AssertionTally | undefined, repeated: boolean): string {
  if (!tally || tally.total === 0) return '·';
  if (!repeated) return tally.passed === tally.total ? '✔' : '✗';
  return `${tally.passed}/${tally.total}`;
}

/** A table row: cells joined by pipes (each already escaped). */
const row = (cells: string[]) => `| ${cells.join(' | ')} |`;

function caseTable(report: EvalReport, rows: CaseFigures[]): string[] {
  const repeated = isRepeated(report);
  const names = resultColumns(report);
  const header = ['Case', 'Status', ...names.assertions.map(markdownText), ...names.scores.map(markdownText), 'Duration', 'Tokens'];
  const align = [':--', ':--', ...names.assertions.map(() => ':-:'), ...names.scores.map(() => '--:'), '--:', '--:'];
  const lines = [row(header), row(align)];
  report.cases.forEach((c, i) => {
    const r = rows[i]!;
    const finished = c.runs.filter((run) => run.status !== 'cancelled').length;
    const passed = c.runs.filter((run) => run.status === 'passed').length;
    const status = `${STATUS_MARK[c.status]} ${c.status}${repeated && finished > 0 ? ` ${passed}/${finished}` : ''}`;
    lines.push(
      row([
        markdownText(r.id),
        status,
        ...names.assertions.map((name) => tallyCell(r.assertions.get(name), repeated)),
        ...names.scores.map((name) => (r.scores.has(name) ? formatScore(r.scores.get(name)!) : '·')),
        r.durationMs === undefined ? '–' : formatDuration(r.durationMs),
        formatTokens(r.tokens),
      ]),
    );
  });
  return lines;
}

function comparisonSection(comparison: ReportComparison, heading: string): string[] {
  const lines = [
    `${heading} Compared with the baseline`,
    '',
    `Pass rate ${formatRate(comparison.passRate.before)} → ${formatRate(comparison.passRate.after)}.`,
    '',
  ];
  const changes = [
    ...comparison.regressions.map((change) => ({ change, kind: '🔻 regression' })),
    ...comparison.improvements.map((change) => ({ change, kind: '🔺 improvement' })),
  ];
  if (changes.length === 0) lines.push('No regressions or improvements.', '');
  else {
    lines.push(row(['', 'Case', 'What', 'Before', 'After']), row([':--', ':--', ':--', '--:', '--:']));
    for (const { change, kind } of changes)
      lines.push(
        row([
          kind,
          markdownText(`${change.dataset}/${change.case}`),
          markdownText(changeSubject(change)),
          markdownText(formatChangeValue(change, change.before)),
          markdownText(formatChangeValue(change, change.after)),
        ]),
      );
    lines.push('');
  }
  if (comparison.added.length > 0) lines.push(`Added cases: ${comparison.added.map(markdownText).join(', ')}`, '');
  if (comparison.removed.length > 0) lines.push(`Removed cases: ${comparison.removed.map(markdownText).join(', ')}`, '');
  return lines;
}

function failureList(report: EvalReport, rows: CaseFigures[]): string[] {
  const repeated = isRepeated(report);
  const items = rows.flatMap((r) =>
    r.failures.map((f) => {
      const where = `**${markdownText(r.id)}**${repeated ? ` \\[run ${f.repeat + 1}\\]` : ''}`;
      const what =
        f.kind === 'run-error'
          ? `error ${markdownText(f.errorType ?? 'Error')}`
          : `${markdownText(f.result ?? '')}${f.kind === 'evaluator-error' ? ' (evaluator error)' : ''}`;
      return `- ${where} ${what}: ${markdownText(cut(f.reason, MAX_REASON)) || 'no reason given'}`;
    }),
  );
  if (items.length === 0) return [];
  const shown = items.slice(0, MAX_FAILURES);
  if (items.length > shown.length) shown.push(`- … and ${items.length - shown.length} more`);
  return ['<details>', `<summary>Failures (${items.length})</summary>`, '', ...shown, '', '</details>', ''];
}

/** The markdown report. */
export function renderReportMarkdown(report: EvalReport, options: ReportMarkdownOptions = {}): string {
  const level = Math.min(5, Math.max(1, options.headingLevel ?? 2));
  const heading = '#'.repeat(level);
  const rows = report.cases.map(caseFigures);
  const ok = report.complete && report.summary.passed === report.summary.cases;
  const lines = [`${heading} ${ok ? '✅' : '❌'} Evals: ${headline(report)}`, ''];
  const notice = incompleteNotice(report);
  if (notice) lines.push('> [!WARNING]', `> ${notice}`, '');
  if (rows.length > 0) lines.push(...caseTable(report, rows), '');
  lines.push(...summaryFacts(report).map((f) => `- **${f.label}:** ${markdownText(f.text)}`), '');
  if (options.comparison) lines.push(...comparisonSection(options.comparison, `${heading}#`));
  lines.push(...failureList(report, rows));
  return lines.join('\n').replace(/\n+$/, '') + '\n';
}
