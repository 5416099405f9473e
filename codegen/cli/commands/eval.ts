/**
 * `schemantic eval`: runs the datasets of evals/ against their agents, prints a report, and
 * gates a build on it. The runner is the app's own `schemantic/evals`; this module parses flags,
 * loads, draws progress, renders and decides the exit code.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { redactText, type EvalReport, type ReportComparison } from 'schemantic/internal';
import { stringFlag, type Command, type OptionValues } from './command.js';
import { describeError } from '../describe-error.js';
import { EvalSetupError, loadEvalRun, type LoadedDataset } from '../evals/load-eval-run.js';
import { progressReporter } from '../evals/progress-reporter.js';
import { gateFailure, parseFailGate } from '../evals/fail-gate.js';
import { renderEvalOutput, EVAL_FORMATS, type EvalFormat } from '../evals/render-eval-output.js';

const DEFAULT_CONCURRENCY = 4;

/** `schemantic eval`. */
export const evalCommand: Command = {
  name: 'eval',
  help: `Usage: schemantic eval [--agent NAME] [--dataset FILE] [--model ID] [--concurrency N] [--repeat K]
                       [--format json|junit|markdown] [--out FILE] [--html DIR] [--baseline FILE] [--fail-on GATE]

Runs the eval datasets (evals/*.yaml, generated into generated/evals/ by \`schemantic generate\`)
against their agents, checks each run with the datasets' evaluators, and prints a report: each
case, pass or fail per evaluator, scores, duration and tokens. With no --agent or --dataset, every
dataset runs.

The entry module (default evals/index.ts, loaded with tsx) binds each agent to what its runs need:

  // evals/index.ts
  import { defineEvals } from 'schemantic/evals';
  import type { EvalAgents } from '../generated/evals/index.js';
  import { createBankSupportAgent } from '../generated/agents/bank-support.js';

  export default defineEvals<EvalAgents>({
    bank_support: {
      agent: () => createBankSupportAgent({ tools: { customerBalance: ... } }),
      deps: { john: () => ({ customerId: 123, db }) },   // the keys cases select with \`deps:\`
      model: 'openai:gpt-4o',          // when --model is not given (a model, or a function of the case)
      judgeModel: 'openai:gpt-4o-mini',  // for llm_judge evaluators that name none
      evaluators: { polite: (ctx) => ... },   // custom evaluators the datasets name
    },
  });

Options:
  --agent NAME         Only the datasets of this agent
  --dataset FILE       Only this dataset (its file, as evals/bank-support.yaml)
  --entry FILE         The entry module (default: <evals folder>/index.ts)
  --model ID           The model of every run (provider:model; the entry imports the provider)
  --judge-model ID     The model of LLM judges that name none and whose binding names none
  --concurrency N      Runs at once (default: ${DEFAULT_CONCURRENCY})
  --repeat K           Runs of each case (default: 1); the report gives pass rates and their spread
  --retries N          Further attempts of a run that failed in transport (default: 2)
  --format FORMAT      A machine report on stdout: json (the baseline format), junit, markdown
  --out FILE           Write the --format report to FILE instead (the human report stays on stdout)
  --html DIR           Also write a static HTML report to DIR (index.html)
  --baseline FILE      Compare with a stored json report: regressions and improvements
  --fail-on GATE       When to exit 1: failures (default: a case did not pass), regressions
                       (against --baseline), a pass rate from 0 to 1 (below it), never
  --evals DIR          The datasets' folder (default: evals, or "evals" in the config)
  --out-dir DIR        The generated tree (default: generated, or "out" in the config)
  -h, --help           Show this help

Progress goes to stderr: a bar on a terminal, one line per run otherwise. Ctrl-C cancels: runs in
flight are aborted and the report of what finished is printed (and written), marked incomplete.

Exit codes: 0 the gate holds, 1 it does not (or the evals cannot be loaded, or a report cannot
be written), 2 bad usage, 130 cancelled.`,
  options: {
    agent: { type: 'string' },
    dataset: { type: 'string' },
    entry: { type: 'string' },
    model: { type: 'string' },
    'judge-model': { type: 'string' },
    concurrency: { type: 'string' },
    repeat: { type: 'string' },
    retries: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
    html: { type: 'string' },
    baseline: { type: 'string' },
    'fail-on': { type: 'string' },
    evals: { type: 'string' },
    'out-dir': { type: 'string' },
  },
  misuse(values) {
    for (const [flag, min] of [
      ['concurrency', 1],
      ['repeat', 1],
      ['retries', 0],
    ] as const) {
      const text = stringFlag(values, flag);
      if (text !== undefined && (!/^\d+$/.test(text) || Number(text) < min))
        return `--${flag} must be a whole number of at least ${min}, not ${JSON.stringify(text)}`;
    }
    const format = stringFlag(values, 'format');
    if (format !== undefined && !EVAL_FORMATS.includes(format as EvalFormat))
      return `--format must be one of ${EVAL_FORMATS.join(', ')}, not ${JSON.stringify(format)}`;
    if (stringFlag(values, 'out') !== undefined && format === undefined)
      return '--out writes the --format report: give --format too (the human report goes to stdout)';
    const gate = stringFlag(values, 'fail-on');
    if (gate !== undefined && parseFailGate(gate) === undefined)
      return `--fail-on must be failures, regressions, never or a pass rate from 0 to 1, not ${JSON.stringify(gate)}`;
    if (gate === 'regressions' && stringFlag(values, 'baseline') === undefined)
      return '--fail-on regressions needs --baseline FILE: the report to compare with';
    return undefined;
  },
  async run(values, { cwd, io, config }) {
    // Everything said may quote an error of the app's code or a provider's client: key-shaped text,
    // and the values of the environment's keys and tokens, are redacted.
    const secrets = environmentSecrets();
    const say = (line: string) => io.err(`schemantic eval: ${redactText(line, secrets)}`);
    const evalsDir = stringFlag(values, 'evals') ?? (config as { evals?: string }).evals ?? 'evals';
    const outDir = stringFlag(values, 'out-dir') ?? config.out;
    const entry = stringFlag(values, 'entry') ?? path.join(evalsDir, 'index.ts');
    let run: Awaited<ReturnType<typeof loadEvalRun>>;
    let baseline: EvalReport | undefined;
    let targets: { dataset: LoadedDataset; binding: object }[];
    let model: unknown;
    try {
      run = await loadEvalRun(cwd, entry, outDir, evalsDir);
      targets = selectTargets(run.datasets, run.bindings, values, cwd, entry);
      const baselineFile = stringFlag(values, 'baseline');
      if (baselineFile !== undefined) baseline = run.evals.readEvalReport(await readText(cwd, baselineFile), baselineFile);
      model = stringFlag(values, 'model');
    } catch (error) {
      say(error instanceof EvalSetupError ? error.message : describeError(error));
      return 1;
    }
    const repeat = Number(stringFlag(values, 'repeat') ?? 1);
    const controller = new AbortController();
    let interrupts = 0;
    const onInterrupt = () => {
      interrupts += 1;
      if (interrupts > 1) process.exit(130);
      say('cancelling: aborting the runs in flight (Ctrl-C again to quit at once)');
      controller.abort();
    };
    process.on('SIGINT', onInterrupt);
    process.on('SIGTERM', onInterrupt);
    const progress = progressReporter(io.err, io.progress, repeat);
    let report: EvalReport;
    try {
      report = await run.evals.runEvals(targets, {
        model,
        judgeModel: stringFlag(values, 'judge-model'),
        concurrency: Number(stringFlag(values, 'concurrency') ?? DEFAULT_CONCURRENCY),
        repeat,
        retries: Number(stringFlag(values, 'retries') ?? 2),
        signal: controller.signal,
        onProgress: progress.step,
      });
    } catch (error) {
      progress.finish();
      say(describeError(error));
      return 1;
    } finally {
      process.off('SIGINT', onInterrupt);
      process.off('SIGTERM', onInterrupt);
    }
    progress.finish();
    const comparison: ReportComparison | undefined = baseline ? run.evals.compareReports(report, baseline) : undefined;
    const format = stringFlag(values, 'format') as EvalFormat | undefined;
    const out = stringFlag(values, 'out');
    if (format === undefined || out !== undefined) io.out(renderEvalOutput('table', report, comparison, { color: io.outColor ?? false }));
    // A report that cannot be written (--out a folder, --html a file) is said and fails the command, not an internal error.
    let unwritten = false;
    const cannotWrite = (what: string) => (error: unknown) => {
      say(`cannot write ${what}: ${error instanceof Error ? error.message : String(error)}`);
      unwritten = true;
    };
    if (format !== undefined) {
      const text = renderEvalOutput(format, report, comparison, { color: false });
      if (out === undefined) io.out(text);
      else await writeOut(cwd, out, text).catch(cannotWrite(out));
    }
    const html = stringFlag(values, 'html');
    if (html !== undefined) {
      const { writeHtmlReport } = await import('../evals/write-html-report.js');
      await writeHtmlReport(path.resolve(cwd, html), report, comparison).then(
        () => say(`wrote the HTML report to ${path.join(html, 'index.html')}`),
        cannotWrite(`the HTML report to ${html}`),
      );
    }
    if (!report.complete) {
      say(`cancelled: ${report.summary.cancelled} of ${report.summary.cases} cases did not finish; the report is incomplete`);
      return 130;
    }
    if (unwritten) return 1;
    const failure = gateFailure(parseFailGate(stringFlag(values, 'fail-on') ?? 'failures')!, report, comparison);
    if (failure !== undefined) {
      say(`failed: ${failure}`);
      return 1;
    }
    return 0;
  },
};

