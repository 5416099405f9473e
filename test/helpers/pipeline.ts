/**
 * Running the generator on definitions held in memory.
 */
import { runPipeline, type PipelineResult } from '../../codegen/targets/typescript/pipeline.js';
import { memoryReader } from '../../codegen/compiler/load.js';

/** Runs the pipeline on in-memory files (paths relative to a `schemas` folder). */
export function generateFrom(files: Record<string, string>): Promise<PipelineResult> {
  return runPipeline({ reader: memoryReader(files), displayPrefix: 'schemas' });
}

/** The problems of a result as `code file:line:col pointer`, for compact assertions. */
export function problemLines(result: PipelineResult): string[] {
  return result.problems.map((p) => `${p.code} ${p.file}:${p.line}:${p.col} ${p.pointer}`);
}

/** Strips the common indentation of a template literal, so YAML can be written inline. */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = strings.reduce((acc, s, i) => acc + s + (i < values.length ? String(values[i]) : ''), '');
  const lines = text.replace(/^\n/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n');
}
