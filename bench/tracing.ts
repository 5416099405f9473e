/**
 * Section 3 of `npm run bench:runtime` (alone: `npx tsx bench/tracing.ts`): what tracing costs an
 * agent run, beside what the AI SDK's telemetry costs on the same work (bench/tracing-workload.ts:
 * two tool calls in one response, then a structured output).
 *
 * Schemantic, from built bundles on every side (bench/runtime-builds.ts):
 *  - the baseline build: the runtime at `BASELINE_REF` (default 506d886, the commit before
 *    tracing), which has no tracer at all;
 *  - the current build, tracing off (no `instrument`);
 *  - `instrument: true` with no OpenTelemetry SDK registered (the API's no-op tracer);
 *  - tracing on: `instrument: { tracerProvider }`, a BasicTracerProvider with a SimpleSpanProcessor
 *    into an exporter that counts spans; metrics through the global meter provider (none is
 *    registered: the API's no-op meter);
 *  - the same with `includeContent: true`.
 * The AI SDK: `generateText` without `experimental_telemetry`; with it on, a tracer from the same
 * kind of provider, inputs and outputs not recorded; and with them recorded (its default).
 * The traced rows run with an AsyncLocalStorageContextManager registered, as an OpenTelemetry SDK
 * registers one (the AI SDK nests its spans through it); the others with none.
 *
 * Two phases. On Node 20 the first traced run puts an AsyncLocalStorage to use, which turns on
 * async context tracking for the whole process: from then on every promise costs more, traced or
 * not. Phase 1, before any traced run, times the rows that trace nothing; the criterion (tracing
 * off within 3% of the baseline build) is read there, as in a process that never traces. Phase 2
 * times every row, with that tracking on.
 *
 * Interleaved repetitions (the order rotates, so no row always follows the same one), medians,
 * ratios within one run. Every row's output, and its spans, are checked before timing.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { currentRuntime, runtimeAt } from './runtime-builds.js';
import { benchReps, median, rate } from './stats.js';
import { aiSdkRun, CountingExporter, finalOutput, schemanticRun } from './tracing-workload.js';

/** Long enough per sample that a garbage collection or a scheduler hiccup moves a median little. */
const SAMPLE_MS = 400;
/** Spans of one run: Schemantic's invoke_agent, 2 chat, 2 execute_tool; the AI SDK's generateText, 2 doGenerate, 2 toolCall. */
const SPANS_PER_RUN = 5;

interface Row {
  label: string;
  /** The row whose time per run this one's is compared with. */
  versus: RowName;
  run: () => Promise<unknown>;
  /** A traced row: where its spans go, and the attribute that holds content (present only with content on). */
  spans?: { exporter: CountingExporter; contentKey: string; content: boolean };
  /** Runs with an async context manager registered, as an OpenTelemetry SDK does. */
  asyncContext?: boolean;
}

type RowName = 'baseline' | 'off' | 'noSdk' | 'on' | 'content' | 'aiOff' | 'aiOn' | 'aiContent';

/** The rows that trace nothing, timed in both phases. */
const UNTRACED: RowName[] = ['baseline', 'off', 'aiOff'];

/** A tracer provider whose spans are counted. */
function countedProvider(): { exporter: CountingExporter; provider: BasicTracerProvider } {
  const exporter = new CountingExporter();
  return { exporter, provider: new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }) };
}

