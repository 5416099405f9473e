/**
 * npm run bench:durable — what durability costs a run, and how durable runs spread over workers.
 * Needs the test PostgreSQL server (scripts/test-postgres.sh, or SCHEMANTIC_TEST_DATABASE_URL);
 * works in a database of its own, dropped at the end.
 *
 * The work, in every row: one run of an agent that calls a tool, then gives a structured output
 * (two model requests). Against recorded OpenAI traffic: the real OpenAI SDK over HTTP to a local
 * server replaying test_openai_tool_output.yaml per conversation (test/runtime/dbos/conversation-replay.ts);
 * or on FunctionModel (no HTTP), where the run itself costs least and DBOS's share shows most.
 *
 * 1. Overhead, in this process: a plain `agent.run` against `durable.run` (a DBOS workflow: the
 *    contract, two model requests and the tool call recorded in PostgreSQL), and DBOS alone: a
 *    workflow of four steps that do nothing, what a durable run's records cost without the run.
 *    Sequential runs in batches, rows interleaved; per-run medians and their ratio.
 * 2. Scale-out: N worker processes (1, 2, 4; this script with `--worker`) drain a DBOS queue of
 *    RUNS runs (default 200) enqueued at once through a DBOSClient. Time from the first enqueue to
 *    the last run's end; runs per second, medians over repetitions, against N = 1. Twice: with
 *    replies at once (what the machine's CPU allows), and with each model reply 250 ms late (what
 *    a real model's latency allows). Every run's output and the server's request counts are
 *    checked (none lost, none run twice).
 *
 * Interleaved repetitions (BENCH_REPS, default 7 for 1, 3 for 2); medians. Not a test: nothing
 * here asserts a time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { DBOS, DBOSClient } from '@dbos-inc/dbos-sdk';
import { agent, type ModelMessage } from '../runtime/index.js';
import { OpenAIChatModel } from '../runtime/providers/openai/index.js';
import { FunctionModel } from '../runtime/testing/index.js';
import { dbosAgent, enqueueRun } from '../runtime/dbos/index.js';
import { freshDatabase, quietLogger } from '../test/helpers/postgres.js';
import { loadCassette } from '../test/providers/replay-server.js';
import { startConversationReplay, type ConversationReplay } from '../test/runtime/dbos/conversation-replay.js';
import { benchReps, median, ROOT } from './stats.js';

// pg-pool (under DBOS) warns of its own concurrent queries on every new pool: noise in the tables.
if (!process.noDeprecation) process.noDeprecation = true;

const RUNS = Number(process.env['RUNS'] ?? 200);
const BATCH = 20;
const CITY = { city: 'Mexico City', country: 'Mexico' };
const cityOutput = { type: 'object', properties: { city: { type: 'string' }, country: { type: 'string' } }, required: ['city', 'country'] } as const;
const country = { name: 'get_user_country', parameters: { type: 'object', properties: {}, additionalProperties: false }, handler: () => 'Mexico' };

/** The agent of every row: a tool call, then structured output. */
function geoAgent(name: string, model: OpenAIChatModel | FunctionModel) {
  return agent<undefined, typeof CITY>({ name, model, tools: [country], output: cityOutput });
}

function openai(url: string): OpenAIChatModel {
  return OpenAIChatModel.connect('gpt-4o', { apiKey: 'sk-bench-not-a-real-key', baseURL: `${url}/v1`, maxRetries: 0 });
}

/** FunctionModel answering as the recording does. */
function recordedLikeModel(): FunctionModel {
  return new FunctionModel((messages: readonly ModelMessage[]) =>
    messages.some((m) => m.kind === 'response')
      ? [{ kind: 'tool-call', toolName: 'final_result', args: JSON.stringify(CITY), toolCallId: 'call_2' }]
      : [{ kind: 'tool-call', toolName: 'get_user_country', args: '{}', toolCallId: 'call_1' }],
  );
}

// ---- worker processes (scale-out) -------------------------------------------------------------

interface WorkerConfig {
  databaseUrl: string;
  executorId: string;
  openaiUrl: string;
  queue: string;
}

async function worker(config: WorkerConfig): Promise<void> {
  await dbosAgent(geoAgent('geo', openai(config.openaiUrl)));
  DBOS.setConfig({
    name: 'schemantic-bench-workers',
    applicationVersion: 'bench-workers-1',
    executorID: config.executorId,
    systemDatabaseUrl: config.databaseUrl,
    systemDatabasePoolSize: 10,
    listenQueues: [config.queue],
    logLevel: 'error',
  });
  await DBOS.launch();
  console.log('READY');
  process.on('SIGTERM', () => void DBOS.shutdown().then(() => process.exit(0)));
}