/** The datasets to run, filtered by --agent and --dataset, each with its agent's binding. */
function selectTargets(
  datasets: readonly LoadedDataset[],
  bindings: Readonly<Record<string, object>>,
  values: OptionValues,
  cwd: string,
  entry: string,
): { dataset: LoadedDataset; binding: object }[] {
  const agent = stringFlag(values, 'agent');
  const file = stringFlag(values, 'dataset');
  let chosen = [...datasets].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (agent !== undefined) {
    const agents = [...new Set(datasets.map((d) => d.agent))].sort();
    if (!agents.includes(agent)) throw new EvalSetupError(`no dataset is for agent ${agent} (datasets exist for ${agents.join(', ') || 'no agent'})`);
    chosen = chosen.filter((d) => d.agent === agent);
  }
  if (file !== undefined) {
    const wanted = path.resolve(cwd, file);
    chosen = chosen.filter((d) => d.source !== undefined && path.resolve(cwd, d.source) === wanted);
    if (chosen.length === 0) throw new EvalSetupError(`no generated dataset comes from ${file}${agent !== undefined ? ` for agent ${agent}` : ''}`);
  }
  if (chosen.length === 0) throw new EvalSetupError('there are no datasets to run: write evals/<agent>.yaml and run `npx schemantic generate`');
  return chosen.map((dataset) => {
    const binding = bindings[dataset.agent];
    if (binding === undefined || binding === null)
      throw new EvalSetupError(
        `${entry} binds no agent ${dataset.agent} (dataset ${dataset.name}): add \`${dataset.agent}: { agent: ... }\` to its defineEvals`,
      );
    return { dataset, binding };
  });
}

async function readText(cwd: string, file: string): Promise<string> {
  try {
    return await readFile(path.resolve(cwd, file), 'utf8');
  } catch (error) {
    throw new EvalSetupError(`cannot read ${file}: ${(error as Error).message}`);
  }
}

async function writeOut(cwd: string, file: string, text: string): Promise<void> {
  const target = path.resolve(cwd, file);
  await mkdir(path.dirname(target), { recursive: true });
  await writeFile(target, text.endsWith('\n') ? text : `${text}\n`);
}

/** Values of environment variables named like credentials (`OPENAI_API_KEY`, `GITHUB_TOKEN`, `DB_PASSWORD`). */
function environmentSecrets(): string[] {
  return Object.entries(process.env)
    .filter(([name, value]) => value !== undefined && value.length >= 8 && /(KEY|TOKEN|SECRET|PASSWORD)$/i.test(name))
    .map(([, value]) => value!);
}
