/**
 * The human report of `schemantic eval`, for a terminal: one row per case (status, a mark or a
 * pass count per assertion, score means, median duration, tokens), what failed and why, the
 * summary, and, against a baseline, what regressed and what improved.
 *
 * Every name and reason is untrusted text and passes `terminalText`; colour is added only when
 * asked for (a terminal without NO_COLOR), so piped output is plain.
 */
import type { EvalCaseReport, EvalReport, ReportComparison } from 'schemantic/internal';
import { caseFigures, isRepeated, resultColumns, type AssertionTally, type CaseFigures } from './case-figures.js';
import { changeSubject, formatChangeValue, formatDuration, formatRate, formatScore, formatTokens } from './format-figures.js';
import { incompleteNotice, summaryFacts } from './report-summary.js';
import { pad, terminalText, textWidth, truncate } from './terminal-text.js';
import { columnWidth, GAP, layoutTable, paint, type TextCell, type TextColumn, type Tone } from './text-table.js';

/** How to render the terminal report. */
export interface ReportTableOptions {
  /** The comparison with a baseline report (`--baseline`): adds the regressions section. */
  comparison?: ReportComparison;
  /** ANSI colour (a terminal, and no NO_COLOR). Default false. */
  color?: boolean;
  /** The columns to fit in. Default 100. */
  width?: number;
}

/** Narrowest the case column gets before result columns are folded together. */
const MIN_CASE_WIDTH = 24;
/** Narrowest the case column is ever cut to (below it, the table is wider than asked). */
const MIN_CUT_CASE_WIDTH = 12;
/** Widest a result column's header gets (cut in the middle beyond). */
const MAX_RESULT_HEADER = 14;
/** Most failure lines listed under the table. */
const MAX_FAILURE_LINES = 40;

const STATUS: Record<EvalCaseReport['status'], { mark: string; tone: Tone }> = {
  passed: { mark: '✔', tone: 'pass' },
  failed: { mark: '✗', tone: 'fail' },
  error: { mark: '!', tone: 'fail' },
  cancelled: { mark: '○', tone: 'muted' },
};

function tallyCell(tally: AssertionTally | undefined, repeated: boolean): TextCell {
  if (!tally || tally.total === 0) return { text: '·', tone: 'muted' };
  const tone: Tone = tally.passed === tally.total ? 'pass' : tally.passed === 0 ? 'fail' : 'warn';
  if (!repeated) return { text: tally.passed === tally.total ? '✔' : '✗', tone };
  return { text: `${tally.passed}/${tally.total}`, tone };
}

function statusCell(c: EvalCaseReport, repeated: boolean): TextCell {
  const { mark, tone } = STATUS[c.status];
  const finished = c.runs.filter((r) => r.status !== 'cancelled').length;
  const passed = c.runs.filter((r) => r.status === 'passed').length;
  return { text: `${mark} ${c.status}${repeated && finished > 0 ? ` ${passed}/${finished}` : ''}`, tone };
}

/** A result column (with its full name), its header cut to fit: the full names go to a legend when any was cut. */
function resultColumn(name: string, cells: TextCell[], align: TextColumn['align']): TextColumn & { name: string } {
  return { name, header: truncate(terminalText(name), MAX_RESULT_HEADER, 'middle'), align, cells };
}

