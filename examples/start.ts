/**
 * npm start: the two-minute tour. Five of the shipped examples, each shortened to one run, on the
 * embedded default: no key, no server. The database is PGlite (PostgreSQL in this process, with
 * pgvector), the APIs are replayed from recordings, and the models are scripted FunctionModels that
 * call the real tools and answer from what they returned.
 *
 * With OPENAI_API_KEY (or ANTHROPIC_API_KEY; SCHEMANTIC_MODEL picks another model id) the first two
 * steps run on that provider; the others stay on their scripted models so that the tour takes the
 * same few seconds every time (each example's own `npm run example:<name>` uses the provider).
 * Each step names its full example; examples/README.md lists them all.
 */
import type { ModelLike } from 'schemantic';
import { openDatabase } from './db/database.js';
import { providerModel } from './provider-model.js';
import { docSearchStep } from './tour/doc-search-step.js';
import { seconds, step } from './tour/say.js';
import { sqlGenStep } from './tour/sql-gen-step.js';
import { supportStep } from './tour/support-step.js';
import { weatherStep } from './tour/weather-step.js';
import { whalesStep } from './tour/whales-step.js';
import { startTracing } from './tracing.js';

const STEPS = 5;

/** The provider model for the first steps (undefined: scripted models), and a line saying why. */
function pickProvider(): { provider: ModelLike | undefined; why: string } {
  const { id, reason } = providerModel();
  if (id !== undefined) return { provider: id, why: `Running steps 1 and 2 on ${reason}; the others on scripted models, to stay quick.` };
  return {
    provider: undefined,
    why:
      'No provider configured: running the examples on scripted demo models, which call the real tools and answer from what they ' +
      'return (set OPENAI_API_KEY or ANTHROPIC_API_KEY to use a provider).',
  };
}

// With OTEL_EXPORTER_OTLP_ENDPOINT set, every run below is traced (see examples/tracing.ts).
const stopTracing = await startTracing();
const started = performance.now();
const { provider, why } = pickProvider();
console.log('Schemantic tour: agents generated from schemas/*.yaml, run by the schemantic runtime.');
console.log(why);

step(1, STEPS, 'Weather: an agent with two tools, called in turn (geocode, then weather)', 'npm run example:weather');
await weatherStep(provider);

step(2, STEPS, 'Bank support: dependencies reach a tool, and the output is a typed object', 'schemas/bank-support.yaml, npm run eval');
await supportStep(provider);

// One embedded database for the two database steps: starting PGlite takes a few seconds.
const db = await openDatabase({ url: undefined, vector: true });
try {
  step(3, STEPS, `Documentation search (RAG): a pgvector store in ${db.label}, then answers from it`, 'npm run example:doc-search');
  await docSearchStep(db);

  step(4, STEPS, 'SQL generation: each query the model writes is checked with EXPLAIN before it is accepted', 'npm run example:sql-gen');
  await sqlGenStep(db);
} finally {
  await db.close();
}

step(5, STEPS, 'Streaming structured output: a list of whales, row by row as the model writes it', 'npm run example:stream-whales');
await whalesStep();

console.log(`\nDone in ${seconds(performance.now() - started)}. More in examples/README.md: flight booking, a chat app, pages that stream.`);
// Sends the last spans before the process ends.
await stopTracing?.();
