/**
 * Which renderer each report format is: the terminal table, and the machine formats of
 * `--format` (json, the baseline format `--baseline` reads back; junit; markdown). The HTML
 * report is a folder, not a string: write-html-report.ts.
 */
import type { EvalReport, ReportComparison } from 'schemantic/internal';
import { renderReportJunit } from './render-junit.js';
import { renderReportMarkdown } from './render-markdown.js';
import { renderReportTable } from './render-table.js';

/** The formats of `--format`. */
export const EVAL_FORMATS = ['json', 'junit', 'markdown'] as const;

/** One of `--format`'s formats. */
export type EvalFormat = (typeof EVAL_FORMATS)[number];

/** How to render. */
export interface EvalOutputOptions {
  /** ANSI colour in the table (a terminal, and no NO_COLOR); the machine formats have none. */
  color: boolean;
  /** The columns the table fits in (default 100). */
  width?: number;
}

/**
 * The report in `format` (`table`: the human report), without a final line end: the caller's
 * writer adds one (`io.out` prints a line; `--out` files end with one).
 */
export function renderEvalOutput(
  format: EvalFormat | 'table',
  report: EvalReport,
  comparison: ReportComparison | undefined,
  options: EvalOutputOptions,
): string {
  const text = (() => {
    switch (format) {
      case 'table':
        return renderReportTable(report, {
          color: options.color,
          ...(comparison ? { comparison } : {}),
          ...(options.width !== undefined ? { width: options.width } : {}),
        });
      case 'markdown':
        return renderReportMarkdown(report, comparison ? { comparison } : {});
      case 'junit':
        return renderReportJunit(report);
      case 'json':
        // The report as the runner returned it (what --baseline reads back), plus the comparison when there is one.
        return JSON.stringify(comparison ? { ...report, comparison } : report, null, 2);
    }
  })();
  return text.replace(/\n+$/, '');
}
