/**
 * The weather example's API clients (examples/weather/), with the real `fetch` against a local
 * stand-in for geocode.maps.co and Tomorrow.io: the query strings they build, the key they send,
 * and the errors they raise - naming the service, never holding the key - for HTTP errors,
 * malformed and hostile bodies, an unreachable service and one that never answers.
 */
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError, redact } from '../../examples/weather/api-error.js';
import { GeocodingClient } from '../../examples/weather/geocoding-client.js';
import { MAX_BODY_BYTES } from '../../examples/weather/request-json.js';
import { describeWeatherCode, WEATHER_CODES } from '../../examples/weather/weather-codes.js';
import { WeatherClient } from '../../examples/weather/weather-client.js';
import { startFakeWeatherApis, type FakeWeatherApis } from './weather-fake-apis.js';

/** A key-shaped secret: it must reach the server and appear in no error. */
const KEY = 'wk-canary-7e1d0c3b9a-do-not-leak';

let apis: FakeWeatherApis;
afterEach(() => apis?.close());

/** The error `promise` rejects with, checked to be an ApiError that holds no trace of the key. */
async function apiError(promise: Promise<unknown>): Promise<ApiError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  const everything = `${inspect(err, { depth: 5 })}\n${(err as Error).stack}\n${JSON.stringify(err)}`;
  expect(everything).not.toContain(KEY);
  expect(everything).not.toContain(encodeURIComponent(KEY));
  return err as ApiError;
}

