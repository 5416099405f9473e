/**
 * The scripted model the SQL example runs on without a provider key: it answers the demo's
 * requests the way a real model might, mistakes included. Its first query for "error logs from
 * yesterday" names a column the table does not have (`severity`), so the run shows PostgreSQL's
 * error coming back as a retry prompt and the corrected query passing; a vague request gets
 * InvalidRequest. Other prompts (`--prompt`) get a query built from the words it recognises.
 */
import type { ModelMessage, ResponsePart } from 'schemantic';
import { FunctionModel } from 'schemantic/testing';
import type { InvalidRequest, Success } from '../../generated/types/sql-gen.js';
import { latestPrompt } from '../latest-prompt.js';
import { LOG_LEVELS } from './schema.js';

/** One scripted answer: a query, or the reason there is none. */
type Answer = { readonly Success: Success } | { readonly InvalidRequest: InvalidRequest };

/** The requests `npm run example:sql-gen` makes, in order. */
export const DEMO_REQUESTS = [
  'show me logs from yesterday, with level "error"',
  'which services raised exceptions in the last two days, and how many?',
  'make it faster',
] as const;

/** The scripted answers to the demo requests, one per attempt. */
const SCRIPT: Readonly<Record<(typeof DEMO_REQUESTS)[number], readonly Answer[]>> = {
  [DEMO_REQUESTS[0]]: [
    {
      Success: {
        sql_query: "SELECT start_timestamp, service_name, message FROM records WHERE severity = 'error' AND start_timestamp::date = CURRENT_DATE - 1",
        explanation: 'Error records whose span started yesterday.',
      },
    },
    {
      // Fenced and with a trailing ";", as models often write it: the check strips both.
      Success: {
        sql_query:
          "```sql\nSELECT start_timestamp, service_name, message\nFROM records\nWHERE level = 'error' AND start_timestamp::date = CURRENT_DATE - 1;\n```",
        explanation: 'Error records (the `level` column) whose span started yesterday.',
      },
    },
  ],
  [DEMO_REQUESTS[1]]: [
    {
      Success: {
        sql_query:
          "SELECT service_name, count(*) AS exceptions FROM records WHERE is_exception AND start_timestamp >= now() - INTERVAL '2 days' GROUP BY service_name ORDER BY exceptions DESC, service_name",
        explanation: 'Exception records of the last 48 hours, counted per service.',
      },
    },
  ],
  [DEMO_REQUESTS[2]]: [{ InvalidRequest: { error_message: 'Say which records you want: a level, a time range, a service or a message.' } }],
};

/** How many retry prompts the run has sent since the latest user prompt: the attempt being answered, less one. */
function retriesSoFar(messages: readonly ModelMessage[]): number {
  let retries = 0;
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i]!;
    if (message.kind !== 'request') continue;
    if (message.parts.some((part) => part.kind === 'user-prompt')) break;
    retries += message.parts.filter((part) => part.kind === 'retry-prompt').length;
  }
  return retries;
}

/** A query for a prompt outside the script, from the words it recognises; InvalidRequest when there are none. */
export function improvisedAnswer(prompt: string): Answer {
  const text = prompt.toLowerCase();
  const where: string[] = [];
  const level = LOG_LEVELS.find((l) => new RegExp(`\\b${l}s?\\b`).test(text));
  if (level) where.push(`level = '${level}'`);
  if (/exception/.test(text)) where.push('is_exception');
  const service = ['api', 'billing', 'worker'].find((s) => new RegExp(`\\b${s}\\b`).test(text));
  if (service) where.push(`service_name = '${service}'`);
  const tag = /\btag(?:ged)?\s+"([A-Za-z0-9_.-]+)"/.exec(prompt)?.[1];
  if (tag) where.push(`'${tag}' = ANY(tags)`);
  if (/\byesterday\b/.test(text)) where.push('start_timestamp::date = CURRENT_DATE - 1');
  else if (/\btoday\b/.test(text)) where.push('start_timestamp::date = CURRENT_DATE');
  else if (/\blast hour\b/.test(text)) where.push("start_timestamp >= now() - INTERVAL '1 hour'");
  if (where.length === 0) {
    return {
      InvalidRequest: {
        error_message:
          'The scripted demo model only understands levels, exceptions, the services api, billing and worker, a tag "in quotes", ' +
          'and yesterday, today or the last hour. Set OPENAI_API_KEY (or ANTHROPIC_API_KEY) to ask anything.',
      },
    };
  }
  return {
    Success: {
      sql_query: `SELECT start_timestamp, level, service_name, message FROM records WHERE ${where.join(' AND ')} ORDER BY start_timestamp DESC`,
      explanation: `Records where ${where.join(' and ')}, newest first.`,
    },
  };
}

/** The answer as the output tool call a model makes. */
function toolCall(answer: Answer, attempt: number): ResponsePart[] {
  const [member, args] = 'Success' in answer ? ['Success', answer.Success] : ['InvalidRequest', answer.InvalidRequest];
  return [{ kind: 'tool-call', toolName: `final_result_${member}`, args: { ...args }, toolCallId: `answer-${attempt}` }];
}

/** The scripted SQL model: the script's attempts for the demo requests, an improvised query otherwise. */
export const sqlGenDemoModel = new FunctionModel(
  (messages) => {
    const prompt = latestPrompt(messages);
    const attempt = retriesSoFar(messages);
    const script = (SCRIPT as Readonly<Record<string, readonly Answer[]>>)[prompt];
    if (script) return toolCall(script[Math.min(attempt, script.length - 1)]!, attempt);
    return toolCall(improvisedAnswer(prompt), attempt);
  },
  { name: 'sql-gen-demo' },
);
