/**
 * What `generate`, `generate --check` and `generate --watch` share: their settings, the folders
 * they resolve to, and the checks that fail early when those folders cannot work.
 */
import path from 'node:path';
import { isDirectory, noDefinitionsFolder, shownPath, within } from './definitions.js';
import { plural, type Io } from './output.js';
import type { TreeTarget } from './tree.js';
import type { CorpusCounts } from '../manifest.js';

/** Resolved settings of one generate command. */
export interface GenerateSettings {
  cwd: string;
  /** Definitions folder, as given (relative to cwd or absolute). */
  schemas: string;
  /** Output folder, as given. */
  out: string;
  /** Eval datasets folder, as given (default `evals`; a missing folder holds none). */
  evals?: string;
  /** Print each stage's time. */
  timings?: boolean;
}

/** Paths of a run, absolute and as shown. */
export interface GeneratePaths {
  schemasAbs: string;
  outAbs: string;
  schemasShown: string;
  outShown: string;
  evalsAbs: string;
  evalsShown: string;
}

/** The folders of `s`, absolute and as shown. */
export function generatePaths(s: GenerateSettings): GeneratePaths {
  const schemasAbs = path.resolve(s.cwd, s.schemas);
  const outAbs = path.resolve(s.cwd, s.out);
  const evals = s.evals ?? 'evals';
  return {
    schemasAbs,
    outAbs,
    schemasShown: shownPath(s.cwd, s.schemas),
    outShown: shownPath(s.cwd, s.out),
    evalsAbs: path.resolve(s.cwd, evals),
    evalsShown: shownPath(s.cwd, evals),
  };
}

/** Fails early, with one clear line, when the folders cannot work. */
export async function preflight(p: GeneratePaths, io: Io): Promise<boolean> {
  if (!(await isDirectory(p.schemasAbs))) {
    io.err(noDefinitionsFolder(p.schemasShown));
    return false;
  }
  if (within(p.outAbs, p.schemasAbs)) {
    io.err(`schemantic: the output folder ${p.outShown} is inside the definitions folder ${p.schemasShown}; choose another --out`);
    return false;
  }
  // Its datasets would be read as definitions too.
  if (within(p.evalsAbs, p.schemasAbs) && (await isDirectory(p.evalsAbs))) {
    io.err(`schemantic: the evals folder ${p.evalsShown} is inside the definitions folder ${p.schemasShown}; move it, or choose another --evals`);
    return false;
  }
  return true;
}

/** `200 agents, 400 tools, 200 types from 20 files` (and `, 2 MCP servers`, `, 1 graph` before `from` when there are some). */
export function corpusSummary(counts: CorpusCounts): string {
  return `${corpusCounts(counts)} from ${plural(counts.files, 'file')}`;
}

/** `200 agents, 400 tools, 200 types` (and `, 2 MCP servers`, `, 1 graph`, `, 3 eval datasets` when there are some). */
export function corpusCounts(counts: Omit<CorpusCounts, 'files'>): string {
  const mcp = counts.mcp ? `, ${plural(counts.mcp, 'MCP server')}` : '';
  const graphs = counts.graphs ? `, ${plural(counts.graphs, 'graph')}` : '';
  const datasets = counts.datasets ? `, ${plural(counts.datasets, 'eval dataset')}` : '';
  return `${plural(counts.agents, 'agent')}, ${plural(counts.tools, 'tool')}, ${plural(counts.types, 'type')}${mcp}${graphs}${datasets}`;
}

/** Where a generate command's tree goes, for the writer (`command` names it in messages). */
export function treeTarget(p: GeneratePaths, command: string): TreeTarget {
  return { outAbs: p.outAbs, outShown: p.outShown, command };
}