describe('GeocodingClient', () => {
  it('sends GET /search?q=...&api_key=... and reads the places, best first, with numeric coordinates', async () => {
    apis = await startFakeWeatherApis({ requireKey: KEY });
    const places = await new GeocodingClient({ apiKey: KEY, baseUrl: apis.url }).search('London');
    expect(places.map((p) => [p.displayName, p.lat, p.lng])).toEqual([
      ['London, Greater London, England, United Kingdom', 51.5074456, -0.1277653],
      ['London, Southwestern Ontario, Ontario, Canada', 42.9832406, -81.243372],
    ]);
    expect(places[0]).toMatchObject({ type: 'city', importance: expect.closeTo(0.93, 2) });
    const [sent] = apis.requests;
    expect(sent!.pathname).toBe('/search');
    expect([...sent!.searchParams]).toEqual([
      ['q', 'London'],
      ['api_key', KEY],
    ]);
  });

  it('keeps a base URL path, and sends a query with &, = and accents as one q value (no parameter smuggled in)', async () => {
    apis = await startFakeWeatherApis();
    const places = await new GeocodingClient({ apiKey: KEY, baseUrl: `${apis.url}/geo` }).search('Saint-Étienne & Co?api_key=evil');
    expect(places).toEqual([]);
    const [sent] = apis.requests;
    expect(sent!.pathname).toBe('/geo/search');
    expect(sent!.searchParams.getAll('q')).toEqual(['Saint-Étienne & Co?api_key=evil']);
    expect(sent!.searchParams.getAll('api_key')).toEqual([KEY]);
  });

  it('answers an empty list for a place the service does not know', async () => {
    apis = await startFakeWeatherApis();
    expect(await new GeocodingClient({ baseUrl: apis.url }).search('Atlantis')).toEqual([]);
    // Without a key, none is sent.
    expect(apis.requests[0]!.searchParams.has('api_key')).toBe(false);
  });

  it('turns a 401 into an ApiError naming the service and status, without the key', async () => {
    apis = await startFakeWeatherApis({ requireKey: 'the-right-key' });
    const err = await apiError(new GeocodingClient({ apiKey: KEY, baseUrl: apis.url }).search('London'));
    expect(err).toMatchObject({ service: 'geocode.maps.co', reason: 'http', status: 401 });
    expect(err.message).toMatch(
      /^geocode\.maps\.co: HTTP 401 Unauthorized for GET http:\/\/127\.0\.0\.1:\d+\/search\?q=London&api_key=\*\*\*: Invalid API Key$/,
    );
    // The key did reach the server: the client sent it, only the error leaves it out.
    expect(apis.requests[0]!.searchParams.get('api_key')).toBe(KEY);
  });

  it('turns a 500 that echoes the request (key and all) into an error with the key redacted', async () => {
    apis = await startFakeWeatherApis();
    apis.script.push({ status: 500, body: `<html>Internal error while serving /search?q=London&api_key=${KEY}</html>`, contentType: 'text/html' });
    const err = await apiError(new GeocodingClient({ apiKey: KEY, baseUrl: apis.url }).search('London'));
    expect(err).toMatchObject({ reason: 'http', status: 500 });
    expect(err.message).toContain('HTTP 500 Internal Server Error');
    expect(err.message).toContain('api_key=***</html>');
  });

  it.each([
    ['not JSON', '[{"lat": "51.5",', /is not JSON: "\[\{\\"lat\\": \\"51\.5\\","/],
    ['an object, not a list', '{"error":"nope"}', /is not a list of places: the body should be an array, not an object/],
    [
      'a coordinate that is not a number',
      '[{"lat":"51.5; DROP TABLE","lon":"0","display_name":"x"}]',
      /\[0\]\.lat should be a decimal string \(a number from -90 to 90\), not "51\.5; DROP TABLE"/,
    ],
    ['a latitude off the globe', '[{"lat":"123","lon":"0","display_name":"x"}]', /\[0\]\.lat should be a decimal string \(a number from -90 to 90\)/],
    ['a number where the string goes', '[{"lat":51.5,"lon":"0","display_name":"x"}]', /\[0\]\.lat should be a string, not 51\.5/],
    ['a missing name', '[{"lat":"1","lon":"2"}]', /\[0\]\.display_name should be a string, not missing/],
    ['the key echoed in a field', `[{"lat":"${KEY}","lon":"0","display_name":"x"}]`, /\[0\]\.lat should be a decimal string .*not "\*\*\*"/],
  ])('refuses a body that is %s with a clear error', async (_what, body, message) => {
    apis = await startFakeWeatherApis();
    apis.script.push({ status: 200, body });
    const err = await apiError(new GeocodingClient({ apiKey: KEY, baseUrl: apis.url }).search('London'));
    expect(err.reason).toBe('malformed');
    expect(err.message).toMatch(/^geocode\.maps\.co: /);
    expect(err.message).toMatch(message);
  });

  it('refuses a body bigger than any answer of the API without reading it all', async () => {
    apis = await startFakeWeatherApis();
    apis.script.push({ status: 200, body: `[${'"x",'.repeat(MAX_BODY_BYTES / 4)}"x"]` });
    const err = await apiError(new GeocodingClient({ baseUrl: apis.url }).search('London'));
    expect(err.reason).toBe('malformed');
    expect(err.message).toContain(`more than the ${MAX_BODY_BYTES}`);
  });

  it('says when the service cannot be reached, and when it does not answer in time', async () => {
    apis = await startFakeWeatherApis();
    const url = apis.url;
    await apis.close();
    const unreachable = await apiError(new GeocodingClient({ apiKey: KEY, baseUrl: url }).search('London'));
    expect(unreachable).toMatchObject({ service: 'geocode.maps.co', reason: 'network' });
    expect(unreachable.message).toContain('could not reach the service (GET http://127.0.0.1:');

    apis = await startFakeWeatherApis();
    apis.script.push({ hang: true });
    const silent = await apiError(new GeocodingClient({ apiKey: KEY, baseUrl: apis.url, timeoutMs: 300 }).search('London'));
    expect(silent.reason).toBe('timeout');
    expect(silent.message).toContain('no answer within 300 ms');
  });
});

