/**
 * npm run example:weather - the reference's weather agent on APIs shaped like the real ones: the
 * model calls `get_lat_lng` (geocode.maps.co) for each place asked about, then `get_weather`
 * (Tomorrow.io) for each place found, and answers in one sentence.
 *
 * With no key anywhere it runs on a scripted model (demo-model.ts) and replays recorded API answers
 * (recordings/), so it needs no network. OPENAI_API_KEY or ANTHROPIC_API_KEY (or SCHEMANTIC_MODEL)
 * puts a real model in charge; GEO_API_KEY and WEATHER_API_KEY switch each API to its live service.
 *
 * Options:
 *   --prompt TEXT   ask this instead of the two scripted questions
 *   --help          show this help
 */
import { parseArgs } from 'node:util';
import type { AgentStreamEvent, ModelLike } from 'schemantic';
import { createWeatherAgent, type WeatherToolArgs } from '../../generated/agents/weather.js';
import { providerModel } from '../provider-model.js';
import { demoModel } from './demo-model.js';
import { createWeatherDeps } from './weather-deps.js';
import { weatherHandlers } from './weather-handlers.js';

const USAGE = `Usage: npm run example:weather [-- --prompt "What is the weather like in Paris?"]

Asks the weather agent about the weather in a few places and prints each tool call as it happens.

Options:
  --prompt TEXT   ask this instead of the two scripted questions
  --help          show this help

Environment (all optional):
  OPENAI_API_KEY, ANTHROPIC_API_KEY, SCHEMANTIC_MODEL   run on a real model (default: a scripted one)
  GEO_API_KEY       call geocode.maps.co live (default: replay examples/weather/recordings)
  WEATHER_API_KEY   call Tomorrow.io live (default: replay the recordings)
  GEO_API_BASE_URL, WEATHER_API_BASE_URL   where the live services are (a proxy, a test server)`;

/** The reference's question, then one with a place no geocoder knows. */
const SCRIPTED_PROMPTS = ['What is the weather like in London and in Wiltshire?', 'And what is the weather like in Paris and in Atlantis?'];

/** Prints what the run does as it does it: each tool call, and what came back. */
function printEvent(event: AgentStreamEvent<WeatherToolArgs>): void {
  if (event.kind === 'function-tool-call') console.log(`  -> ${event.toolName}(${JSON.stringify(event.args)})`);
  else if (event.kind === 'function-tool-result') {
    const { result } = event;
    if (result.kind === 'tool-return') console.log(`  <- ${event.toolName}: ${JSON.stringify(result.content)}`);
    else {
      // The retry prompt ends with the runtime's "Fix the errors and try again."; the first line is the tool's reason.
      const reason = typeof result.content === 'string' ? result.content.split('\n')[0] : JSON.stringify(result.content);
      console.log(`  <- ${event.toolName} asked the model to try again: ${reason}`);
    }
  }
}

function pickModel(): { model: ModelLike; why: string } {
  const { id, reason } = providerModel();
  if (id !== undefined) return { model: id, why: `Model: ${reason}.` };
  return {
    model: demoModel,
    why: 'Model: a scripted demo model that calls the tools as a real model would (set OPENAI_API_KEY or ANTHROPIC_API_KEY for a real one).',
  };
}

async function main(): Promise<void> {
  let values: { prompt?: string | undefined; help?: boolean | undefined };
  try {
    ({ values } = parseArgs({ options: { prompt: { type: 'string' }, help: { type: 'boolean' } } }));
  } catch (err) {
    throw new Error(`${(err as Error).message} (see --help)`);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (values.prompt !== undefined && values.prompt.trim() === '')
    throw new Error('--prompt needs a question, such as --prompt "What is the weather like in Paris?"');
  const prompts = values.prompt === undefined ? SCRIPTED_PROMPTS : [values.prompt];

  const { model, why } = pickModel();
  const { deps, sources } = await createWeatherDeps();
  console.log(why);
  console.log(`Geocoding: ${sources.geocoding}.`);
  console.log(`Weather: ${sources.weather}.`);

  const agent = createWeatherAgent({ model, tools: weatherHandlers });
  for (const prompt of prompts) {
    console.log(`\nQuestion: ${prompt}`);
    const result = await agent.run(prompt, { deps, context: { user_name: 'Ann' }, eventHandler: printEvent });
    console.log(`Answer: ${result.output}`);
    console.log(`(${result.usage().requests} model requests)`);
  }
}

main().catch((err: unknown) => {
  console.error(`weather example failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
