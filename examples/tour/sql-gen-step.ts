/**
 * The tour's SQL step (examples/sql-gen/): the model's query is planned with EXPLAIN against a real
 * table before the run accepts it, and PostgreSQL's error goes back to the model as a retry.
 */
import { createSqlGenAgent } from '../../generated/agents/sql-gen.js';
import type { Database } from '../db/database.js';
import { sqlOutputValidator, type SqlGenDeps } from '../sql-gen/check-sql.js';
import { DEMO_REQUESTS, sqlGenDemoModel } from '../sql-gen/demo-model.js';
import { oneLine } from '../sql-gen/describe.js';
import { sqlGenContext } from '../sql-gen/agent-context.js';
import { countRecords, prepareRecords } from '../sql-gen/schema.js';
import { say } from './say.js';

/** Seeds the records table on `db` and asks the first demo request, showing each check. */
export async function sqlGenStep(db: Database): Promise<void> {
  await prepareRecords(db);
  say(`Created a records table of log lines and seeded it with ${await countRecords(db)} rows.`);
  const agent = createSqlGenAgent<SqlGenDeps>({
    model: sqlGenDemoModel,
    outputValidators: [
      sqlOutputValidator({
        onCheck: (check, attempt) =>
          say(
            check.ok
              ? `  attempt ${attempt}: PostgreSQL planned the query: accepted`
              : `  attempt ${attempt}: refused, sent back to the model: ${oneLine(check.reason, 110)}`,
          ),
      }),
    ],
  });
  const request = DEMO_REQUESTS[0]!;
  say(`Request: ${request}`);
  const result = await agent.run(request, { deps: { db }, context: await sqlGenContext(db) });
  const output = result.output;
  if ('error_message' in output) say(`The model said the request is not enough: ${output.error_message}`);
  else say(`Final query after ${result.usage().requests} model requests:`, ...output.sql_query.split('\n').map((line) => `  ${line}`));
}
