/**
 * The tour's weather step: the weather agent (schemas/weather.yaml) with tools shaped like the
 * real geocoding and weather APIs, which answer from recorded responses unless their keys are set
 * (examples/weather/).
 */
import type { ModelLike } from 'schemantic';
import { createWeatherAgent } from '../../generated/agents/weather.js';
import { demoModel } from '../weather/demo-model.js';
import { createWeatherDeps } from '../weather/weather-deps.js';
import { weatherHandlers } from '../weather/weather-handlers.js';
import { say } from './say.js';

/** Runs the weather agent once, then prints the tool calls it made, what they returned, and the answer. */
export async function weatherStep(provider: ModelLike | undefined): Promise<void> {
  const { deps, sources } = await createWeatherDeps();
  say(`Its tools call ${sources.geocoding} and ${sources.weather}.`);
  const weather = createWeatherAgent({ model: provider ?? demoModel, tools: weatherHandlers });
  const question = 'What is the weather like in London and in Wiltshire?';
  say(`Question: ${question}`);
  const result = await weather.run(question, { deps, context: { user_name: 'Ann' } });
  // What the run did, read from its messages: the calls the model made and what each returned.
  for (const message of result.newMessages()) {
    for (const part of message.parts) {
      if (part.kind === 'tool-call') say(`  the model calls ${part.toolName} ${JSON.stringify(part.args)}`);
      if (part.kind === 'tool-return') say(`    ${part.toolName} -> ${JSON.stringify(part.content)}`);
      if (part.kind === 'retry-prompt' && part.toolName) say(`    ${part.toolName} asks the model to try again`);
    }
  }
  say(`weather agent output (text): ${result.output}`, `usage: ${result.usage().requests} model requests, ${result.usage().totalTokens} tokens`);
}
