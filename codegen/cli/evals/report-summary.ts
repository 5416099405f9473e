/**
 * The summary every report starts or ends with, as labelled facts in plain text (each renderer
 * escapes and lays them out its own way), and the notice of an incomplete run.
 */
import type { EvalReport } from 'schemantic/internal';
import { isRepeated, resultColumns } from './case-figures.js';
import { formatDuration, formatRate, formatRateSpread, formatScore, formatTokens, plural } from './format-figures.js';

/** One line of the summary: what, and its value. */
export interface SummaryFact {
  label: string;
  text: string;
}

/** The report's totals as labelled lines. */
export function summaryFacts(report: EvalReport): SummaryFact[] {
  const s = report.summary;
  const facts: SummaryFact[] = [
    {
      label: 'Cases',
      text: `${s.cases}: ${s.passed} passed, ${s.failed} failed, ${s.errored} errored, ${s.cancelled} cancelled`,
    },
    { label: 'Pass rate', text: `${formatRate(s.passRate)} of finished runs` },
  ];
  if (isRepeated(report)) facts.push({ label: 'Repeats', text: `${report.repeat}; pass rate per repeat ${formatRateSpread(s.passRateByRepeat)}` });
  facts.push({ label: 'Duration', text: `median ${formatDuration(s.durationMs.median)} per run; ${formatDuration(report.durationMs)} in all` });
  facts.push({ label: 'Tokens', text: formatTokens(s.totalTokens) });
  // Scores in the order the table's columns have them, then any only the summary knows.
  // Own numbers only: a score only a cancelled run gave has no mean, and `constructor` must not find Object's.
  const names = [...new Set([...resultColumns(report).scores, ...Object.keys(s.scores)])].filter(
    (name) => Object.hasOwn(s.scores, name) && typeof s.scores[name] === 'number',
  );
  if (names.length > 0) facts.push({ label: 'Scores', text: names.map((name) => `${name} ${formatScore(s.scores[name]!)}`).join(', ') });
  if (report.model !== undefined) facts.push({ label: 'Model', text: report.model });
  return facts;
}

/** For an incomplete report, the sentence that says so; otherwise undefined. */
export function incompleteNotice(report: EvalReport): string | undefined {
  if (report.complete) return undefined;
  // The summary counts cases left unfinished, including any the report lists with no run at all.
  return `Incomplete: the eval run was cancelled; ${plural(report.summary.cancelled, 'case')} did not finish.`;
}

/** `2 of 6 cases passed, pass rate 62.5%`: the report in one line. */
export function headline(report: EvalReport): string {
  const s = report.summary;
  return `${s.passed} of ${plural(s.cases, 'case')} passed, pass rate ${formatRate(s.passRate)}`;
}
