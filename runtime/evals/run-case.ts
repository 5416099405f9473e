/**
 * One run of one case: make its deps, run the agent (retrying transport failures), then apply
 * the evaluators. Whatever happens, it ends with a record: a failed run is a result, not a throw.
 */
import type { Agent } from '../agent/agent.js';
import type { UsageSnapshot } from '../agent/usage.js';
import type { RunResult } from '../agent/result.js';
import { UserError } from '../contract/errors.js';
import { redactText } from '../contract/redact.js';
import type { ModelLike } from '../models/registry.js';
import type { EvalBinding } from './eval-binding.js';
import type { EvalCase, EvalDataset } from './eval-case.js';
import type { EvalRunRecord } from './eval-report.js';
import type { Evaluator, EvaluatorContext } from './evaluator.js';
import { applyEvaluators, runPassed } from './apply-evaluators.js';
import { startSpanCapture } from './span-capture.js';
import { isTransportError } from './transport-errors.js';
import { unlessCancelled } from './unless-cancelled.js';

/** What every run of one dataset shares. */
export interface DatasetRunner {
  dataset: EvalDataset;
  binding: EvalBinding;
  agent: Agent<never, unknown, never>;
  /** The dataset's evaluators followed by each case's, made once. */
  evaluators: (evalCase: EvalCase) => readonly Evaluator[];
  /** Whether runs capture their spans (a span evaluator is among them, or the caller asked). */
  captureSpans: (evalCase: EvalCase) => boolean;
}

/** Settings of every run. */
export interface RunSettings {
  model: ModelLike | undefined;
  judgeModel: ModelLike | undefined;
  retries: number;
  retryDelayMs: number;
  keepMessages: boolean;
  signal: AbortSignal;
  onRetry: (error: unknown) => void;
}

const NO_USAGE: UsageSnapshot = { requests: 0, toolCalls: 0, inputTokens: 0, outputTokens: 0, totalTokens: 0, details: {} };

/** Runs `evalCase` once and evaluates the run. */
export async function runCase(runner: DatasetRunner, evalCase: EvalCase, repeat: number, settings: RunSettings): Promise<EvalRunRecord> {
  let started = performance.now();
  let attempts = 0;
  let result: RunResult<unknown> | undefined;
  let capture: Awaited<ReturnType<typeof startSpanCapture>> | undefined;
  try {
    for (;;) {
      attempts += 1;
      // A run's duration is its last attempt's: retry waits are the eval's, not the agent's (max_duration judges the agent).
      started = performance.now();
      capture = runner.captureSpans(evalCase) ? await startSpanCapture() : undefined;
      try {
        result = await runOnce(runner, evalCase, settings, capture?.instrument);
        break;
      } catch (error) {
        if (settings.signal.aborted || attempts > settings.retries || !isTransportError(error)) throw error;
        settings.onRetry(error);
        await capture?.shutdown();
        await sleep(settings.retryDelayMs * 2 ** (attempts - 1), settings.signal);
        // Cancelled while waiting: no further attempt (nor fresh deps for one).
        if (settings.signal.aborted) throw error;
      }
    }
  } catch (error) {
    await capture?.shutdown();
    const durationMs = performance.now() - started;
    if (settings.signal.aborted) return { repeat, status: 'cancelled', durationMs, usage: NO_USAGE, attempts, results: [] };
    return { repeat, status: 'error', error: describe(error), durationMs, usage: NO_USAGE, attempts, results: [] };
  }
  const durationMs = performance.now() - started;
  const messages = result.allMessages();
  const ctx: EvaluatorContext = {
    name: evalCase.name,
    prompt: evalCase.prompt,
    context: evalCase.context,
    metadata: evalCase.metadata ?? {},
    expected: evalCase.expected,
    output: result.output,
    durationMs,
    usage: result.usage(),
    messages,
    newMessages: result.newMessages(),
    spans: capture?.spans(),
    agent: runner.agent,
    judgeModel: runner.binding.judgeModel ?? settings.judgeModel,
    repeat,
    signal: settings.signal,
  };
  await capture?.shutdown();
  const results = await applyEvaluators(runner.evaluators(evalCase), ctx);
  const record: EvalRunRecord = {
    repeat,
    status: settings.signal.aborted ? 'cancelled' : runPassed(results) ? 'passed' : 'failed',
    output: result.output,
    durationMs,
    usage: ctx.usage,
    attempts,
    results,
  };
  if (settings.keepMessages) record.messages = (JSON.parse(result.allMessagesJson()) as { messages: unknown[] }).messages;
  return record;
}

/** One attempt: the agent's run with the case's prompt, context, deps, history and limits. */
async function runOnce(runner: DatasetRunner, evalCase: EvalCase, settings: RunSettings, instrument: object | undefined): Promise<RunResult<unknown>> {
  const options: Record<string, unknown> = {
    // Bounded by the signal: a deps factory that never settles must not hold a cancelled eval run.
    deps: await unlessCancelled(depsOf(runner.binding, evalCase), settings.signal, `the deps of case ${evalCase.name}`),
    signal: settings.signal,
  };
  if (evalCase.context !== undefined) options['context'] = evalCase.context;
  if (evalCase.history !== undefined) options['messageHistory'] = evalCase.history;
  if (runner.dataset.usageLimits !== undefined) options['usageLimits'] = runner.dataset.usageLimits;
  const model = settings.model ?? modelOf(runner.binding, evalCase);
  if (model !== undefined) options['model'] = model;
  if (instrument !== undefined) options['instrument'] = instrument;
  // The binding's agent is typed by its own deps and context; the case's were checked at generate time.
  const run = runner.agent.run as (prompt: unknown, options: unknown) => Promise<RunResult<unknown>>;
  return run.call(runner.agent, evalCase.prompt, options);
}

/** Fresh deps for one run: the case's selection, else the binding's default. */
async function depsOf(binding: EvalBinding, evalCase: EvalCase): Promise<unknown> {
  if (evalCase.deps === undefined) return binding.defaultDeps?.();
  const deps = binding.deps as Readonly<Record<string, () => unknown>> | undefined;
  // Own keys only: a case selecting `constructor` or `toString` must not get Object.prototype's function.
  const make = deps !== undefined && Object.hasOwn(deps, evalCase.deps) ? deps[evalCase.deps] : undefined;
  if (typeof make !== 'function') {
    const known = Object.keys(binding.deps ?? {});
    throw new UserError(
      `case ${evalCase.name} selects deps ${JSON.stringify(evalCase.deps)}, which the binding's deps lack (${known.length > 0 ? `it has ${known.join(', ')}` : 'it has none'})`,
    );
  }
  return make();
}

/** The binding's model for a case: a model, an id, or a function of the case. */
function modelOf(binding: EvalBinding, evalCase: EvalCase): ModelLike | undefined {
  const model = binding.model;
  return typeof model === 'function' ? model(evalCase) : model;
}

/** A run's error as the report keeps it, its message redacted: a handler's or a client's error may quote an API key. */
function describe(error: unknown): { type: string; message: string } {
  if (error instanceof Error) return { type: error.name === 'Error' ? error.constructor.name : error.name, message: redactText(error.message) };
  return { type: typeof error, message: redactText(String(error)) };
}

/** Waits, or stops waiting when the eval run is cancelled. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
