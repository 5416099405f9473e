/**
 * What `schemantic diff` reports: one finding per change, located in both revisions.
 */
import type { DiffSeverity, RuleId } from './rules.js';

/** A place in a definitions file. */
export interface DiffLocation {
  /** The file as shown (`schemas/weather.yaml`; for a git revision, `main:schemas/weather.yaml`). */
  file: string;
  line: number;
  col: number;
}

/** The contract a finding is about. */
export interface DiffSubject {
  /** An MCP server's findings are about the server (`/command`) or one of its tools (`/tools/<tool>/...`). */
  kind: 'tool' | 'agent' | 'mcp';
  /** The tool's model-facing name, the agent's name, or the MCP server's. */
  name: string;
}

/** One change, classified. */
export interface Finding {
  rule: RuleId;
  severity: DiffSeverity;
  subject: DiffSubject;
  /**
   * Where in the contract: `/parameters/properties/city`, `/returns/items/enum`, `/output`,
   * `/instructions`. Paths go through `$ref`s as if the types were written in place.
   */
  pointer: string;
  /** The named type the change sits in, when it is inside one (the change is then reported at every contract that reaches the type). */
  inType?: string;
  /** What changed, in words. */
  message: string;
  /** Who it hurts (or why it does not). */
  impact: string;
  /** Where it was, in the revision compared against (absent: it did not exist there). */
  before?: DiffLocation;
  /** Where it is now (absent: it no longer exists; for a removal inside a contract, the place it was removed from). */
  after?: DiffLocation;
  /** For a changed text (description, instructions): the old and the new text. */
  text?: { before: string; after: string };
  /** Set when a config override changed the severity: the severity the rule gave, and why it was changed. */
  override?: { from: DiffSeverity; reason: string; at: string };
}

/** Orders findings by subject (agents, then tools, then MCP servers, by name), pointer, then rule: reports are stable. */
export function compareFindings(a: Finding, b: Finding): number {
  const key = (f: Finding) => [SUBJECT_ORDER[f.subject.kind], f.subject.name, f.pointer, f.rule, f.message];
  const ka = key(a);
  const kb = key(b);
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! < kb[i]! ? -1 : 1;
  return 0;
}

const SUBJECT_ORDER: Readonly<Record<DiffSubject['kind'], string>> = { agent: '0', tool: '1', mcp: '2' };