async function rows(): Promise<Record<RowName, Row>> {
  const ref = process.env['BASELINE_REF'] ?? '506d886';
  const baseline = await runtimeAt(ref);
  const current = await currentRuntime();
  const [on, content, aiOn, aiContent] = [countedProvider(), countedProvider(), countedProvider(), countedProvider()];
  const schemanticSpans = (exporter: CountingExporter, withContent: boolean) => ({ exporter, contentKey: 'gen_ai.input.messages', content: withContent });
  const aiSdkSpans = (exporter: CountingExporter, withContent: boolean) => ({ exporter, contentKey: 'ai.prompt.messages', content: withContent });
  return {
    baseline: { label: `baseline build (${baseline.commit.slice(0, 7)}: no tracer)`, versus: 'baseline', run: schemanticRun(baseline) },
    off: { label: 'current build, tracing off', versus: 'baseline', run: schemanticRun(current) },
    noSdk: { label: '`instrument: true`, no OpenTelemetry SDK registered', versus: 'baseline', run: schemanticRun(current, true) },
    on: {
      label: 'tracing on (`tracerProvider`)',
      versus: 'baseline',
      run: schemanticRun(current, { tracerProvider: on.provider }),
      spans: schemanticSpans(on.exporter, false),
      asyncContext: true,
    },
    content: {
      label: 'tracing on, `includeContent: true`',
      versus: 'baseline',
      run: schemanticRun(current, { tracerProvider: content.provider, includeContent: true }),
      spans: schemanticSpans(content.exporter, true),
      asyncContext: true,
    },
    aiOff: { label: 'AI SDK generateText, telemetry off', versus: 'aiOff', run: aiSdkRun() },
    aiOn: {
      label: 'AI SDK, telemetry on (inputs and outputs not recorded)',
      versus: 'aiOff',
      run: aiSdkRun({ isEnabled: true, tracer: aiOn.provider.getTracer('bench'), recordInputs: false, recordOutputs: false }),
      spans: aiSdkSpans(aiOn.exporter, false),
      asyncContext: true,
    },
    aiContent: {
      label: 'AI SDK, telemetry on, inputs and outputs recorded',
      versus: 'aiOff',
      run: aiSdkRun({ isEnabled: true, tracer: aiContent.provider.getTracer('bench') }),
      spans: aiSdkSpans(aiContent.exporter, true),
      asyncContext: true,
    },
  };
}

/**
 * One manager for every traced sample: each AsyncLocalStorage tags every promise with a symbol of
 * its own, so a fresh one per sample would give promises ever more shapes.
 */
const asyncContext = new AsyncLocalStorageContextManager();

/** Registers the async context manager (what an OpenTelemetry SDK does), or leaves none. */
function useAsyncContext(on: boolean): void {
  context.disable();
  if (on) context.setGlobalContextManager(asyncContext.enable());
}

/** Fails unless the row returns the expected output and, when traced, exports one run's spans in one trace, with content only when asked. */
async function check(row: Row): Promise<void> {
  useAsyncContext(row.asyncContext === true);
  const spans = row.spans;
  if (spans) spans.exporter.kept = [];
  const output = await row.run();
  if (JSON.stringify(output) !== JSON.stringify(finalOutput)) throw new Error(`${row.label} returned ${JSON.stringify(output)}`);
  if (!spans) return;
  const kept = spans.exporter.kept!;
  spans.exporter.kept = undefined;
  if (kept.length !== SPANS_PER_RUN) throw new Error(`${row.label}: ${kept.length} spans in a run, not ${SPANS_PER_RUN}`);
  if (new Set(kept.map((s) => s.spanContext().traceId)).size !== 1) throw new Error(`${row.label}: the spans of one run are in more than one trace`);
  if (kept.some((s) => spans.contentKey in s.attributes) !== spans.content)
    throw new Error(`${row.label}: ${spans.contentKey} ${spans.content ? 'missing' : 'recorded without content capture'}`);
}

/**
 * `instrument: true` must reach the global tracer provider (else its row would time nothing): with
 * a provider registered for one run, the run makes its spans. `trace.disable()` then leaves a fresh
 * global proxy, so the tracer the runtime keeps for the old one is no longer used: no-op again.
 */
async function checkGlobalTracer(row: Row): Promise<void> {
  const { exporter, provider } = countedProvider();
  trace.setGlobalTracerProvider(provider);
  await row.run();
  trace.disable();
  if (exporter.count !== SPANS_PER_RUN) throw new Error(`${row.label}: ${exporter.count} spans through the global provider, not ${SPANS_PER_RUN}`);
}

