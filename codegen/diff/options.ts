/**
 * What `schemantic diff` takes from the configuration: the failure threshold and the per-rule
 * overrides. Declared here, where diff uses them; the CLI's config reads them into this shape.
 */

/** The lowest severity that fails `schemantic diff` (`never`: diff always exits 0). */
export type FailOn = 'breaking' | 'potentially-breaking' | 'behavioural' | 'safe' | 'never';

/** A rule of `schemantic diff` downgraded or ignored for one tool, agent or MCP server. */
export interface DiffOverride {
  /** The rule id. */
  rule: string;
  /** The tool it is for (model-facing name); exactly one of tool, agent and mcp is set. */
  tool?: string;
  /** The agent it is for. */
  agent?: string;
  /** The MCP server it is for (a pointer `/tools/<tool>` narrows it to one of its tools). */
  mcp?: string;
  /** Only findings at this pointer or under it. */
  pointer?: string;
  /** The severity to report instead, or `ignore`. */
  severity: 'potentially-breaking' | 'behavioural' | 'safe' | 'ignore';
  /** Why (shown with each finding it changes). */
  reason: string;
  /** Where it is written (`schemantic.config.json:12:7`), for messages. */
  at: string;
}
