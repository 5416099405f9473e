/**
 * npm start: runs two of the generated example agents. With OPENAI_API_KEY (or ANTHROPIC_API_KEY)
 * set they run on that provider (SCHEMANTIC_MODEL picks another model id, such as
 * `anthropic:claude-opus-5` or `ollama:llama3.2`). Without a key they run on the built-in test
 * model (TestModel), which calls every tool with schema-valid arguments and answers with data that
 * satisfies the output schema: no network, no key, same result every time.
 */
import type { ModelLike } from 'schemantic';
import { TestModel } from 'schemantic/testing';
import { createBankSupportAgent, type BankSupportOutput } from '../generated/agents/bank-support.js';
import { createWeatherAgent } from '../generated/agents/weather.js';
import { providerModel } from './provider-model.js';
import { weatherTools } from './weather-tools.js';

/** The model to run on, and a line saying why. */
function pickModel(): { model: ModelLike; why: string } {
  const { id, reason } = providerModel();
  if (id !== undefined) return { model: id, why: `Running the examples on ${reason}.` };
  return { model: new TestModel(), why: `No provider configured: running the examples on ${reason}.` };
}

const { model, why } = pickModel();
console.log(`${why}\n`);

// The weather agent: two tools, called in turn; the handlers are typed from the tool schemas.
const weather = createWeatherAgent({
  model,
  tools: weatherTools,
});
const forecast = await weather.run('What is the weather like in London and in Wiltshire?', { context: { user_name: 'Ann' } });
console.log('weather agent output (text):');
console.log(`  ${forecast.output}`);
console.log(`  usage: ${JSON.stringify(forecast.usage())}\n`);

// The bank support agent: dependencies reach the tool, the output is structured and typed.
const db = { balance: (id: number) => (id === 123 ? 123.45 : 0) };
const support = createBankSupportAgent<{ customerId: number; db: typeof db }>({
  model,
  tools: { customerBalance: async (ctx, { include_pending }) => `$${(ctx.deps.db.balance(ctx.deps.customerId) + (include_pending ? 0.55 : 0)).toFixed(2)}` },
});
const answer = await support.run('What is my balance?', { deps: { customerId: 123, db }, context: { customer_name: 'John' } });
const output: BankSupportOutput = answer.output;
console.log('bank support agent output (BankSupportOutput):');
console.log(`  support_advice: ${JSON.stringify(output.support_advice)}`);
console.log(`  block_card:     ${output.block_card}`);
console.log(`  risk:           ${output.risk} (0 to 10)`);