describe('WeatherClient', () => {
  it('sends GET /v4/weather/realtime?location=lat,lng&units=metric&apikey=... and reads the readings', async () => {
    apis = await startFakeWeatherApis({ requireKey: KEY });
    const now = await new WeatherClient({ apiKey: KEY, baseUrl: apis.url }).realtime(51.5074456, -0.1277653);
    expect(now).toMatchObject({
      time: '2025-03-15T11:00:00Z',
      values: { temperatureApparent: 9.4, weatherCode: 1102, temperature: 10.8, humidity: 66, windSpeed: 4.1 },
      location: { lat: 51.5074456, lon: -0.1277653 },
    });
    expect(now.values.all['uvIndex']).toBe(2);
    const [sent] = apis.requests;
    expect(sent!.pathname).toBe('/v4/weather/realtime');
    expect(Object.fromEntries(sent!.searchParams)).toEqual({ location: '51.5074456,-0.1277653', units: 'metric', apikey: KEY });
  });

  it("turns Tomorrow.io's 401 into an ApiError quoting its type and message, without the key", async () => {
    apis = await startFakeWeatherApis({ requireKey: 'the-right-key' });
    const err = await apiError(new WeatherClient({ apiKey: KEY, baseUrl: apis.url }).realtime(1, 2));
    expect(err).toMatchObject({ service: 'Tomorrow.io', reason: 'http', status: 401, detail: expect.stringMatching(/^Invalid Auth: The method requires/) });
    expect(err.message).toMatch(
      /^Tomorrow\.io: HTTP 401 Unauthorized for GET http:\/\/127\.0\.0\.1:\d+\/v4\/weather\/realtime\?location=1%2C2&units=metric&apikey=\*\*\*: Invalid Auth: The method requires authentication/,
    );
  });

  it('redacts the key from an error body that quotes it', async () => {
    apis = await startFakeWeatherApis();
    apis.script.push({ status: 429, body: JSON.stringify({ code: 429001, type: 'Too Many Calls', message: `Key ${KEY} is over its limit` }) });
    const err = await apiError(new WeatherClient({ apiKey: KEY, baseUrl: apis.url }).realtime(1, 2));
    expect(err.message).toContain('HTTP 429 Too Many Requests');
    expect(err.message).toContain('Too Many Calls: Key *** is over its limit');
  });

  it.each([
    ['not JSON', '{"data":', /is not JSON/],
    ['null', 'null', /is not realtime weather: the body should be an object, not null/],
    ['without values', '{"data":{"time":"t"},"location":{"lat":1,"lon":2}}', /data\.values should be an object, not missing/],
    [
      'a temperature as text',
      '{"data":{"time":"t","values":{"temperatureApparent":"hot","weatherCode":1000}},"location":{"lat":1,"lon":2}}',
      /data\.values\.temperatureApparent should be a number from -100 to 100, not "hot"/,
    ],
    [
      'a weather code that is not an integer',
      '{"data":{"time":"t","values":{"temperatureApparent":3,"weatherCode":1000.5}},"location":{"lat":1,"lon":2}}',
      /data\.values\.weatherCode should be an integer, not 1000\.5/,
    ],
    [
      'a huge temperature',
      '{"data":{"time":"t","values":{"temperatureApparent":1e308,"weatherCode":1000}},"location":{"lat":1,"lon":2}}',
      /temperatureApparent should be a number from -100 to 100/,
    ],
  ])('refuses a body that is %s with a clear error', async (_what, body, message) => {
    apis = await startFakeWeatherApis();
    apis.script.push({ status: 200, body });
    const err = await apiError(new WeatherClient({ apiKey: KEY, baseUrl: apis.url }).realtime(1, 2));
    expect(err).toMatchObject({ service: 'Tomorrow.io', reason: 'malformed' });
    expect(err.message).toMatch(message);
  });
});

describe('redact', () => {
  it('hides a key as written and in both URL encodings of it', () => {
    const key = 'a b&c=é+';
    const text = `raw ${key} | ${encodeURIComponent(key)} | ${new URLSearchParams({ apikey: key })}`;
    expect(redact(text, key)).toBe('raw *** | *** | apikey=***');
    expect(redact(text, undefined)).toBe(text);
  });
});

describe("Tomorrow.io's weather codes", () => {
  it('describes the documented codes and says Unknown for others', () => {
    expect(describeWeatherCode(4200)).toBe('Light Rain');
    expect(describeWeatherCode(1000)).toBe('Clear, Sunny');
    expect(describeWeatherCode(8000)).toBe('Thunderstorm');
    expect(describeWeatherCode(1234)).toBe('Unknown');
    expect(Object.keys(WEATHER_CODES)).toHaveLength(24);
  });
});
