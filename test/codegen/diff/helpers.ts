/**
 * Comparing two in-memory definitions corpora, for the diff tests.
 */
import { compareContracts } from '../../../codegen/diff/compare-contracts.js';
import type { Finding } from '../../../codegen/diff/finding.js';
import { sideOf } from '../../../codegen/diff/side.js';
import { analyze } from '../../../codegen/targets/typescript/pipeline.js';
import { hasErrors } from '../../../codegen/compiler/problems.js';
import { memoryReader } from '../../../codegen/compiler/load.js';

/** A definitions document, as data (written out as JSON, which the loader reads like YAML). */
export type Doc = Record<string, unknown>;

/** The findings between two corpora (file name -> document or text). Fails on definitions with errors. */
export async function diffDocs(before: Record<string, Doc | string>, after: Record<string, Doc | string>): Promise<Finding[]> {
  const read = async (files: Record<string, Doc | string>, prefix: string) => {
    const texts = Object.fromEntries(Object.entries(files).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v, null, 2)]));
    const analysis = await analyze({ reader: memoryReader(texts), displayPrefix: prefix });
    if (hasErrors(analysis.problems)) throw new Error(`broken test corpus: ${analysis.problems.map((p) => `${p.file}:${p.line} ${p.message}`).join('; ')}`);
    return sideOf(analysis);
  };
  return compareContracts(await read(before, 'old'), await read(after, 'new'));
}

/** A finding as `severity rule subject pointer`, for compact assertions. */
export function brief(f: Finding): string {
  return `${f.severity} ${f.rule} ${f.subject.kind}:${f.subject.name} ${f.pointer || '/'}`;
}
