/**
 * Review of the weather example's clients: a key the service echoes must not leak in part when the
 * error text is shortened (the 200-character line of an error body, the 80-character quote of a
 * body that is not JSON, the 40-character quote of a malformed field).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../examples/weather/api-error.js';
import { GeocodingClient } from '../../examples/weather/geocoding-client.js';
import { WeatherClient } from '../../examples/weather/weather-client.js';
import { startFakeWeatherApis, type FakeWeatherApis } from './weather-fake-apis.js';

const KEY = 'wk-canary-7e1d0c3b9a-do-not-leak';

let apis: FakeWeatherApis | undefined;
afterEach(() => apis?.close());

/** Everything an error shows (message, stack, fields), checked for any 8 characters of the key in a row. */
async function leakFree(promise: Promise<unknown>): Promise<ApiError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  const everything = `${inspect(err, { depth: 5 })}\n${(err as Error).stack}\n${JSON.stringify(err)}`;
  for (let i = 0; i + 8 <= KEY.length; i++) expect(everything, `key piece ${KEY.slice(i, i + 8)}`).not.toContain(KEY.slice(i, i + 8));
  return err as ApiError;
}

describe('weather clients: no piece of the key in a shortened error', () => {
  it('an error body echoing the key across the 200-character cut', async () => {
    apis = await startFakeWeatherApis();
    // The key starts at character 180 of the body's line: the cut at 200 falls inside it.
    apis.script.push({ status: 500, body: `${'x'.repeat(170)} apikey=${KEY} and more text after it` });
    const err = await leakFree(new WeatherClient({ apiKey: KEY, baseUrl: apis.url }).realtime(1, 2));
    expect(err).toMatchObject({ reason: 'http', status: 500 });
  });

  it('a body that is not JSON, echoing the key across the 80-character quote', async () => {
    apis = await startFakeWeatherApis();
    apis.script.push({ status: 200, body: `${'y'.repeat(60)}${KEY} (not JSON)` });
    const err = await leakFree(new GeocodingClient({ apiKey: KEY, baseUrl: apis.url }).search('London'));
    expect(err.reason).toBe('malformed');
  });

  it('a malformed field echoing the key past the 40-character quote', async () => {
    apis = await startFakeWeatherApis();
    apis.script.push({ status: 200, body: JSON.stringify([{ lat: `bad latitude from ${KEY}`, lon: '0', display_name: 'x' }]) });
    const err = await leakFree(new GeocodingClient({ apiKey: KEY, baseUrl: apis.url }).search('London'));
    expect(err.reason).toBe('malformed');
  });

  it('a status line (reason phrase) echoing the key', async () => {
    const server = createServer((_req, res) => res.writeHead(401, `Bad key ${KEY}`).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const err = await leakFree(new WeatherClient({ apiKey: KEY, baseUrl: url }).realtime(1, 2));
      expect(err).toMatchObject({ reason: 'http', status: 401 });
      expect(err.message).toContain('HTTP 401 Bad key ***');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