/** The table's columns, folding result columns together when they leave the case column too narrow. */
function tableColumns(report: EvalReport, rows: CaseFigures[], width: number): { columns: TextColumn[]; notes: string[] } {
  const repeated = isRepeated(report);
  const names = resultColumns(report);
  const status: TextColumn = { header: 'Status', align: 'left', cells: report.cases.map((c) => statusCell(c, repeated)) };
  const duration: TextColumn = {
    header: 'Duration',
    align: 'right',
    cells: rows.map((r) => ({ text: r.durationMs === undefined ? '–' : formatDuration(r.durationMs) })),
  };
  const tokens: TextColumn = { header: 'Tokens', align: 'right', cells: rows.map((r) => ({ text: formatTokens(r.tokens) })) };
  let assertions = names.assertions.map((name) =>
    resultColumn(
      name,
      rows.map((r) => tallyCell(r.assertions.get(name), repeated)),
      'left',
    ),
  );
  let scores = names.scores.map((name) =>
    resultColumn(
      name,
      rows.map((r) => (r.scores.has(name) ? { text: formatScore(r.scores.get(name)!) } : { text: '·', tone: 'muted' })),
      'right',
    ),
  );
  const notes: string[] = [];
  const room = () => width - [status, ...assertions, ...scores, duration, tokens].reduce((sum, c) => sum + columnWidth(c) + GAP.length, 0);
  if (room() < MIN_CASE_WIDTH && assertions.length > 1) {
    // Marks are one column wide: numbered headers keep one column per assertion, named in a legend.
    assertions = assertions.map((column, i) => ({ ...column, header: String(i + 1) }));
    if (room() >= MIN_CASE_WIDTH) notes.push(`Assertions: ${names.assertions.map((name, i) => `${i + 1} ${terminalText(name)}`).join(', ')}`);
  }
  if (room() < MIN_CASE_WIDTH && assertions.length > 1) {
    const all = (r: CaseFigures) =>
      [...r.assertions.values()].reduce((t, a) => ({ passed: t.passed + a.passed, total: t.total + a.total }), { passed: 0, total: 0 });
    assertions = [{ name: 'Assertions', header: 'Assertions', align: 'left', cells: rows.map((r) => tallyCell(all(r), true)) }];
    notes.push('Assertions are counted together at this width: passed/total over every assertion and run.');
  }
  if (room() < MIN_CASE_WIDTH && scores.length > 0) {
    scores = [];
    notes.push('Scores per case are left out at this width; their means are in the summary.');
  }
  const ids = rows.map((r) => terminalText(r.id));
  const caseColumn: TextColumn = { header: 'Case', align: 'left', cells: ids.map((text) => ({ text })), maxWidth: Math.max(MIN_CUT_CASE_WIDTH, room()) };
  // Headers cut to fit: the full names in a legend.
  const cut = [...assertions, ...scores].filter((c) => c.header.includes('…')).map((c) => c.name);
  if (cut.length > 0) notes.push(`Columns: ${cut.map(terminalText).join(', ')}`);
  return { columns: [caseColumn, status, ...assertions, ...scores, duration, tokens], notes };
}

/** One line per failed assertion, evaluator error and run error, cut to the width. */
function failureLines(report: EvalReport, rows: CaseFigures[], width: number): string[] {
  const repeated = isRepeated(report);
  const all = rows.flatMap((r) =>
    r.failures.map((f) => {
      const where = `${terminalText(r.id)}${repeated ? ` [run ${f.repeat + 1}]` : ''}`;
      const what =
        f.kind === 'run-error'
          ? `error ${terminalText(f.errorType ?? 'Error')}`
          : `${terminalText(f.result ?? '')}${f.kind === 'evaluator-error' ? ' (evaluator error)' : ''}`;
      return truncate(`  ${where}  ${what}: ${terminalText(f.reason) || 'no reason given'}`, width);
    }),
  );
  if (all.length <= MAX_FAILURE_LINES) return all;
  return [...all.slice(0, MAX_FAILURE_LINES), `  … and ${all.length - MAX_FAILURE_LINES} more (--html DIR or --format json has every one)`];
}

