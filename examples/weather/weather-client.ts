/**
 * A thin client of Tomorrow.io's realtime weather (`GET /v4/weather/realtime?location=lat,lng&
 * units=metric&apikey=...`), the service the reference's weather example calls. It answers
 * `{ data: { time, values: {...} }, location: {...} }`, with `values` holding some twenty
 * readings; this client checks the ones the example uses and passes the rest along untyped.
 */
import { ApiError, redact } from './api-error.js';
import { endpoint } from './endpoint.js';
import { expectInteger, expectNumber, expectObject, expectString, optionalNumber, ShapeError } from './json-shape.js';
import { requestJson } from './request-json.js';

/** The service's name in errors. */
export const WEATHER_SERVICE = 'Tomorrow.io';

/** The real service. */
export const WEATHER_BASE_URL = 'https://api.tomorrow.io';

/** The weather now at one place, in metric units. */
export interface RealtimeWeather {
  /** When the readings were taken (ISO 8601). */
  readonly time: string;
  readonly values: {
    /** What the temperature feels like, °C. */
    readonly temperatureApparent: number;
    /** One of Tomorrow.io's weather codes (see weather-codes.ts). */
    readonly weatherCode: number;
    /** Air temperature, °C. */
    readonly temperature: number | undefined;
    /** Relative humidity, %. */
    readonly humidity: number | undefined;
    /** Wind speed, m/s. */
    readonly windSpeed: number | undefined;
    /** Every reading the service sent, as sent. */
    readonly all: Readonly<Record<string, unknown>>;
  };
  /** Where the readings are for, as the service resolved the location. */
  readonly location: { readonly lat: number; readonly lon: number; readonly name: string | undefined };
}

/** Options of {@link WeatherClient}. */
export interface WeatherClientOptions {
  /** The API key (sent as `apikey`); the replayed recordings need none. */
  readonly apiKey?: string | undefined;
  /** Where the service is (default {@link WEATHER_BASE_URL}). */
  readonly baseUrl?: string | URL | undefined;
  /** The `fetch` to call it with (default the global one). */
  readonly fetch?: typeof fetch | undefined;
  /** How long to wait for an answer (default 15 s). */
  readonly timeoutMs?: number | undefined;
}

/** Reads the weather now at a position from Tomorrow.io. */
export class WeatherClient {
  private readonly apiKey: string | undefined;
  private readonly realtimeUrl: URL;
  private readonly fetch: typeof fetch;
  private readonly timeoutMs: number;

  constructor(options: WeatherClientOptions = {}) {
    this.apiKey = options.apiKey || undefined;
    this.realtimeUrl = endpoint(options.baseUrl ?? WEATHER_BASE_URL, 'v4/weather/realtime');
    this.fetch = options.fetch ?? globalThis.fetch;
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  /** The weather now at (`lat`, `lng`), metric. */
  async realtime(lat: number, lng: number, options: { signal?: AbortSignal | undefined } = {}): Promise<RealtimeWeather> {
    const url = new URL(this.realtimeUrl);
    url.searchParams.set('location', `${lat},${lng}`);
    url.searchParams.set('units', 'metric');
    if (this.apiKey !== undefined) url.searchParams.set('apikey', this.apiKey);
    const body = await requestJson({
      service: WEATHER_SERVICE,
      url,
      secret: this.apiKey,
      fetch: this.fetch,
      timeoutMs: this.timeoutMs,
      signal: options.signal,
    });
    try {
      return realtimeWeather(body);
    } catch (err) {
      if (!(err instanceof ShapeError)) throw err;
      const where = redact(url.toString(), this.apiKey);
      throw new ApiError(WEATHER_SERVICE, 'malformed', redact(`the answer to GET ${where} is not realtime weather: ${err.message}`, this.apiKey));
    }
  }
}

/** The answer, checked. */
function realtimeWeather(body: unknown): RealtimeWeather {
  const root = expectObject(body, '');
  const data = expectObject(root['data'], 'data');
  const values = expectObject(data['values'], 'data.values');
  const location = expectObject(root['location'], 'location');
  return {
    time: expectString(data['time'], 'data.time'),
    values: {
      // Beyond ±100 °C a reading is a broken body, not weather.
      temperatureApparent: expectNumber(values['temperatureApparent'], 'data.values.temperatureApparent', -100, 100),
      weatherCode: expectInteger(values['weatherCode'], 'data.values.weatherCode', 0),
      temperature: optionalNumber(values['temperature'], 'data.values.temperature'),
      humidity: optionalNumber(values['humidity'], 'data.values.humidity'),
      windSpeed: optionalNumber(values['windSpeed'], 'data.values.windSpeed'),
      all: values,
    },
    location: {
      lat: expectNumber(location['lat'], 'location.lat', -90, 90),
      lon: expectNumber(location['lon'], 'location.lon', -180, 180),
      name: typeof location['name'] === 'string' ? location['name'] : undefined,
    },
  };
}
