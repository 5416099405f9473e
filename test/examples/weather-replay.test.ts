/**
 * The weather example without keys: the recordings load and hang together, the replay `fetch`
 * finds them as recordings/README.md says, hostile recordings are refused, and the agent's tools
 * run over the replay (an unknown place asks the model to retry); with a key, the deps call the
 * live service instead.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ModelRetry, type ModelMessage, type RetryPromptPart } from 'schemantic';
import { createWeatherAgent } from '../../generated/agents/weather.js';
import { ApiError } from '../../examples/weather/api-error.js';
import { demoModel, placesAsked } from '../../examples/weather/demo-model.js';
import { loadRecordings, parseRecording, RecordingError } from '../../examples/weather/recordings.js';
import { replayFetch } from '../../examples/weather/replay-fetch.js';
import { createWeatherDeps, WeatherConfigError } from '../../examples/weather/weather-deps.js';
import { weatherHandlers } from '../../examples/weather/weather-handlers.js';
import { startFakeWeatherApis, type FakeWeatherApis } from './weather-fake-apis.js';

const KEYLESS = {} as NodeJS.ProcessEnv;
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0)) await step();
});

async function fakeApis(options: { requireKey?: string } = {}): Promise<FakeWeatherApis> {
  const apis = await startFakeWeatherApis(options);
  cleanup.push(() => apis.close());
  return apis;
}

function retries(messages: readonly ModelMessage[]): RetryPromptPart[] {
  return messages.flatMap((m) => (m.kind === 'request' ? m.parts.filter((p): p is RetryPromptPart => p.kind === 'retry-prompt') : []));
}

describe('the shipped recordings', () => {
  it('load, are key-free, and each place found has its weather recorded at its first match', async () => {
    const recordings = await loadRecordings();
    const geocoded = recordings.filter((r) => r.url.pathname === '/search' && !r.fallback);
    expect(geocoded.map((r) => r.url.searchParams.get('q'))).toEqual(['London', 'Paris', 'Tokyo', 'Wiltshire']);
    const fetch = replayFetch(recordings);
    for (const recording of geocoded) {
      const first = (recording.body as { lat: string; lon: string }[])[0]!;
      const response = await fetch(`https://api.tomorrow.io/v4/weather/realtime?location=${first.lat},${first.lon}&units=metric`);
      expect(response.status, recording.file).toBe(200);
      expect(((await response.json()) as { location: { lat: number } }).location.lat).toBeCloseTo(Number(first.lat), 5);
    }
  });
});

describe('replayFetch', () => {
  it('matches ignoring keys, case and spacing; answers [] for an unknown place; tolerates rounded coordinates', async () => {
    const served: string[] = [];
    const fetch = replayFetch(await loadRecordings(), (_m, _u, recording) => served.push(recording?.file ?? '(none)'));
    const body = async (url: string) => {
      const response = await fetch(url);
      return { status: response.status, body: (await response.json()) as unknown };
    };
    expect((await body('https://geocode.maps.co/search?q=%20%20london%20&api_key=secret')).body).toHaveLength(2);
    expect(await body('https://geocode.maps.co/search?q=Atlantis')).toEqual({ status: 200, body: [] });
    expect((await body('https://api.tomorrow.io/v4/weather/realtime?apikey=k&units=metric&location=51.51,-0.13')).status).toBe(200);
    expect(served).toEqual(['geocode-london.json', 'geocode-no-match.json', 'weather-london.json']);

    const far = await body('https://api.tomorrow.io/v4/weather/realtime?location=51.6,-0.13&units=metric');
    expect(far).toMatchObject({ status: 400, body: { code: 400001, type: 'Invalid Query Parameters' } });
    // A parameter the recording does not have (or lacks one it has) is another request.
    expect((await body('https://api.tomorrow.io/v4/weather/realtime?location=51.5074456,-0.1277653')).status).toBe(400);
    expect(await body('https://example.com/anything')).toMatchObject({ status: 404, body: { type: 'Not Recorded' } });
  });

  it('honours an aborted signal as fetch does', async () => {
    const fetch = replayFetch(await loadRecordings());
    await expect(fetch('https://geocode.maps.co/search?q=London', { signal: AbortSignal.abort() })).rejects.toThrow(/abort/i);
  });
});

describe('a broken or hostile recording', () => {
  it.each([
    ['not JSON', '{"request":', /^recording bad\.json is not JSON: /],
    ['a list', '[]', /^recording bad\.json: the body should be an object, not an array of 0$/],
    [
      'a URL holding a key',
      '{"request":{"url":"https://geocode.maps.co/search?q=x&api_key=sk-1"},"response":{"status":200,"body":[]}}',
      /holds an API key \(api_key=\.\.\.\); recordings must be key-free/,
    ],
    ['a javascript: URL', '{"request":{"url":"javascript:alert(1)"},"response":{"status":200,"body":[]}}', /request\.url should be http\(s\), not javascript:/],
    ['not a URL', '{"request":{"url":"::"},"response":{"status":200,"body":[]}}', /request\.url "::" is not a URL/],
    [
      'a status out of range',
      '{"request":{"url":"https://a.b/"},"response":{"status":99,"body":[]}}',
      /response\.status should be a number from 200 to 599, not 99/,
    ],
    ['no body', '{"request":{"url":"https://a.b/"},"response":{"status":200}}', /response\.body should be the JSON the service answers, not missing/],
    [
      'a fallback flag that is text',
      '{"fallback":"yes","request":{"url":"https://a.b/"},"response":{"status":200,"body":1}}',
      /fallback should be true or false/,
    ],
  ])('is refused when it is %s', (_what, text, message) => {
    expect(() => parseRecording(text, 'bad.json')).toThrow(RecordingError);
    expect(() => parseRecording(text, 'bad.json')).toThrow(message);
  });

  it('stops loading, naming the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'weather-recordings-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    await writeFile(join(dir, 'good.json'), '{"request":{"url":"https://a.b/"},"response":{"status":200,"body":[]}}');
    await writeFile(join(dir, 'zz-broken.json'), '{"request": {"url": 5}, "response": {"status": 200, "body": []}}');
    await expect(loadRecordings(dir)).rejects.toThrow('recording zz-broken.json: request.url should be a string, not 5');
    await expect(createWeatherDeps(KEYLESS, join(dir, 'missing'))).rejects.toThrow(/^cannot read the recordings in /);
  });
});

describe('the weather tools over the replay', () => {
  it('answer the reference question from the recordings', async () => {
    const { deps } = await createWeatherDeps(KEYLESS);
    const agent = createWeatherAgent({ model: demoModel, tools: weatherHandlers });
    const result = await agent.run('What is the weather like in London and in Wiltshire?', { deps, context: { user_name: 'Ann' } });
    expect(result.output).toBe('In London it feels like 9 °C (Mostly Cloudy) and in Wiltshire it feels like 6 °C (Light Rain).');
    expect(retries(result.allMessages())).toEqual([]);
  });

  it('ask the model to try again for a place the geocoder does not know, and for a position with no weather', async () => {
    const { deps } = await createWeatherDeps(KEYLESS);
    const agent = createWeatherAgent({ model: demoModel, tools: weatherHandlers });
    const result = await agent.run('Weather in Tokyo and in Atlantis?', { deps, context: { user_name: 'Ann' } });
    expect(result.output).toBe('In Tokyo it feels like 15 °C (Clear, Sunny) and I could not find Atlantis.');
    expect(retries(result.allMessages())).toMatchObject([
      { toolName: 'get_lat_lng', content: expect.stringContaining('Could not find the location "Atlantis": describe it another way, or tell the user.') },
    ]);

    // A position no recording is near: the replay's 400, which the model may fix with other coordinates.
    const ctx = { deps } as Parameters<typeof weatherHandlers.getWeather>[0];
    const refused = await Promise.resolve(weatherHandlers.getWeather(ctx, { lat: -60, lng: 10 })).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ModelRetry);
    expect((refused as Error).message).toBe(
      'Tomorrow.io refused the location -60,10: Invalid Query Parameters: No weather was recorded near this position (the replay has London, Wiltshire, Paris and Tokyo): use the coordinates get_lat_lng returned.',
    );
  });

  it('end the run with the ApiError when the live service refuses the key (not the model to fix)', async () => {
    const apis = await fakeApis({ requireKey: 'right' });
    const { deps, sources } = await createWeatherDeps({ GEO_API_KEY: 'wrong-geo-key', GEO_API_BASE_URL: apis.url });
    expect(sources.geocoding).toBe(`geocode.maps.co at ${apis.url} (live calls)`);
    expect(sources.weather).toBe('Tomorrow.io replayed from examples/weather/recordings (set WEATHER_API_KEY for live calls)');
    const agent = createWeatherAgent({ model: demoModel, tools: weatherHandlers });
    const failure = await agent.run('Weather in London?', { deps, context: { user_name: 'Ann' } }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApiError);
    expect((failure as ApiError).message).toMatch(/^geocode\.maps\.co: HTTP 401 .*api_key=\*\*\*: Invalid API Key$/);
    expect((failure as Error).message).not.toContain('wrong-geo-key');
  });

  it('call both live services when both keys are set', async () => {
    const apis = await fakeApis({ requireKey: 'k1' });
    const env = { GEO_API_KEY: 'k1', WEATHER_API_KEY: 'k1', GEO_API_BASE_URL: apis.url, WEATHER_API_BASE_URL: `${apis.url}/` };
    const { deps } = await createWeatherDeps(env, '/nonexistent/recordings/are/not/read');
    const result = await createWeatherAgent({ model: demoModel, tools: weatherHandlers }).run('Weather in Paris?', { deps, context: { user_name: 'Ann' } });
    expect(result.output).toBe('In Paris it feels like 14 °C (Mostly Clear).');
    expect(apis.requests.map((u) => `${u.pathname}?${u.searchParams}`)).toEqual([
      '/search?q=Paris&api_key=k1',
      '/v4/weather/realtime?location=48.8588897%2C2.320041&units=metric&apikey=k1',
    ]);
  });

  it('refuse a base URL that is not an http(s) URL', async () => {
    await expect(createWeatherDeps({ WEATHER_API_KEY: 'k', WEATHER_API_BASE_URL: 'file:///etc/passwd' })).rejects.toThrow(WeatherConfigError);
    await expect(createWeatherDeps({ GEO_API_KEY: 'k', GEO_API_BASE_URL: 'not a url' })).rejects.toThrow(
      'GEO_API_BASE_URL should be an http(s) URL, not "not a url"',
    );
  });
});

describe('placesAsked (the demo model reading the question)', () => {
  it.each([
    ['What is the weather like in London and in Wiltshire?', ['London', 'Wiltshire']],
    ['Weather in Paris, Tokyo and Atlantis please.', ['Paris', 'Tokyo', 'Atlantis please']],
    ['weather IN new york', ['new york']],
    ['How is the weather?', []],
  ])('%s', (question, places) => {
    expect(placesAsked(question)).toEqual(places);
  });
});
