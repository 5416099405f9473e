/**
 * The eval runner: every case of every dataset, `repeat` times, at most `concurrency` runs at
 * once, into a report whose order is the datasets' (never the order runs happen to finish in).
 * A cancelled eval run still returns its report, marked incomplete.
 */
import type { Agent } from '../agent/agent.js';
import { UserError } from '../contract/errors.js';
import { redactText } from '../contract/redact.js';
import type { ModelLike } from '../models/registry.js';
import type { EvalBinding } from './eval-binding.js';
import type { EvalCase, EvalDataset, EvaluatorEntry } from './eval-case.js';
import { EVAL_REPORT_FORMAT, type EvalCaseReport, type EvalReport, type EvalRunRecord } from './eval-report.js';
import type { CustomEvaluator, Evaluator } from './evaluator.js';
import type { EvalProgress } from './eval-progress.js';
import { evaluatorFromSpec } from './evaluator-from-spec.js';
import { caseStatus, passRateOf, summarize } from './report-summary.js';
import { runCase, type DatasetRunner, type RunSettings } from './run-case.js';

/** A dataset and the binding that runs it. */
export interface EvalTarget {
  dataset: EvalDataset;
  binding: EvalBinding;
}

/** Options of {@link runEvals}. */
export interface RunEvalsOptions {
  /** The model of every run, over the bindings' (`--model`). */
  model?: ModelLike;
  /** The model of LLM judges that name none and whose binding names none (`--judge-model`). */
  judgeModel?: ModelLike;
  /** Runs at once (default 4). */
  concurrency?: number;
  /** Runs of each case (default 1); reports give pass rates and their spread. */
  repeat?: number;
  /** Further attempts of a run that failed in transport (default 2). */
  retries?: number;
  /** The wait before the first retry, doubled for each next one (default 1000 ms). */
  retryDelayMs?: number;
  /** Capture spans for every run, not only those a span evaluator reads. */
  captureSpans?: boolean;
  /** Keep each run's messages in the report (default true; the HTML report shows them). */
  keepMessages?: boolean;
  /** Cancels the eval run: runs in flight are aborted, the rest do not start. */
  signal?: AbortSignal;
  /** Called as runs start, retry and end. */
  onProgress?: (progress: EvalProgress) => void;
}

interface Job {
  runner: DatasetRunner;
  evalCase: EvalCase;
  repeat: number;
  /** Where its record goes: [case index in the report][repeat]. */
  slot: EvalRunRecord[];
}

/** Runs the targets' cases and reports. Throws only for a harness mistake found before any run (a missing custom evaluator). */
export async function runEvals(targets: readonly EvalTarget[], options: RunEvalsOptions = {}): Promise<EvalReport> {
  const concurrency = positiveInteger(options.concurrency ?? 4, 'concurrency');
  const repeat = positiveInteger(options.repeat ?? 1, 'repeat');
  const retries = nonNegativeInteger(options.retries ?? 2, 'retries');
  const signal = options.signal ?? new AbortController().signal;
  const startedAt = new Date();
  const started = performance.now();
  const cases: EvalCaseReport[] = [];
  const jobs: Job[] = [];
  checkNames(targets);
  for (const target of targets) {
    const runner = datasetRunner(target, options.captureSpans === true);
    for (const evalCase of target.dataset.cases) {
      runner.evaluators(evalCase); // a missing custom evaluator fails here, before anything runs
      const report: EvalCaseReport = {
        dataset: target.dataset.name,
        agent: target.dataset.agent,
        name: evalCase.name,
        status: 'cancelled',
        passRate: 0,
        prompt: evalCase.prompt,
        runs: [],
      };
      if (evalCase.expected !== undefined) report.expected = evalCase.expected;
      if (evalCase.metadata !== undefined) report.metadata = evalCase.metadata;
      cases.push(report);
      for (let r = 0; r < repeat; r++) jobs.push({ runner, evalCase, repeat: r, slot: report.runs });
    }
  }
  let next = 0;
  let done = 0;
  let inFlight = 0;
  const tell = (progress: Omit<EvalProgress, 'done' | 'total' | 'inFlight'>) => options.onProgress?.({ ...progress, done, total: jobs.length, inFlight });
  const worker = async (): Promise<void> => {
    while (next < jobs.length && !signal.aborted) {
      const job = jobs[next++]!;
      const where = { dataset: job.runner.dataset.name, case: job.evalCase.name, repeat: job.repeat };
      inFlight += 1;
      tell({ kind: 'start', ...where });
      const settings: RunSettings = {
        model: options.model,
        judgeModel: options.judgeModel,
        retries,
        retryDelayMs: options.retryDelayMs ?? 1000,
        keepMessages: options.keepMessages ?? true,
        signal,
        // Redacted: progress is printed, and a transport error may quote the API key in use.
        onRetry: (error) => tell({ kind: 'retry', ...where, error: redactText(error instanceof Error ? error.message : String(error)) }),
      };
      const record = await runCase(job.runner, job.evalCase, job.repeat, settings);
      job.slot.push(record);
      inFlight -= 1;
      done += 1;
      tell({ kind: 'end', ...where, status: record.status });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, worker));
  for (const report of cases) {
    report.runs.sort((a, b) => a.repeat - b.repeat);
    report.status = caseStatus(report.runs, repeat);
    report.passRate = passRateOf(report.runs);
  }
  const complete = done === jobs.length && cases.every((c) => c.status !== 'cancelled');
  const report: EvalReport = {
    format: EVAL_REPORT_FORMAT,
    complete,
    startedAt: startedAt.toISOString(),
    durationMs: performance.now() - started,
    repeat,
    concurrency,
    cases,
    summary: summarize(cases, repeat),
  };
  if (typeof options.model === 'string') report.model = options.model;
  return report;
}

