/**
 * Whether a run that starts is traced, decided once when it is set up: its trace (built only then,
 * run id included), or detached (untraced inside a traced span), or nothing at all.
 */
import type { BaseRunOptions } from '../agent/run-options.js';
import { runTracing, startRunTrace, type Instrument } from '../telemetry/instrumentation.js';
import type { RunSetup } from './setup.js';

/** Sets `setup.trace` or `setup.detached` as the run's, the agent's and the enclosing settings say. */
export function traceRun(setup: RunSetup, options: BaseRunOptions, agentInstrument: Instrument | undefined): void {
  const tracing = runTracing(options.instrument, agentInstrument);
  if (tracing === undefined) return;
  const trace =
    tracing === 'detached'
      ? tracing
      : startRunTrace(tracing, {
          agentName: setup.agentName,
          runId: globalThis.crypto.randomUUID(),
          model: setup.model,
          prompt: setup.prompt,
          ...(options.conversationId !== undefined ? { conversationId: options.conversationId } : {}),
          ...(options.traceContext !== undefined ? { traceContext: options.traceContext } : {}),
        });
  if (trace === 'detached') setup.detached = true;
  else if (trace) setup.trace = trace;
}