function comparisonLines(comparison: ReportComparison, width: number, color: boolean): string[] {
  const lines = [`Compared with the baseline: pass rate ${formatRate(comparison.passRate.before)} → ${formatRate(comparison.passRate.after)}`];
  const section = (title: string, changes: ReportComparison['regressions'], mark: string, tone: Tone) => {
    if (changes.length === 0) return;
    lines.push(paint(`${title} (${changes.length})`, 'strong', color));
    const ids = changes.map((c) => truncate(terminalText(`${c.dataset}/${c.case}`), 40, 'middle'));
    const subjects = changes.map((c) => truncate(terminalText(changeSubject(c)), 24, 'middle'));
    const idWidth = Math.max(...ids.map(textWidth));
    const subjectWidth = Math.max(...subjects.map(textWidth));
    changes.forEach((change, i) => {
      const values = `${terminalText(formatChangeValue(change, change.before))} → ${terminalText(formatChangeValue(change, change.after))}`;
      // Cut before colouring: escape sequences take no columns but would count as text.
      lines.push(`  ${paint(mark, tone, color)} ${truncate(`${pad(ids[i]!, idWidth)}  ${pad(subjects[i]!, subjectWidth)}  ${values}`, width - 4)}`);
    });
  };
  section('Regressions', comparison.regressions, '✗', 'fail');
  section('Improvements', comparison.improvements, '✔', 'pass');
  if (comparison.regressions.length === 0 && comparison.improvements.length === 0) lines.push('No regressions or improvements.');
  const list = (label: string, ids: string[]) => ids.length > 0 && lines.push(truncate(`${label} (${ids.length}): ${ids.map(terminalText).join(', ')}`, width));
  list('Added cases', comparison.added);
  list('Removed cases', comparison.removed);
  return lines;
}

/**
 * A note in lines of at most `width`, broken after its commas (a legend names every column), or
 * between words where a piece between commas is itself too long (a sentence).
 */
function wrap(note: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  const pieces = note.split(/(?<=, )/).flatMap((piece) => (textWidth(piece) > width - 2 ? piece.split(/(?<= )/) : [piece]));
  for (const piece of pieces) {
    if (line !== '' && textWidth(line + piece.trimEnd()) > width) {
      lines.push(line.trimEnd());
      line = '  ';
    }
    line += piece;
  }
  lines.push(line.trimEnd());
  return lines.map((l) => truncate(l, width));
}

/** The terminal report. */
export function renderReportTable(report: EvalReport, options: ReportTableOptions = {}): string {
  const color = options.color ?? false;
  const width = Math.max(40, options.width ?? 100);
  const rows = report.cases.map(caseFigures);
  const settings = [`repeat ${report.repeat}`, `concurrency ${report.concurrency}`, ...(report.model !== undefined ? [`model ${report.model}`] : [])];
  const lines = [truncate(terminalText(`Evals, started ${report.startedAt}: ${settings.join(', ')}`), width), ''];
  const notice = incompleteNotice(report);
  if (notice) lines.push(paint(truncate(`⚠ ${notice}`, width), 'warn', color), '');
  if (rows.length === 0) lines.push('No cases ran.');
  // One table per dataset: each has its own evaluators, so its columns stay few enough to show one per assertion.
  for (const dataset of [...new Set(report.cases.map((c) => c.dataset))]) {
    const at = report.cases.flatMap((c, i) => (c.dataset === dataset ? [i] : []));
    const part: EvalReport = { ...report, cases: at.map((i) => report.cases[i]!) };
    const own = at.map((i) => ({ ...rows[i]!, id: report.cases[i]!.name }));
    const { columns, notes } = tableColumns(part, own, width);
    if (lines.at(-1) !== '') lines.push('');
    lines.push(paint(truncate(terminalText(`${dataset} (agent ${part.cases[0]!.agent})`), width), 'strong', color));
    lines.push(...layoutTable(columns, color), ...notes.flatMap((n) => wrap(n, width)).map((n) => paint(n, 'muted', color)));
  }
  const failures = failureLines(report, rows, width);
  if (failures.length > 0) lines.push('', paint('Failures', 'strong', color), ...failures);
  const facts = summaryFacts(report);
  const labelWidth = Math.max(...facts.map((f) => f.label.length));
  lines.push('', paint('Summary', 'strong', color), ...facts.map((f) => truncate(`  ${pad(f.label, labelWidth)}  ${terminalText(f.text)}`, width)));
  if (options.comparison) lines.push('', ...comparisonLines(options.comparison, width, color));
  return lines.join('\n') + '\n';
}
