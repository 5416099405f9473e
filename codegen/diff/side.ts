/**
 * One side of a comparison (the working tree, or the revision compared against): its IR indexed
 * by name, and its parsed files, so that a change can be located at `file:line:col`.
 */
import type { Analysis } from '../compiler/analyze.js';
import { escapePointerSegment } from '../compiler/problems.js';
import type { IRAgent, IRMcpServer, IRSource, IRTool, IRType } from '../compiler/ir/types.js';
import type { LoadedFile } from '../compiler/load.js';
import type { DiffLocation } from './finding.js';

/** Where a schema node was written: a definitions file and a JSON pointer in it. */
export interface Cursor {
  /** The file, relative to its definitions folder. */
  rel: string;
  pointer: string;
}

/** A revision's definitions, ready to compare. */
export interface Side {
  tools: ReadonlyMap<string, IRTool>;
  agents: ReadonlyMap<string, IRAgent>;
  types: ReadonlyMap<string, IRType>;
  mcp: ReadonlyMap<string, IRMcpServer>;
  files: ReadonlyMap<string, LoadedFile>;
}

/** Indexes an analysis for comparison. */
export function sideOf(analysis: Pick<Analysis, 'ir' | 'files'>): Side {
  const { ir, files } = analysis;
  return {
    tools: new Map(ir.tools.map((t) => [t.name, t])),
    agents: new Map(ir.agents.map((a) => [a.name, a])),
    types: new Map(ir.types.map((t) => [t.name, t])),
    mcp: new Map(ir.mcp.map((s) => [s.name, s])),
    files: new Map(files.map((f) => [f.rel, f])),
  };
}

/** The cursor of an IR element's definition. */
export function cursorOf(source: IRSource): Cursor {
  return { rel: source.rel, pointer: source.pointer };
}

/** The cursor of a child of `cursor` (segments are escaped here). */
export function childCursor(cursor: Cursor, ...segments: (string | number)[]): Cursor {
  return { rel: cursor.rel, pointer: cursor.pointer + segments.map((s) => '/' + escapePointerSegment(s)).join('') };
}

/**
 * The source position of a cursor: the key of the node when it has one (where a reader looks for
 * a property), else its value; a node that is not in the source (it was inlined through a
 * `$ref`, or it does not exist on this side) resolves to its nearest written ancestor.
 */
export function locate(side: Side, cursor: Cursor | undefined): DiffLocation | undefined {
  if (!cursor) return undefined;
  const file = side.files.get(cursor.rel);
  if (!file) return undefined;
  const pos = file.positions.find(cursor.pointer, 'key');
  return { file: file.display, line: pos.line, col: pos.col };
}
