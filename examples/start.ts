/**
 * npm start: runs two of the generated example agents. With OPENAI_API_KEY (or ANTHROPIC_API_KEY)
 * set they run on that provider (SCHEMANTIC_MODEL picks another model id, such as
 * `anthropic:claude-opus-5` or `ollama:llama3.2`). Without a key they run on scripted demo models
 * (examples/demo-models.ts): no network, no key, same result every time, and the answers come
 * from what the tools really returned.
 */
import type { ModelLike } from 'schemantic';
import { createBankSupportAgent, type BankSupportOutput } from '../generated/agents/bank-support.js';
import { createWeatherAgent } from '../generated/agents/weather.js';
import { bankSupportDemoModel, weatherDemoModel } from './demo-models.js';
import { providerModel } from './provider-model.js';
import { startTracing } from './tracing.js';
import { weatherTools } from './weather-tools.js';

/** The models to run on (one per agent), and a line saying why. */
function pickModels(): { weatherModel: ModelLike; supportModel: ModelLike; why: string } {
  const { id, reason } = providerModel();
  if (id !== undefined) return { weatherModel: id, supportModel: id, why: `Running the examples on ${reason}.` };
  return {
    weatherModel: weatherDemoModel,
    supportModel: bankSupportDemoModel,
    why:
      'No provider configured: running the examples on scripted demo models, which call the real tools and answer from what they ' +
      'return (set OPENAI_API_KEY or ANTHROPIC_API_KEY to use a provider).',
  };
}

// With OTEL_EXPORTER_OTLP_ENDPOINT set, every run below is traced (see examples/tracing.ts).
const stopTracing = await startTracing();
const { weatherModel, supportModel, why } = pickModels();
console.log(`${why}\n`);

// The weather agent: two tools, called in turn; the handlers are typed from the tool schemas.
const weather = createWeatherAgent({
  model: weatherModel,
  tools: weatherTools,
});
const forecast = await weather.run('What is the weather like in London and in Wiltshire?', { context: { user_name: 'Ann' } });
console.log('weather agent output (text):');
console.log(`  ${forecast.output}`);
console.log(`  usage: ${JSON.stringify(forecast.usage())}\n`);

// The bank support agent: dependencies reach the tool, the output is structured and typed.
const db = { balance: (id: number) => (id === 123 ? 123.45 : 0) };
const support = createBankSupportAgent<{ customerId: number; db: typeof db }>({
  model: supportModel,
  tools: { customerBalance: async (ctx, { include_pending }) => `$${(ctx.deps.db.balance(ctx.deps.customerId) + (include_pending ? 0.55 : 0)).toFixed(2)}` },
});
const answer = await support.run('What is my balance?', { deps: { customerId: 123, db }, context: { customer_name: 'John' } });
const output: BankSupportOutput = answer.output;
console.log('bank support agent output (BankSupportOutput):');
console.log(`  support_advice: ${JSON.stringify(output.support_advice)}`);
console.log(`  block_card:     ${output.block_card}`);
console.log(`  risk:           ${output.risk} (0 to 10)`);

// Sends the last spans before the process ends.
await stopTracing?.();
