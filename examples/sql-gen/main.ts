/**
 * npm run example:sql-gen — the reference's SQL generation example (schemas/sql-gen.yaml): the
 * agent turns a request about log records into a PostgreSQL query, or says why it cannot (its
 * output is the union Success | InvalidRequest). Every query is checked with EXPLAIN against the
 * real records table before the run accepts it; a query PostgreSQL rejects goes back to the model
 * with PostgreSQL's error, and the model tries again.
 *
 * The database is PGlite (PostgreSQL in this process, in memory) unless DATABASE_URL names a
 * server. The model is a scripted one (demo-model.ts) unless OPENAI_API_KEY or ANTHROPIC_API_KEY
 * (or SCHEMANTIC_MODEL) picks a provider.
 */
import { parseArgs } from 'node:util';
import { UnexpectedModelBehavior, type ModelLike } from 'schemantic';
import { createSqlGenAgent, type SqlGenAgent, type SqlGenContext } from '../../generated/agents/sql-gen.js';
import { openDatabase, type Database } from '../db/database.js';
import { providerModel } from '../provider-model.js';
import { sqlOutputValidator, type SqlGenDeps } from './check-sql.js';
import { DEMO_REQUESTS, sqlGenDemoModel } from './demo-model.js';
import { describeCheck, describeRows, oneLine } from './describe.js';
import { sqlGenContext } from './agent-context.js';
import { runReadOnly } from './read-only.js';
import { countRecords, prepareRecords, SQL_GEN_SCHEMA } from './schema.js';

const USAGE = `Usage: npm run example:sql-gen -- [options] ["request"]

Turns requests about log records into PostgreSQL queries, each checked with EXPLAIN against a
seeded records table (the model sees PostgreSQL's error and retries when a query fails).

Options:
  --prompt "..."   ask this one request instead of the demo's three (a lone argument does the same)
  --no-run         print the accepted query without running it on the seeded rows
  -h, --help       print this help

Environment:
  DATABASE_URL                        a PostgreSQL server to use instead of PGlite (in memory);
                                      the example keeps to its own schema, "${SQL_GEN_SCHEMA}"
  OPENAI_API_KEY / ANTHROPIC_API_KEY  run on that provider instead of the scripted model
  SCHEMANTIC_MODEL                    the model id to run on (openai:gpt-4o, anthropic:...)`;

/** The command line, read; or the reason it cannot be. */
function readArgs(argv: readonly string[]): { prompts: readonly string[]; run: boolean; help: boolean } {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: { prompt: { type: 'string' }, 'no-run': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
  });
  if (positionals.length > 1 || (positionals.length === 1 && values.prompt !== undefined)) {
    throw new Error('give one request: --prompt "..." or a single quoted argument');
  }
  const prompt = values.prompt ?? positionals[0];
  if (prompt !== undefined && prompt.trim() === '') throw new Error('the request is empty: say which records you want');
  return { prompts: prompt === undefined ? DEMO_REQUESTS : [prompt], run: !values['no-run'], help: values.help ?? false };
}

/** The model to run on, and a line saying why. */
function pickModel(): { model: ModelLike; why: string } {
  const { id, reason } = providerModel();
  if (id !== undefined) return { model: id, why: `The agent runs on ${reason}.` };
  return { model: sqlGenDemoModel, why: 'The agent runs on a scripted model (set OPENAI_API_KEY or ANTHROPIC_API_KEY to use a provider).' };
}

/** Asks one request and prints what happened; false when the run failed. */
async function ask(agent: SqlGenAgent<SqlGenDeps>, db: Database, prompt: string, context: SqlGenContext, run: boolean): Promise<boolean> {
  console.log(`\nRequest: ${JSON.stringify(prompt)}`);
  try {
    const result = await agent.run(prompt, { deps: { db }, context });
    const output = result.output;
    const requests = result.usage().requests;
    if ('error_message' in output) {
      console.log(`  InvalidRequest: the model asks for more: ${output.error_message}`);
      console.log(`  (${requests} model request${requests === 1 ? '' : 's'}; no query to check)`);
      return true;
    }
    console.log(`  Success after ${requests} model request${requests === 1 ? '' : 's'}. Final SQL:`);
    for (const line of output.sql_query.split('\n')) console.log(`    ${line}`);
    if (output.explanation) console.log(`  Explanation: ${output.explanation}`);
    if (run) {
      const rows = await runReadOnly(db, output.sql_query);
      console.log(`  Run read-only on the seeded rows (at most 10 shown): ${rows.length} row${rows.length === 1 ? '' : 's'}`);
      for (const line of describeRows(rows)) console.log(line);
    }
    return true;
  } catch (err) {
    if (!(err instanceof UnexpectedModelBehavior)) throw err;
    console.log(`  The model gave up: no valid query within the agent's retries (${err.message}).`);
    return false;
  }
}

async function main(): Promise<number> {
  let args: ReturnType<typeof readArgs>;
  try {
    args = readArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`error: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const { model, why } = pickModel();
  console.log(why);
  const db = await openDatabase();
  try {
    console.log(`Database: ${db.label}, PostgreSQL ${await db.serverVersion()}.`);
    await prepareRecords(db);
    const context = await sqlGenContext(db);
    console.log(`Created the records table (schema "${SQL_GEN_SCHEMA}") and seeded ${await countRecords(db)} log records; today is ${context.today}.`);
    console.log('Each query the model writes is checked with EXPLAIN (planned, never run) in a read-only transaction.');
    const agent = createSqlGenAgent<SqlGenDeps>({
      model,
      outputValidators: [sqlOutputValidator({ onCheck: (check, attempt) => describeCheck(check, attempt).forEach((line) => console.log(line)) })],
    });
    let failed = 0;
    for (const prompt of args.prompts) if (!(await ask(agent, db, prompt, context, args.run))) failed++;
    console.log(`\nDone: ${args.prompts.length - failed} of ${args.prompts.length} request${args.prompts.length === 1 ? '' : 's'} answered.`);
    return failed === 0 ? 0 : 1;
  } finally {
    await db.close();
  }
}

try {
  process.exitCode = await main();
} catch (err) {
  console.error(`error: ${oneLine((err as Error).message, 400)}`);
  process.exitCode = 1;
}
