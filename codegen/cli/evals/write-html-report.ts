/**
 * `--html DIR`: the static report written to `DIR/index.html`, a page that opens from disk with
 * nothing else (html-page.ts). Written to a temporary file and renamed over, so a browser that
 * has the old report open never reads half of the new one.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EvalReport, ReportComparison } from 'schemantic/internal';
import { renderHtmlReport } from './html-page.js';

/** Writes the report into `dir` (made when missing) and resolves to the page's path. */
export async function writeHtmlReport(dir: string, report: EvalReport, comparison?: ReportComparison): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'index.html');
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, renderHtmlReport(report, comparison), 'utf8');
  // A rename that fails (index.html is a folder) must not leave the temporary file beside it.
  await rename(temp, file).catch(async (error: unknown) => {
    await rm(temp, { force: true });
    throw error;
  });
  return file;
}
