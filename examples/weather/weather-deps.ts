/**
 * What the weather tools depend on, as in the reference's `Deps` (an HTTP client and the two API
 * keys): here one client per API, each holding its key. A client whose key is set calls its real
 * service (or the base URL given in the environment); one without a key replays the recordings.
 */
import { GEOCODING_BASE_URL, GEOCODING_SERVICE, GeocodingClient } from './geocoding-client.js';
import { loadRecordings, RECORDINGS_DIR } from './recordings.js';
import { replayFetch } from './replay-fetch.js';
import { WEATHER_BASE_URL, WEATHER_SERVICE, WeatherClient } from './weather-client.js';

/** The weather agent's dependencies: its two API clients. */
export interface WeatherDeps {
  readonly geocoding: GeocodingClient;
  readonly weather: WeatherClient;
}

/** The dependencies, and a line per API saying where its answers come from. */
export interface WeatherDepsSetup {
  readonly deps: WeatherDeps;
  readonly sources: { readonly geocoding: string; readonly weather: string };
}

/** A base URL the environment gives is not a URL. */
export class WeatherConfigError extends Error {
  override name = 'WeatherConfigError';
}

/**
 * The clients for `env`: GEO_API_KEY and WEATHER_API_KEY switch each API from the recordings to
 * the live service; GEO_API_BASE_URL and WEATHER_API_BASE_URL point a live client elsewhere (a
 * proxy, a test server). `recordingsDir` replaces the shipped recordings.
 */
export async function createWeatherDeps(env: NodeJS.ProcessEnv = process.env, recordingsDir: string = RECORDINGS_DIR): Promise<WeatherDepsSetup> {
  const geoKey = env['GEO_API_KEY'] || undefined;
  const weatherKey = env['WEATHER_API_KEY'] || undefined;
  const geoBase = baseUrl(env, 'GEO_API_BASE_URL', GEOCODING_BASE_URL);
  const weatherBase = baseUrl(env, 'WEATHER_API_BASE_URL', WEATHER_BASE_URL);
  // The recordings are read only when some API replays.
  const replay = geoKey && weatherKey ? undefined : replayFetch(await loadRecordings(recordingsDir));
  const deps: WeatherDeps = {
    geocoding: new GeocodingClient(geoKey ? { apiKey: geoKey, baseUrl: geoBase } : { fetch: replay }),
    weather: new WeatherClient(weatherKey ? { apiKey: weatherKey, baseUrl: weatherBase } : { fetch: replay }),
  };
  const live = (service: string, base: string) => `${service} at ${base} (live calls)`;
  const replayed = (service: string, key: string) => `${service} replayed from examples/weather/recordings (set ${key} for live calls)`;
  return {
    deps,
    sources: {
      geocoding: geoKey ? live(GEOCODING_SERVICE, geoBase) : replayed(GEOCODING_SERVICE, 'GEO_API_KEY'),
      weather: weatherKey ? live(WEATHER_SERVICE, weatherBase) : replayed(WEATHER_SERVICE, 'WEATHER_API_KEY'),
    },
  };
}

function baseUrl(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const value = env[name] || fallback;
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol))
    throw new WeatherConfigError(`${name} should be an http(s) URL, not ${JSON.stringify(value)}`);
  return value;
}
