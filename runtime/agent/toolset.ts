/**
 * Toolsets: tools that come from elsewhere (an MCP server), not from the agent's definition. A
 * toolset is opened when a run starts (connecting, or reusing a connection it holds), gives its
 * tools as the run's model sees and calls them, may change them while the run goes on (a server's
 * list-changed notification: the run reads them again before its next request), and is closed when
 * the run ends, however it ends.
 */
import type { RuntimeTool } from './tools.js';

/** One run's use of a toolset. */
export interface ToolsetSession {
  /** The tools now, by the names the model sees. */
  tools(): readonly RuntimeTool[];
  /** Grows when the tools changed: the run reads {@link tools} again before its next request. */
  readonly version: number;
  /** The run ended (success, error, cancellation): release what the run held. Never throws. */
  close(): Promise<void>;
}

/** A source of tools for runs. */
export interface Toolset {
  /** Names the toolset in errors (`mcp everything`). */
  readonly name: string;
  /** Opens the toolset for a run; `signal` is the run's (an abort stops the opening). */
  open(run: { signal?: AbortSignal }): Promise<ToolsetSession>;
}