/** Checks and warms up each row, then times them in interleaved repetitions; runs per second by row. */
async function timed(names: RowName[], all: Record<RowName, Row>, reps: number): Promise<Map<RowName, number[]>> {
  for (const name of names) await check(all[name]);
  const rates = new Map(names.map((n) => [n, [] as number[]]));
  // The first repetition warms up (the AI SDK takes about two seconds to reach its speed) and is not kept.
  for (let r = -1; r < reps; r++)
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + names.length + r) % names.length]!;
      useAsyncContext(all[name].asyncContext === true);
      const runsPerSecond = await rate(all[name].run, r < 0 ? 2 * SAMPLE_MS : SAMPLE_MS);
      if (r >= 0) rates.get(name)!.push(runsPerSecond);
    }
  useAsyncContext(false);
  return rates;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
/** A ratio of times per run as a change: 1.023 -> +2.3%. */
const change = (ratio: number) => `${ratio >= 1 ? '+' : ''}${((ratio - 1) * 100).toFixed(1)}%`;

/** The section: both phases, the tables and the key figures. */
export async function tracingOverhead(reps = benchReps(9)): Promise<void> {
  const all = await rows();
  const first = await timed(UNTRACED, all, reps);
  await checkGlobalTracer(all.noSdk);
  const names = Object.keys(all) as RowName[];
  const second = await timed(names, all, reps);

  const runsPerSecond = (rates: Map<RowName, number[]>, name: RowName) => median(rates.get(name)!);
  /** Time per run of `a` over that of `b` (a ratio of median rates). */
  const cost = (rates: Map<RowName, number[]>, a: RowName, b: RowName, ratesOfB = rates) => runsPerSecond(ratesOfB, b) / runsPerSecond(rates, a);
  const table = (title: string, rates: Map<RowName, number[]>) => {
    console.log(`\n| ${title} | runs/s | time per run vs the reference row |\n|---|---|---|`);
    for (const name of rates.keys()) {
      const row = all[name];
      const ratio = row.versus === name ? 'reference' : `${cost(rates, name, row.versus).toFixed(3)}x ${all[row.versus].label.split(' (')[0]}`;
      console.log(`| ${row.label} | ${fmt(runsPerSecond(rates, name))} | ${ratio} |`);
    }
  };
  table('one run: two tool calls, then structured output; phase 1, before any traced run', first);
  table('the same; phase 2, every row (async context tracking on)', second);

  /** `a` against `b`: the change in time per run, and the time added to each run. */
  const versus = (rates: Map<RowName, number[]>, a: RowName, b: RowName, ratesOfB = rates) =>
    `${change(cost(rates, a, b, ratesOfB))} (${(1e6 / runsPerSecond(rates, a) - 1e6 / runsPerSecond(ratesOfB, b)).toFixed(1)} µs per run)`;
  const paired = first.get('baseline')!.map((b, r) => b / first.get('off')![r]!);
  const within = cost(first, 'off', 'baseline') <= 1.03 ? 'within' : 'over';
  console.log(`\ntracing off vs baseline build, phase 1: ${versus(first, 'off', 'baseline')}: ${within} the 3% bound`);
  console.log(`  per repetition ${change(Math.min(...paired))} to ${change(Math.max(...paired))}; in phase 2: ${versus(second, 'off', 'baseline')}`);
  console.log(`instrument: true, no SDK vs tracing off, phase 2: ${versus(second, 'noSdk', 'off')}`);
  console.log(`tracing on vs off, phase 2: ${versus(second, 'on', 'off')}; with content: ${versus(second, 'content', 'off')}`);
  console.log(`AI SDK telemetry on vs off, phase 2: ${versus(second, 'aiOn', 'aiOff')}; inputs and outputs recorded: ${versus(second, 'aiContent', 'aiOff')}`);
  console.log('across phases (a process that never traced, then traces; the VM may drift between them):');
  console.log(`  async context tracking alone, baseline build: ${versus(second, 'baseline', 'baseline', first)}`);
  console.log(`  instrument: true, no SDK vs tracing off in phase 1: ${versus(second, 'noSdk', 'off', first)}`);
  console.log(`  tracing on vs tracing off in phase 1: ${versus(second, 'on', 'off', first)}`);
  console.log(`  AI SDK telemetry on vs off in phase 1: ${versus(second, 'aiOn', 'aiOff', first)}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(`node ${process.version}; ${benchReps(9)} interleaved repetitions; medians`);
  await tracingOverhead();
}
