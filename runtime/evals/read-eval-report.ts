/**
 * Reading a stored report back (a baseline): JSON of this format version, with the fields a
 * comparison reads checked, so that a wrong file is a clear error rather than a wrong verdict.
 */
import { UserError } from '../contract/errors.js';
import { EVAL_REPORT_FORMAT, type EvalReport } from './eval-report.js';

/** A stored report is not one this version reads. */
export class EvalReportError extends UserError {}

/** Parses and checks a report written by `--format json` (or `JSON.stringify(report)`). */
export function readEvalReport(text: string, where = 'the report'): EvalReport {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new EvalReportError(`${where} is not JSON: ${(error as Error).message}`);
  }
  const report = value as Partial<EvalReport> | null;
  if (report === null || typeof report !== 'object' || Array.isArray(report)) throw new EvalReportError(`${where} is not an eval report (not a JSON object)`);
  if (report.format !== EVAL_REPORT_FORMAT)
    throw new EvalReportError(
      `${where} is not an eval report of this version: its format is ${JSON.stringify(report.format)}, expected ${JSON.stringify(EVAL_REPORT_FORMAT)}`,
    );
  if (!Array.isArray(report.cases) || report.summary === null || typeof report.summary !== 'object' || typeof report.summary.passRate !== 'number')
    throw new EvalReportError(`${where} lacks its cases or summary`);
  report.cases.forEach((c, i) => {
    const ok =
      c !== null &&
      typeof c === 'object' &&
      typeof c.dataset === 'string' &&
      typeof c.name === 'string' &&
      typeof c.status === 'string' &&
      typeof c.passRate === 'number' &&
      Array.isArray(c.runs) &&
      c.runs.every((r) => r !== null && typeof r === 'object' && Array.isArray(r.results) && typeof r.status === 'string' && r.results.every(isResult));
    if (!ok)
      throw new EvalReportError(`${where}: case ${i} is malformed (needs dataset, name, status, passRate and runs with results, each with a name and kind)`);
  });
  return report as EvalReport;
}

/** A result as a comparison reads it: its name keys the comparison, and renderers print it. */
function isResult(r: unknown): boolean {
  return r !== null && typeof r === 'object' && typeof (r as { name?: unknown }).name === 'string' && typeof (r as { kind?: unknown }).kind === 'string';
}
