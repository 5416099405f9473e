/**
 * npm run example:question-graph — the question graph (schemas/question-graph.yaml): the ask agent
 * asks a question, the graph waits for the user's answer, the evaluate agent judges it, and the
 * graph asks another question until an answer is right.
 *
 * Answers come from stdin, one a line: typed at a terminal, or scripted (`printf 'Vichy\n2\n' |
 * npm run example:question-graph`); at the end of the input the example says where the run
 * stands and exits (0). The agents run on scripted models (examples/question-demo-models.ts) unless
 * OPENAI_API_KEY or ANTHROPIC_API_KEY (or SCHEMANTIC_MODEL) picks a provider.
 *
 * Options:
 *   --store file:DIR | postgres   keep the run's snapshots in files under DIR, or in PostgreSQL
 *                                 (DATABASE_URL), instead of this process's memory: each answer
 *                                 can then come in a process of its own
 *   --resume RUN_ID               go on with a stored run (with --store), from its snapshot alone
 *   --run-id RUN_ID               the id of a new run (a random UUID by default)
 *   --mermaid                     print the graph as a mermaid state diagram, and exit
 *
 * As the reference's CLI example does, one answer per process:
 *   npm run example:question-graph -- --store file:.question-runs < /dev/null   # asks, prints the run id
 *   echo Vichy | npm run example:question-graph -- --store file:.question-runs --resume <run id>
 *   echo 2 | npm run example:question-graph -- --store file:.question-runs --resume <run id>
 */
import { parseArgs } from 'node:util';
import { MemoryGraphStore, UserError, type GraphHistoryEntry, type GraphPersistence, type GraphResult, type ModelLike } from 'schemantic';
import { FileGraphStore } from 'schemantic/graph/file';
import { PostgresGraphStore } from 'schemantic/graph/postgres';
import { createAskQuestionAgent, createEvaluateAnswerAgent, createQuestionGraph, questionGraphMermaid, type QuestionState } from '../generated/index.js';
import { askDemoModel, evaluateDemoModel } from './question-demo-models.js';
import { freshQuestionState, questionHandlers } from './question-graph-handlers.js';
import { providerModel } from './provider-model.js';
import { stdinLines } from './stdin-lines.js';

/** Where a run stands after a process's part of it: waiting for an answer, running (stopped between nodes), or ended. */
type Standing =
  | { readonly status: 'waiting'; readonly runId: string; readonly question: string }
  | { readonly status: 'running'; readonly runId: string }
  | { readonly status: 'ended'; readonly runId: string; readonly output: string; readonly history: readonly GraphHistoryEntry[] };

/** A store of runs, its description, and how to let it go. */
interface Store {
  readonly persistence: GraphPersistence;
  /** The option that opens it again (`--store file:DIR`), or undefined for memory. */
  readonly option: string | undefined;
  close(): Promise<void>;
}

