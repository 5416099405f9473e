/**
 * The weather example as a user runs it, in a child process from the repo root: `npm run
 * example:weather` with no key (scripted model, replayed APIs), its options, the live path with API
 * keys (against the local stand-in, which checks the keys arrive), a refused key (exit 1, the key in
 * no output), and a real provider model (OpenAI, replayed by the provider tests' server).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runExample, runNpmScript } from '../helpers/example-process.js';
import { CANARY_KEY, withReplay } from '../providers/harness.js';
import type { Exchange } from '../providers/replay-server.js';
import { startFakeWeatherApis, type FakeWeatherApis } from './weather-fake-apis.js';

/** The example under tsx, as the npm script runs it, with no keys besides `env`'s. */
const example = (args: readonly string[], env?: Record<string, string>) => runExample('examples/weather/main.ts', args, { env: env ?? {} });

let apis: FakeWeatherApis | undefined;
afterEach(async () => {
  await apis?.close();
  apis = undefined;
});

describe('npm run example:weather', () => {
  it('runs with no key: a scripted model, replayed APIs, each tool call printed, and the answers', async () => {
    const { code, stdout, stderr } = await runNpmScript('example:weather');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    for (const line of [
      'Model: a scripted demo model that calls the tools as a real model would (set OPENAI_API_KEY or ANTHROPIC_API_KEY for a real one).',
      'Geocoding: geocode.maps.co replayed from examples/weather/recordings (set GEO_API_KEY for live calls).',
      'Weather: Tomorrow.io replayed from examples/weather/recordings (set WEATHER_API_KEY for live calls).',
      'Question: What is the weather like in London and in Wiltshire?',
      '  -> get_lat_lng({"location_description":"London"})',
      '  <- get_lat_lng: {"lat":51.5074456,"lng":-0.1277653}',
      '  -> get_weather({"lat":51.3275,"lng":-1.9933})',
      '  <- get_weather: {"temperature":"6 °C","description":"Light Rain"}',
      'Answer: In London it feels like 9 °C (Mostly Cloudy) and in Wiltshire it feels like 6 °C (Light Rain).',
      '  <- get_lat_lng asked the model to try again: Could not find the location "Atlantis": describe it another way, or tell the user.',
      'Answer: In Paris it feels like 14 °C (Mostly Clear) and I could not find Atlantis.',
    ]) {
      expect(stdout).toContain(`${line}\n`);
    }
  });

  it('answers --prompt, shows --help, and refuses an unknown option or an empty prompt', async () => {
    const asked = await example(['--prompt', 'What is the weather like in Tokyo?']);
    expect(asked.code).toBe(0);
    expect(asked.stdout).toContain('Answer: In Tokyo it feels like 15 °C (Clear, Sunny).\n');
    expect(asked.stdout).not.toContain('London');

    const help = await example(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: npm run example:weather/);
    expect(help.stdout).toContain('GEO_API_KEY');

    const unknown = await example(['--city', 'Paris']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^weather example failed: Unknown option '--city'.* \(see --help\)\n$/);
    const empty = await example(['--prompt', '  ']);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('weather example failed: --prompt needs a question');
  });

  it('calls the live services when GEO_API_KEY and WEATHER_API_KEY are set (here the local stand-in)', async () => {
    apis = await startFakeWeatherApis({ requireKey: CANARY_KEY });
    const env = { GEO_API_KEY: CANARY_KEY, WEATHER_API_KEY: CANARY_KEY, GEO_API_BASE_URL: apis.url, WEATHER_API_BASE_URL: apis.url };
    const { code, stdout, stderr } = await example(['--prompt', 'What is the weather like in Wiltshire?'], env);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain(`Geocoding: geocode.maps.co at ${apis.url} (live calls).\n`);
    expect(stdout).toContain(`Weather: Tomorrow.io at ${apis.url} (live calls).\n`);
    expect(stdout).toContain('Answer: In Wiltshire it feels like 6 °C (Light Rain).\n');
    expect(apis.requests.map((u) => [u.pathname, u.searchParams.get('api_key') ?? u.searchParams.get('apikey')])).toEqual([
      ['/search', CANARY_KEY],
      ['/v4/weather/realtime', CANARY_KEY],
    ]);
    expect(stdout).not.toContain(CANARY_KEY);
  });

  it('exits 1 naming the service when it refuses the key, and prints the key nowhere', async () => {
    apis = await startFakeWeatherApis({ requireKey: 'another-key' });
    const { code, stdout, stderr } = await example([], { WEATHER_API_KEY: CANARY_KEY, WEATHER_API_BASE_URL: apis.url });
    expect(code).toBe(1);
    expect(stdout).toContain('  <- get_lat_lng: {"lat":51.5074456,"lng":-0.1277653}\n');
    expect(stderr).toMatch(
      /^weather example failed: Tomorrow\.io: HTTP 401 Unauthorized for GET http:\/\/127\.0\.0\.1:\d+\/v4\/weather\/realtime\?location=.*&apikey=\*\*\*: Invalid Auth: /,
    );
    expect(stdout + stderr).not.toContain(CANARY_KEY);
  });

  it('runs on openai:gpt-4o when OPENAI_API_KEY is set, the APIs still replayed', async () => {
    // With an event handler the run streams each model request: the server answers in OpenAI's chunk format.
    const chunk = (delta: object, finish: string | null) => ({
      id: 'chatcmpl-weather',
      object: 'chat.completion.chunk',
      created: 0,
      model: 'gpt-4o-2024-08-06',
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    });
    const usage = {
      id: 'chatcmpl-weather',
      object: 'chat.completion.chunk',
      created: 0,
      model: 'gpt-4o-2024-08-06',
      choices: [],
      usage: { prompt_tokens: 80, completion_tokens: 12, total_tokens: 92 },
    };
    const stream = (...chunks: object[]): Exchange => ({
      request: { method: 'POST', path: '/v1/chat/completions' },
      response: { kind: 'sse', text: [...chunks, usage].map((c) => `data: ${JSON.stringify(c)}\n\n`).join('') + 'data: [DONE]\n\n' },
    });
    const call = (id: string, name: string, args: object) =>
      stream(
        chunk({ role: 'assistant', content: null, tool_calls: [{ index: 0, id, type: 'function', function: { name, arguments: '' } }] }, null),
        chunk({ tool_calls: [{ index: 0, function: { arguments: JSON.stringify(args) } }] }, null),
        chunk({}, 'tool_calls'),
      );
    // What gpt-4o does with the weather agent: locate, then the weather at rounded coordinates, then one sentence.
    const exchanges = [
      call('call_1', 'get_lat_lng', { location_description: 'London' }),
      call('call_2', 'get_weather', { lat: 51.5074, lng: -0.1278 }),
      stream(
        chunk({ role: 'assistant', content: 'It feels like 9 °C and mostly ' }, null),
        chunk({ content: 'cloudy in London, Ann.' }, null),
        chunk({}, 'stop'),
      ),
    ];
    await withReplay(exchanges, async (server) => {
      const env = { OPENAI_API_KEY: CANARY_KEY, OPENAI_BASE_URL: `${server.url}/v1` };
      const { code, stdout, stderr } = await example(['--prompt', 'What is the weather like in London?'], env);
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(stdout).toContain('Model: openai:gpt-4o (OPENAI_API_KEY is set).\n');
      expect(stdout).toContain('Geocoding: geocode.maps.co replayed from examples/weather/recordings');
      // The rounded coordinates still find London's recorded weather.
      expect(stdout).toContain('  <- get_weather: {"temperature":"9 °C","description":"Mostly Cloudy"}\n');
      expect(stdout).toContain('Answer: It feels like 9 °C and mostly cloudy in London, Ann.\n');
      // The tool results went back to the model.
      const sent = JSON.stringify(server.requests.at(-1)!.body);
      expect(sent).toContain('Mostly Cloudy');
      expect(stdout + stderr).not.toContain(CANARY_KEY);
    });
  });
});
