/**
 * The evals entry module: binds each agent whose datasets are in evals/ to what its runs need
 * (handlers, deps, a model when `--model` is not given) and to the custom evaluators the datasets
 * name. `schemantic eval` loads it; the types come from generated/evals/ (`schemantic generate`),
 * so a deps key or a custom evaluator a dataset names and this module lacks is a type error.
 */
import 'schemantic/openai';
import 'schemantic/anthropic';
import { defineEvals } from 'schemantic/evals';
import { createBankSupportAgent } from '../generated/agents/bank-support.js';
import { createSqlGenAgent } from '../generated/agents/sql-gen.js';
import { createWeatherAgent } from '../generated/agents/weather.js';
import type { EvalAgents } from '../generated/evals/index.js';
import { weatherTools } from '../examples/weather-tools.js';
import { bankSupportEvalModel, judgeEvalModel, sqlGenEvalModel, weatherEvalModel } from './eval-models.js';

/** The bank's database, as the support agent's tool reads it. */
interface SupportDeps {
  customerId: number;
  db: { balance(customerId: number): number };
}

const db = { balance: (customerId: number) => ({ 123: 123.45, 456: 9.9 })[customerId] ?? 0 };

export default defineEvals<EvalAgents>({
  bank_support: {
    agent: () =>
      createBankSupportAgent<SupportDeps>({
        tools: {
          customerBalance: async (ctx, { include_pending }) => `$${(ctx.deps.db.balance(ctx.deps.customerId) + (include_pending ? 0 : -0.55)).toFixed(2)}`,
        },
      }),
    deps: { john: () => ({ customerId: 123, db }), jane: () => ({ customerId: 456, db }) },
    model: bankSupportEvalModel,
    judgeModel: judgeEvalModel,
  },
  sql_gen: {
    agent: () => createSqlGenAgent(),
    model: sqlGenEvalModel,
  },
  weather: {
    agent: () => createWeatherAgent({ tools: weatherTools }),
    model: weatherEvalModel,
    evaluators: {
      // The agent's instructions ask for one sentence.
      one_sentence: ({ output }) => {
        const sentences = String(output)
          .split(/[.!?](?:\s|$)/)
          .filter((s) => s.trim() !== '').length;
        return { value: sentences === 1, reason: `${sentences} sentences` };
      },
    },
  },
});
