/**
 * The JUnit report, read back by a real JUnit XML parser (junit2json, on xml2js and sax): suites
 * per dataset with their counts, a testcase per case or per run, failures naming the assertions
 * and their reasons, errors, skips, times in seconds, scores as properties; hostile text comes
 * back as the same text (less what XML 1.0 cannot carry), never as elements.
 */
import { parse, type TestCase, type TestSuite, type TestSuites } from 'junit2json';
import { describe, expect, it } from 'vitest';
import { renderReportJunit } from '../../../codegen/cli/evals/render-junit.js';
import { HOSTILE, HOSTILE_CASE, repeatedReport, singleRunReport, xmlSafe } from './report-fixtures.js';

async function parsed(xml: string): Promise<TestSuites> {
  const doc = await parse(xml);
  if (!doc || !('testsuite' in doc) || !Array.isArray(doc.testsuite)) throw new Error('not a <testsuites> document');
  return doc as TestSuites;
}
const suite = (doc: TestSuites, name: string): TestSuite => doc.testsuite!.find((s) => s.name === name)!;
const testcase = (s: TestSuite, name: string): TestCase => s.testcase!.find((t) => String(t.name) === name)!;
const counts = (s: TestSuite | TestSuites) => ({ tests: s.tests, failures: s.failures, errors: s.errors, skipped: (s as TestSuite).skipped });

describe('renderReportJunit', () => {
  it('has a suite per dataset and a testcase per case, with counts on suites and root', async () => {
    const doc = await parsed(renderReportJunit(singleRunReport()));
    expect(doc.name).toBe('schemantic eval');
    expect(counts(doc)).toEqual({ tests: 6, failures: 2, errors: 1, skipped: 1 });
    expect(doc.time).toBe(5.321);
    expect(doc.testsuite!.map((s) => s.name)).toEqual(['support', 'sql']);
    expect(counts(suite(doc, 'support'))).toEqual({ tests: 3, failures: 2, errors: 0, skipped: 0 });
    expect(counts(suite(doc, 'sql'))).toEqual({ tests: 3, failures: 0, errors: 1, skipped: 1 });
    expect(suite(doc, 'sql').testcase!.map((t) => [t.classname, t.name, t.time])).toEqual([
      ['sql', 'drop-table', 30],
      ['sql', 'select-users', 2.2],
      ['sql', 'never-ran', 0],
    ]);
    expect(suite(doc, 'sql').properties).toEqual([
      { name: 'repeat', value: 1 },
      { name: 'model', value: 'test' },
      { name: 'complete', value: 'false' },
    ]);
  });

  it('fails a case with the failed assertions in the message and their reasons in the body', async () => {
    const doc = await parsed(renderReportJunit(singleRunReport()));
    const large = testcase(suite(doc, 'support'), 'refund-large');
    expect(large.failure).toHaveLength(1);
    expect(large.failure![0]!.message).toBe('3 failed: contains, llmJudge.pass, toneCheck (evaluator error)');
    expect(large.failure![0]!.type).toBe('AssertionError');
    const body = large.failure![0]!.inner!;
    expect(body).toContain('contains: expected "escalate" in the output\nllmJudge.pass: approved a $5000 refund without escalating\n');
    expect(body).toContain('toneCheck (evaluator error): TypeError: cannot read properties of undefined');
    expect(body).toContain('Output:\n{\n  "risk": "low",');
    expect(body).toContain('Expected:\n{\n  "risk": "high",');
    const small = testcase(suite(doc, 'support'), 'refund-small');
    expect(small.failure).toBeUndefined();
    expect(small.error).toBeUndefined();
    expect(small.skipped).toBeUndefined();
    expect(small.time).toBe(0.85);
    expect((small as { properties?: unknown }).properties).toEqual([
      { name: 'agent', value: 'support' },
      { name: 'score:llmJudge.score', value: 0.9 },
      { name: 'label:tone', value: 'polite' },
    ]);
  });

  it('writes an <error> for a run that failed and <skipped> for a cancelled one', async () => {
    const doc = await parsed(renderReportJunit(singleRunReport()));
    const sql = suite(doc, 'sql');
    const error = testcase(sql, 'drop-table');
    expect(error.failure).toBeUndefined();
    expect(error.error).toEqual([
      { message: 'the model timed out after 30 s', type: 'TimeoutError', inner: 'TimeoutError: the model timed out after 30 s\n(after 3 attempts)' },
    ]);
    const skipped = testcase(sql, 'never-ran');
    expect(skipped.skipped).toEqual([{ message: 'cancelled: the eval run was cancelled before this run ended' }]);
  });

  it('with repeats, has a testcase per run named `case [run k]`, and skips runs that never started', async () => {
    const doc = await parsed(renderReportJunit(repeatedReport()));
    const weather = suite(doc, 'weather');
    expect(weather.testcase!.map((t) => t.name)).toEqual([
      'paris [run 1]',
      'paris [run 2]',
      'paris [run 3]',
      'tokyo [run 1]',
      'tokyo [run 2]',
      'tokyo [run 3]',
      'flaky [run 1]',
      'flaky [run 2]',
      'flaky [run 3]',
    ]);
    expect(counts(weather)).toEqual({ tests: 9, failures: 2, errors: 1, skipped: 0 });
    expect(testcase(weather, 'paris [run 2]').failure![0]!.message).toBe('1 failed: contains');
    expect(testcase(weather, 'paris [run 1]').failure).toBeUndefined();
    expect(testcase(weather, 'flaky [run 2]').error![0]!.message).toBe('HTTP 503 from the provider');

    // Cancelled after its first run: the other two repetitions are skipped testcases.
    const cut = repeatedReport();
    cut.complete = false;
    cut.cases[1] = { ...cut.cases[1]!, status: 'cancelled', runs: cut.cases[1]!.runs.slice(0, 1) };
    const tokyo = suite(await parsed(renderReportJunit(cut)), 'weather');
    expect(['tokyo [run 1]', 'tokyo [run 2]', 'tokyo [run 3]'].map((n) => testcase(tokyo, n).skipped?.length ?? 0)).toEqual([0, 1, 1]);
    expect(tokyo.skipped).toBe(2);
  });

  it('carries hostile text as text: names, reasons and outputs come back as written, less what XML forbids', async () => {
    const xml = renderReportJunit(singleRunReport());
    expect(xml).not.toContain('<img');
    expect(xml).not.toContain(']]>');
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    const hostile = testcase(suite(await parsed(xml), 'support'), xmlSafe(HOSTILE_CASE));
    expect(hostile).toBeDefined();
    expect(hostile.failure![0]!.inner).toBe(
      `contains: reason: ${xmlSafe(HOSTILE)}\n\nOutput:\noutput ${xmlSafe(HOSTILE)}\n\nExpected:\nexpected ${xmlSafe(HOSTILE)}`,
    );
  });

  it('keeps line ends, tabs and carriage returns in attributes', async () => {
    const report = singleRunReport();
    report.cases[0] = { ...report.cases[0]!, name: 'two\nlines\tand\r"quotes" & <tags>' };
    const xml = renderReportJunit(report);
    // As references: a conforming parser turns literal ones in attributes into spaces (sax, under junit2json, does not).
    expect(xml).toContain('name="two&#10;lines&#9;and&#13;&quot;quotes&quot; &amp; &lt;tags&gt;"');
    const doc = await parsed(xml);
    expect(doc.testsuite![0]!.testcase![0]!.name).toBe('two\nlines\tand\r"quotes" & <tags>');
  });
});
