/**
 * A thin client of geocode.maps.co's forward geocoding (`GET /search?q=...&api_key=...`), the
 * service the reference's weather example calls. The service answers a JSON array of matching
 * places, best first, with coordinates as decimal strings; an empty array when it knows no such
 * place. This client builds that request, checks the answer's shape and gives the places back
 * with numeric coordinates.
 */
import { ApiError, redact } from './api-error.js';
import { endpoint } from './endpoint.js';
import { expectArray, expectNumberString, expectObject, expectString, optionalNumber, ShapeError } from './json-shape.js';
import { requestJson } from './request-json.js';

/** The service's name in errors. */
export const GEOCODING_SERVICE = 'geocode.maps.co';

/** The real service. */
export const GEOCODING_BASE_URL = 'https://geocode.maps.co';

/** One place the service matched. */
export interface GeocodedPlace {
  /** The place's full name (`London, Greater London, England, United Kingdom`). */
  readonly displayName: string;
  /** Latitude in degrees. */
  readonly lat: number;
  /** Longitude in degrees (the service calls it `lon`). */
  readonly lng: number;
  /** What kind of place (`city`, `county`...), when the service says. */
  readonly type: string | undefined;
  /** How prominent the place is (0 to 1), when the service says. */
  readonly importance: number | undefined;
}

/** Options of {@link GeocodingClient}. */
export interface GeocodingClientOptions {
  /** The API key (sent as `api_key`); the replayed recordings need none. */
  readonly apiKey?: string | undefined;
  /** Where the service is (default {@link GEOCODING_BASE_URL}); a test server, say. */
  readonly baseUrl?: string | URL | undefined;
  /** The `fetch` to call it with (default the global one; a replay in the example without a key). */
  readonly fetch?: typeof fetch | undefined;
  /** How long to wait for an answer (default 15 s). */
  readonly timeoutMs?: number | undefined;
}

/** Looks places up by name on geocode.maps.co. */
export class GeocodingClient {
  private readonly apiKey: string | undefined;
  private readonly searchUrl: URL;
  private readonly fetch: typeof fetch;
  private readonly timeoutMs: number;

  constructor(options: GeocodingClientOptions = {}) {
    this.apiKey = options.apiKey || undefined;
    this.searchUrl = endpoint(options.baseUrl ?? GEOCODING_BASE_URL, 'search');
    this.fetch = options.fetch ?? globalThis.fetch;
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  /** The places matching `query`, best first (none when the service knows no such place). */
  async search(query: string, options: { signal?: AbortSignal | undefined } = {}): Promise<GeocodedPlace[]> {
    const url = new URL(this.searchUrl);
    url.searchParams.set('q', query);
    if (this.apiKey !== undefined) url.searchParams.set('api_key', this.apiKey);
    const body = await requestJson({
      service: GEOCODING_SERVICE,
      url,
      secret: this.apiKey,
      fetch: this.fetch,
      timeoutMs: this.timeoutMs,
      signal: options.signal,
    });
    try {
      return expectArray(body, '').map((item, i) => place(item, `[${i}]`));
    } catch (err) {
      if (!(err instanceof ShapeError)) throw err;
      const where = redact(url.toString(), this.apiKey);
      throw new ApiError(GEOCODING_SERVICE, 'malformed', redact(`the answer to GET ${where} is not a list of places: ${err.message}`, this.apiKey));
    }
  }
}

/** One element of the answer, checked. */
function place(item: unknown, path: string): GeocodedPlace {
  const o = expectObject(item, path);
  return {
    displayName: expectString(o['display_name'], `${path}.display_name`),
    lat: expectNumberString(o['lat'], `${path}.lat`, -90, 90),
    lng: expectNumberString(o['lon'], `${path}.lon`, -180, 180),
    type: typeof o['type'] === 'string' ? o['type'] : undefined,
    importance: optionalNumber(o['importance'], `${path}.importance`),
  };
}
