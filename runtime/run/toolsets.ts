/**
 * A run's toolsets: opened when the run starts (their tools joined to the agent's), read again
 * when one says its tools changed, closed when the run ends.
 */
import { UserError } from '../contract/errors.js';
import type { OutputHandler } from '../agent/output.js';
import type { RuntimeTool } from '../agent/tools.js';
import type { Toolset } from '../agent/toolset.js';
import type { RunSetup } from './setup.js';

/**
 * Opens every toolset (all at once; if one fails, those opened are closed and the error is
 * thrown) and joins their tools to the agent's own. A name that two tools share is a UserError.
 */
export async function openToolsets(
  toolsets: readonly Toolset[],
  own: ReadonlyMap<string, RuntimeTool>,
  output: OutputHandler,
  signal: AbortSignal | undefined,
  where: string,
): Promise<{ tools: Map<string, RuntimeTool>; toolsets: NonNullable<RunSetup['toolsets']> }> {
  const opened = await Promise.allSettled(toolsets.map((t) => t.open(signal ? { signal } : {})));
  const sessions = opened.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
  const failure = opened.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failure) {
    await Promise.all(sessions.map((s) => s.close()));
    throw failure.reason;
  }
  const state = { sessions, versions: sessions.map((s) => s.version), own };
  try {
    return { tools: joinedTools(state, output, where), toolsets: state };
  } catch (err) {
    await Promise.all(sessions.map((s) => s.close()));
    throw err;
  }
}

/** The agent's tools and every session's, checked for names in common. */
function joinedTools(state: NonNullable<RunSetup['toolsets']>, output: OutputHandler, where: string): Map<string, RuntimeTool> {
  const tools = new Map(state.own);
  for (const session of state.sessions)
    for (const tool of session.tools()) {
      const name = tool.definition.name;
      if (tools.has(name) || output.isOutputTool(name))
        throw new UserError(
          `${where}: two tools are named ${name} (${tool.origin} and ${tools.get(name)?.origin ?? 'an output tool'}); give the toolset a prefix`,
        );
      tools.set(name, tool);
    }
  return tools;
}

/** Before a request: when a session's tools changed, the run's tools are joined again. */
export function refreshToolsets(setup: RunSetup): void {
  const state = setup.toolsets!;
  if (state.sessions.every((s, i) => s.version === state.versions[i])) return;
  state.versions = state.sessions.map((s) => s.version);
  setup.tools = joinedTools(state, setup.output, `agent ${setup.agentName}`);
}

/** The run ended: every session is closed (once). */
export function closeToolsets(setup: RunSetup): Promise<void> {
  const state = setup.toolsets;
  if (!state) return Promise.resolve();
  setup.toolsets = undefined;
  return Promise.all(state.sessions.map((s) => s.close())).then(() => undefined);
}