/** Runs one dataset with its binding: `runEvals([{ dataset, binding }], options)`. */
export function evaluateDataset(dataset: EvalDataset, binding: EvalBinding, options: RunEvalsOptions = {}): Promise<EvalReport> {
  return runEvals([{ dataset, binding }], options);
}

/** What every run of one target shares: its agent, made once, and its evaluators, made once per case. */
function datasetRunner({ dataset, binding }: EvalTarget, captureAll: boolean): DatasetRunner {
  const agent = (typeof binding.agent === 'function' ? (binding.agent as () => unknown)() : binding.agent) as Agent<never, unknown, never>;
  if (agent === null || typeof agent !== 'object' || typeof (agent as { run?: unknown }).run !== 'function')
    throw new UserError(`the binding of dataset ${dataset.name} gives no agent: \`agent\` must be an agent or a function returning one`);
  const customs = (binding.evaluators ?? {}) as Readonly<Record<string, CustomEvaluator>>;
  const shared = (dataset.evaluators ?? []).map((entry) => make(entry, customs, dataset.name));
  const made = new Map<EvalCase, readonly Evaluator[]>();
  const evaluators = (evalCase: EvalCase): readonly Evaluator[] => {
    let list = made.get(evalCase);
    if (!list)
      made.set(evalCase, (list = [...shared, ...(evalCase.evaluators ?? []).map((entry) => make(entry, customs, `${dataset.name}/${evalCase.name}`))]));
    return list;
  };
  const captureSpans = (evalCase: EvalCase) => captureAll || evaluators(evalCase).some((e) => e.kind === 'hasMatchingSpan');
  return { dataset, binding, agent, evaluators, captureSpans };
}

function make(entry: EvaluatorEntry, customs: Readonly<Record<string, CustomEvaluator>>, where: string): Evaluator {
  return evaluatorFromSpec(entry, customs, where);
}

/**
 * Refuses two datasets of one name and two cases of one name in a dataset (generate refuses them
 * in YAML; datasets written in TypeScript reach here unchecked): reports and baselines match cases
 * by `dataset/case`, so a second one would silently merge with the first.
 */
function checkNames(targets: readonly EvalTarget[]): void {
  const datasets = new Set<string>();
  for (const { dataset } of targets) {
    if (datasets.has(dataset.name)) throw new UserError(`two datasets are named ${JSON.stringify(dataset.name)}: reports match cases by dataset and case name`);
    datasets.add(dataset.name);
    const cases = new Set<string>();
    for (const evalCase of dataset.cases) {
      if (cases.has(evalCase.name))
        throw new UserError(`dataset ${dataset.name} has two cases named ${JSON.stringify(evalCase.name)}: reports match cases by name`);
      cases.add(evalCase.name);
    }
  }
}

function positiveInteger(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 1) throw new UserError(`${what} must be a whole number of at least 1, not ${value}`);
  return value;
}

function nonNegativeInteger(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 0) throw new UserError(`${what} must be a whole number of at least 0, not ${value}`);
  return value;
}