function openStore(option: string | undefined): Store {
  if (option === undefined) return { persistence: new MemoryGraphStore(), option: undefined, close: async () => {} };
  if (option.startsWith('file:') && option.length > 'file:'.length) {
    return { persistence: new FileGraphStore(option.slice('file:'.length)), option: `--store ${option}`, close: async () => {} };
  }
  if (option === 'postgres') {
    const url = process.env['DATABASE_URL'] ?? process.env['SCHEMANTIC_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:54329/postgres';
    const store = new PostgresGraphStore({ connectionString: url });
    return { persistence: store, option: '--store postgres', close: () => store.close() };
  }
  throw new UserError(`--store ${option}: use file:DIR or postgres`);
}

/** The models of the two agents, and a line saying why. */
function pickModels(): { ask: ModelLike; evaluate: ModelLike; why: string } {
  const { id, reason } = providerModel();
  if (id !== undefined) return { ask: id, evaluate: id, why: `The agents run on ${reason}.` };
  return {
    ask: askDemoModel,
    evaluate: evaluateDemoModel,
    why: 'The agents run on scripted models (set OPENAI_API_KEY or ANTHROPIC_API_KEY to use a provider).',
  };
}

function standing(result: GraphResult<QuestionState, string>): Standing {
  if (result.status === 'ended') return { status: 'ended', runId: result.runId, output: result.output, history: result.history };
  return { status: 'waiting', runId: result.runId, question: (result.waitingAt.input as { question: string }).question };
}

/** Where a stored run stands, from its snapshot (nothing runs). */
async function storedStanding(persistence: GraphPersistence, runId: string, option: string): Promise<Standing> {
  const snapshot = await persistence.load(runId);
  if (snapshot === undefined) throw new UserError(`there is no run ${runId} in ${option}`);
  if (snapshot.status === 'ended') return { status: 'ended', runId, output: snapshot.output as string, history: snapshot.history };
  if (snapshot.status === 'running') return { status: 'running', runId };
  return { status: 'waiting', runId, question: (snapshot.next!.input as { question: string }).question };
}

/** The history, one node a line: what it was made with, and the reply it was resumed with. */
function printHistory(history: readonly GraphHistoryEntry[]): void {
  console.log('History:');
  history.forEach((entry, i) => {
    const input = entry.input === undefined ? '' : ` ${JSON.stringify(entry.input)}`;
    const reply = entry.reply === undefined ? '' : ` <- ${JSON.stringify(entry.reply)}`;
    console.log(`  ${i + 1}. ${entry.node}${input}${reply}`);
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { store: { type: 'string' }, resume: { type: 'string' }, 'run-id': { type: 'string' }, mermaid: { type: 'boolean' } },
  });
  if (values.mermaid) {
    console.log(questionGraphMermaid);
    return;
  }
  if (values.resume !== undefined && values.store === undefined) throw new UserError('--resume needs --store: a run kept in memory ends with its process');

  const store = openStore(values.store);
  const lines = stdinLines();
  try {
    const models = pickModels();
    console.log(models.why);
    console.log(lines.interactive ? 'Answer each question (Ctrl-D stops).' : 'Answers come from stdin, one a line.');
    const graph = createQuestionGraph(questionHandlers);
    const deps = { ask: createAskQuestionAgent({ model: models.ask }), evaluate: createEvaluateAnswerAgent({ model: models.evaluate }) };
    const { persistence } = store;

    let at: Standing;
    if (values.resume !== undefined) {
      at = await storedStanding(persistence, values.resume, store.option!);
      console.log(at.status === 'ended' ? `Run ${at.runId} has ended: no question is left to answer.` : `Run ${at.runId}: resumed from ${store.option}.`);
      // A run stopped between nodes (its process ended mid-run) goes on with its next node.
      if (at.status === 'running') at = standing(await graph.resume(at.runId, { deps, persistence }));
    } else {
      const runId = values['run-id'];
      at = standing(await graph.run({ state: freshQuestionState(), deps, persistence, ...(runId === undefined ? {} : { runId }) }));
      if (store.option) console.log(`Run ${at.runId}: kept with ${store.option}.`);
    }

    while (at.status === 'waiting') {
      console.log(`Question: ${at.question}`);
      let answer: string | undefined;
      do answer = (await lines.read('> '))?.trim();
      while (answer === '');
      if (answer === undefined) {
        console.log(
          store.option
            ? `End of input: run ${at.runId} waits for the answer. Answer it later with: npm run example:question-graph -- ${store.option} --resume ${at.runId}`
            : 'End of input: the run waits for an answer, and ends with this process (--store file:DIR keeps it for a later answer).',
        );
        return;
      }
      at = standing(await graph.resume(at.runId, { deps, persistence, reply: answer }));
    }
    if (at.status === 'ended') {
      console.log(`Correct answer! ${at.output}`);
      printHistory(at.history);
    }
  } finally {
    lines.close();
    await store.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
