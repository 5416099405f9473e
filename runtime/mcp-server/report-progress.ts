/**
 * Progress from inside a tool handler served over MCP. The server hands the handler a run context
 * of its own for each call; the call's progress reporter travels on it under a registered symbol
 * (not in a module's map), so that a handler reaches it even when it imports another copy of this
 * package than the server's (a TypeScript entry module loaded from sources, say).
 */
import type { RunContext } from '../agent/run-context.js';
import type { ProgressUpdate, ToolCall } from './served-tool.js';

const PROGRESS = Symbol.for('schemantic.mcp.progress');

/** Puts a call's progress reporter on the run context its handler receives. */
export function attachProgress<T extends object>(ctx: T, call: ToolCall): T {
  Object.defineProperty(ctx, PROGRESS, { value: call, enumerable: false });
  return ctx;
}

/**
 * Sends a progress notification for the MCP tool call this handler is serving, when the client
 * asked for them (it sent a progress token); does nothing otherwise, and in agent runs. `progress`
 * must grow from one update to the next; `total` says where it ends when known.
 *
 * ```ts
 * handler: async (ctx) => {
 *   for (let i = 0; i < files.length; i++) {
 *     await reportProgress(ctx, { progress: i, total: files.length, message: `reading ${files[i]}` });
 *     ...
 *   }
 * }
 * ```
 */
export async function reportProgress<Deps, Context>(ctx: RunContext<Deps, Context>, update: ProgressUpdate): Promise<void> {
  const call = (ctx as { [PROGRESS]?: ToolCall })[PROGRESS];
  if (call) await call.progress(update);
}
