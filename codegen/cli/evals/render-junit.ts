/**
 * The report as JUnit XML, which CI systems show as test results: one `<testsuite>` per dataset,
 * one `<testcase>` per case (per run with `--repeat`, named `case [run k]`), a `<failure>` naming
 * the assertions that did not hold and why, an `<error>` for a run that failed, `<skipped>` for
 * one the eval run was cancelled before. Scores and labels are the testcase's properties. Every
 * value passes `xmlText` or `xmlAttribute`.
 */
import type { EvalCaseReport, EvalReport, EvalRunRecord } from 'schemantic/internal';
import { isRepeated } from './case-figures.js';
import { formatScore } from './format-figures.js';
import { xmlAttribute, xmlText } from './xml-text.js';

/** How to render the JUnit report. */
export interface ReportJunitOptions {
  /** The name of the `<testsuites>` root. Default `schemantic eval`. */
  name?: string;
}

/** Most characters of an output or expected output quoted in a failure. */
const MAX_QUOTED = 4000;

/** One `<testcase>`, before it is written. */
interface TestCaseXml {
  name: string;
  classname: string;
  seconds: number;
  outcome: 'passed' | 'failure' | 'error' | 'skipped';
  xml: string;
}

const seconds = (ms: number) => (Number.isFinite(ms) ? Math.max(0, ms) / 1000 : 0).toFixed(3);
const attrs = (values: Record<string, string | number>) =>
  Object.entries(values)
    .map(([k, v]) => ` ${k}="${xmlAttribute(String(v))}"`)
    .join('');

function quoted(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value, null, 2) ?? String(value));
  return text.length <= MAX_QUOTED ? text : `${text.slice(0, MAX_QUOTED)}… (${text.length - MAX_QUOTED} more characters)`;
}

function properties(run: EvalRunRecord | undefined, c: EvalCaseReport): string {
  const props: [string, string][] = [['agent', c.agent]];
  for (const r of run?.results ?? []) {
    if (r.kind === 'score' && typeof r.value === 'number') props.push([`score:${r.name}`, formatScore(r.value)]);
    if (r.kind === 'label' && r.value !== undefined) props.push([`label:${r.name}`, String(r.value)]);
  }
  if (run && run.attempts > 1) props.push(['attempts', String(run.attempts)]);
  return `      <properties>\n${props.map(([name, value]) => `        <property${attrs({ name, value })}/>\n`).join('')}      </properties>\n`;
}

/** What a run's element says: nothing for a pass, else a failure, an error or a skip. */
function outcome(run: EvalRunRecord | undefined, c: EvalCaseReport): { outcome: TestCaseXml['outcome']; xml: string } {
  const status = run?.status ?? c.status;
  if (status === 'passed') return { outcome: 'passed', xml: '' };
  if (status === 'cancelled' || !run)
    return { outcome: 'skipped', xml: `      <skipped${attrs({ message: 'cancelled: the eval run was cancelled before this run ended' })}/>\n` };
  if (status === 'error') {
    const type = run.error?.type ?? 'Error';
    const message = run.error?.message ?? 'the run failed';
    const body = `${type}: ${message}${run.attempts > 1 ? `\n(after ${run.attempts} attempts)` : ''}`;
    return { outcome: 'error', xml: `      <error${attrs({ message, type })}>${xmlText(body)}</error>\n` };
  }
  const failed = run.results.filter((r) => (r.kind === 'assertion' && r.value !== true) || r.kind === 'error');
  const names = failed.map((r) => (r.kind === 'error' ? `${r.name} (evaluator error)` : r.name));
  const message = failed.length === 0 ? 'the run failed' : `${failed.length} failed: ${names.join(', ')}`;
  const lines = failed.map((r, i) => `${names[i]}: ${r.reason ?? 'no reason given'}`);
  if (run.output !== undefined) lines.push('', 'Output:', quoted(run.output));
  if (c.expected !== undefined) lines.push('', 'Expected:', quoted(c.expected));
  return { outcome: 'failure', xml: `      <failure${attrs({ message, type: 'AssertionError' })}>${xmlText(lines.join('\n'))}</failure>\n` };
}

function testCase(c: EvalCaseReport, run: EvalRunRecord | undefined, name: string): TestCaseXml {
  const seconds_ = run ? run.durationMs / 1000 : 0;
  const { outcome: result, xml } = outcome(run, c);
  return {
    name,
    classname: c.dataset,
    seconds: seconds_,
    outcome: result,
    xml: `    <testcase${attrs({ classname: c.dataset, name, time: seconds(seconds_ * 1000) })}>\n${properties(run, c)}${xml}    </testcase>\n`,
  };
}

/** The testcases of a case: one, or one per repetition (a repetition with no run is skipped). */
function testCases(c: EvalCaseReport, report: EvalReport): TestCaseXml[] {
  if (!isRepeated(report)) return [testCase(c, c.runs[0], c.name)];
  const count = Math.max(report.repeat, ...c.runs.map((r) => r.repeat + 1));
  return Array.from({ length: count }, (_, k) =>
    testCase(
      c,
      c.runs.find((r) => r.repeat === k),
      `${c.name} [run ${k + 1}]`,
    ),
  );
}

function counts(cases: TestCaseXml[]) {
  const n = (o: TestCaseXml['outcome']) => cases.filter((t) => t.outcome === o).length;
  return { tests: cases.length, failures: n('failure'), errors: n('error'), skipped: n('skipped') };
}

/** The JUnit XML report. */
export function renderReportJunit(report: EvalReport, options: ReportJunitOptions = {}): string {
  const datasets = new Map<string, TestCaseXml[]>();
  for (const c of report.cases) datasets.set(c.dataset, [...(datasets.get(c.dataset) ?? []), ...testCases(c, report)]);
  const all = [...datasets.values()].flat();
  const suites = [...datasets].map(([dataset, cases]) => {
    const time = seconds(cases.reduce((sum, t) => sum + t.seconds, 0) * 1000);
    const props: [string, string][] = [
      ['repeat', String(report.repeat)],
      ...(report.model !== undefined ? [['model', report.model] as [string, string]] : []),
      ['complete', String(report.complete)],
    ];
    return (
      `  <testsuite${attrs({ name: dataset, ...counts(cases), time, timestamp: report.startedAt })}>\n` +
      `    <properties>\n${props.map(([name, value]) => `      <property${attrs({ name, value })}/>\n`).join('')}    </properties>\n` +
      cases.map((t) => t.xml).join('') +
      `  </testsuite>\n`
    );
  });
  const root = attrs({ name: options.name ?? 'schemantic eval', ...counts(all), time: seconds(report.durationMs), timestamp: report.startedAt });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites${root}>\n${suites.join('')}</testsuites>\n`;
}