function startWorkers(n: number, config: Omit<WorkerConfig, 'executorId'>): Promise<ChildProcess[]> {
  const children = Array.from({ length: n }, (_, i) =>
    spawn(
      process.execPath,
      ['--no-deprecation', '--import', 'tsx', 'bench/durable.ts', '--worker', JSON.stringify({ ...config, executorId: `${config.queue}-${i}` })],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    ),
  );
  return Promise.all(
    children.map(
      (child) =>
        new Promise<ChildProcess>((resolve, reject) => {
          let out = '';
          child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
            out += chunk;
            if (out.includes('READY')) resolve(child);
          });
          child.on('exit', (code) => reject(new Error(`a worker exited (${code}) before it was ready`)));
        }),
    ),
  );
}

async function stopWorkers(children: ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          child.removeAllListeners('exit');
          child.on('exit', () => resolve());
          child.kill('SIGTERM');
        }),
    ),
  );
}

/** How a scale-out section runs: the model's answer time, and how many runs a worker takes at a time. */
interface Section {
  label: string;
  delayMs: number;
  workerConcurrency: number;
}

/** Drains RUNS runs with n workers; runs per second. */
async function drain(section: Section, n: number, rep: number, client: DBOSClient, replay: ConversationReplay, databaseUrl: string): Promise<number> {
  const queue = `bench-${section.delayMs}-${n}-${rep}`;
  await client.registerQueue(queue, { workerConcurrency: section.workerConcurrency, minPollingIntervalMs: 50 });
  const workers = await startWorkers(n, { databaseUrl, openaiUrl: replay.url, queue });
  try {
    const prefix = `${queue}-`;
    const ids = Array.from({ length: RUNS }, (_, i) => `${prefix}${i}`);
    const start = performance.now();
    const handles = await Promise.all(
      ids.map((id) => enqueueRun<typeof CITY>(client, { agent: 'geo', queue }, `${id}: What is the largest city in the user country?`, { workflowId: id })),
    );
    for (;;) {
      const done = await client.listWorkflows({ workflow_id_prefix: prefix, status: ['SUCCESS', 'ERROR'], loadInput: false, loadOutput: false });
      if (done.length === RUNS) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const seconds = (performance.now() - start) / 1000;
    // None lost, none run twice: every output right, each model request served once.
    const outputs = await Promise.all(handles.map(async (h) => (await h.result()).output));
    if (outputs.some((o) => JSON.stringify(o) !== JSON.stringify(CITY))) throw new Error(`N=${n}: a run ended with another output`);
    for (const id of ids) {
      const counts = replay.counts.get(`${id}: What is the largest city in the user country?`);
      if (JSON.stringify(counts) !== '[1,1]') throw new Error(`N=${n}: run ${id} sent its requests ${JSON.stringify(counts)} times`);
    }
    return RUNS / seconds;
  } finally {
    await stopWorkers(workers);
  }
}

// ---- main --------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const db = await freshDatabase('bench_durable');
  const replay = await startConversationReplay(loadCassette('openai/test_openai_tool_output.yaml'));
  let client: DBOSClient | undefined;
  try {
    // 1. Overhead, in this process.
    const plainHttp = geoAgent('geo-http', openai(replay.url));
    const plainFn = geoAgent('geo-fn', recordedLikeModel());
    const durableHttp = await dbosAgent(plainHttp);
    const durableFn = await dbosAgent(plainFn);
    // DBOS alone: as many steps as a durable run records (the contract, two model requests, the tool call), each doing nothing.
    const bare = DBOS.registerWorkflow(
      async () => {
        for (const name of ['contract', 'model:1', 'tool', 'model:2']) await DBOS.runStep(() => Promise.resolve(name), { name });
        return CITY;
      },
      { name: 'bench.bare' },
    );
    DBOS.setConfig({ name: 'schemantic-bench', applicationVersion: 'bench-main-1', systemDatabaseUrl: db.url, logLevel: 'error' });
    await DBOS.launch();

    let n = 0;
    const rows: [string, () => Promise<unknown>][] = [
      ['plain run, OpenAI SDK over HTTP', () => plainHttp.run(`plain ${n++}: What is the largest city in the user country?`)],
      ['durable run, OpenAI SDK over HTTP', () => durableHttp.run(`durable ${n++}: What is the largest city in the user country?`)],
      ['plain run, FunctionModel', () => plainFn.run('What is the largest city in the user country?')],
      ['durable run, FunctionModel', () => durableFn.run('What is the largest city in the user country?')],
      // Started and awaited as durable.run starts and awaits its workflow.
      ['DBOS workflow of four no-op steps', async () => (await DBOS.startWorkflow(bare)()).getResult()],
    ];
    const samples = new Map<string, number[]>(rows.map(([name]) => [name, []]));
    for (const [, run] of rows) for (let i = 0; i < 5; i++) await run(); // warm-up, untimed
    const reps = benchReps(7);
    for (let rep = 0; rep < reps; rep++) {
      for (let k = 0; k < rows.length; k++) {
        const [name, run] = rows[(k + rep) % rows.length]!;
        const start = performance.now();
        for (let i = 0; i < BATCH; i++) await run();
        samples.get(name)!.push((performance.now() - start) / BATCH);
      }
    }
    await DBOS.shutdown();
    const ms = (name: string) => median(samples.get(name)!);
    console.log(`\n1. One run (a tool call, then structured output), ${reps} interleaved repetitions of ${BATCH} sequential runs; median ms per run`);
    console.table([
      {
        work: 'OpenAI SDK over HTTP (recorded)',
        plain: ms(rows[0]![0]).toFixed(2),
        durable: ms(rows[1]![0]).toFixed(2),
        'durable / plain': (ms(rows[1]![0]) / ms(rows[0]![0])).toFixed(2),
      },
      {
        work: 'FunctionModel',
        plain: ms(rows[2]![0]).toFixed(3),
        durable: ms(rows[3]![0]).toFixed(2),
        'durable / plain': (ms(rows[3]![0]) / ms(rows[2]![0])).toFixed(1),
      },
    ]);
    console.log(
      `DBOS's cost per durable run: ${(ms(rows[1]![0]) - ms(rows[0]![0])).toFixed(2)} ms over HTTP, ${(ms(rows[3]![0]) - ms(rows[2]![0])).toFixed(2)} ms on FunctionModel`,
    );
    console.log(
      `DBOS alone, a workflow of four no-op steps: ${ms(rows[4]![0]).toFixed(2)} ms (samples ${samples
        .get(rows[4]![0])!
        .map((v) => v.toFixed(2))
        .join(' ')})`,
    );

    // 2. Scale-out: CPU-bound on this machine (no model latency), then with a model's answer time.
    client = await DBOSClient.create({ systemDatabaseUrl: db.url, applicationName: 'schemantic-bench-workers', logger: quietLogger });
    const sections: Section[] = [
      { label: 'replies at once (CPU-bound: PostgreSQL, the workers and the replay server share the machine)', delayMs: 0, workerConcurrency: 10 },
      { label: 'each model reply after 250 ms (what a real model costs dominates)', delayMs: 250, workerConcurrency: 5 },
    ];
    const counts = [1, 2, 4];
    const scaleReps = Number(process.env['BENCH_REPS'] ?? 3);
    for (const section of sections) {
      const sectionReplay = await startConversationReplay(loadCassette('openai/test_openai_tool_output.yaml'), { delayMs: section.delayMs });
      const throughput = new Map<number, number[]>(counts.map((c) => [c, []]));
      try {
        for (let rep = 0; rep < scaleReps; rep++) {
          for (let k = 0; k < counts.length; k++) {
            const workers = counts[(k + rep) % counts.length]!;
            throughput.get(workers)!.push(await drain(section, workers, rep, client, sectionReplay, db.url));
          }
        }
      } finally {
        await sectionReplay.close();
      }
      const base = median(throughput.get(1)!);
      console.log(
        `\n2. ${RUNS} queued durable runs, ${section.label}; workerConcurrency ${section.workerConcurrency}; ${scaleReps} interleaved repetitions; median runs per second`,
      );
      console.table(
        counts.map((c) => ({
          workers: c,
          'runs/s': median(throughput.get(c)!).toFixed(1),
          'against 1 worker': (median(throughput.get(c)!) / base).toFixed(2),
          samples: throughput
            .get(c)!
            .map((v) => v.toFixed(1))
            .join(' '),
        })),
      );
    }
  } finally {
    await client?.destroy();
    await replay.close();
    await db.drop();
  }
}

if (process.argv[2] === '--worker') await worker(JSON.parse(process.argv[3]!) as WorkerConfig);
else await main();
