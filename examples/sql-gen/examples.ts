/**
 * The request/response pairs the agent's instructions show the model (the `examples` context),
 * after the reference's four. Two of the reference's would not pass the example's own check: it
 * compares `attributes->>'foobar'` (text) with `false` (a boolean), which PostgreSQL refuses, and
 * its "yesterday" query keeps everything since yesterday. These are corrected, and a test runs
 * every response through the EXPLAIN check, so the model is never taught a query that fails.
 */
import type { SqlExample } from '../../generated/types/sql-gen.js';

/** Example requests and the queries that answer them, for the agent's instructions. */
export const SQL_EXAMPLES: readonly SqlExample[] = [
  {
    request: 'show me records where foobar is false',
    response: "SELECT * FROM records WHERE (attributes->>'foobar')::boolean = false",
  },
  {
    request: 'show me records where attributes include the key "foobar"',
    response: "SELECT * FROM records WHERE attributes ? 'foobar'",
  },
  {
    request: 'show me records from yesterday',
    response: 'SELECT * FROM records WHERE start_timestamp::date = CURRENT_DATE - 1',
  },
  {
    request: 'show me error records with the tag "foobar"',
    response: "SELECT * FROM records WHERE level = 'error' AND 'foobar' = ANY(tags)",
  },
];
