/**
 * The weather agent's tool handlers, typed from the tool schemas (`WeatherTools`), over the two
 * API clients in `ctx.deps`. They do what the reference's tools do: take the first place the
 * geocoder matches (and ask the model to try again when it matches none), and turn Tomorrow.io's
 * readings into a temperature and a few words.
 */
import { ModelRetry } from 'schemantic';
import type { WeatherTools } from '../../generated/agents/weather.js';
import { ApiError } from './api-error.js';
import { describeWeatherCode } from './weather-codes.js';
import type { WeatherDeps } from './weather-deps.js';

/** The handlers of `get_lat_lng` and `get_weather`. */
export const weatherHandlers: WeatherTools<WeatherDeps> = {
  getLatLng: async (ctx, { location_description }) => {
    const places = await ctx.deps.geocoding.search(location_description, { signal: ctx.signal });
    const best = places[0];
    // The model can fix this one (a misspelling, a made-up place): it gets the message and another try.
    if (best === undefined)
      throw new ModelRetry(`Could not find the location ${JSON.stringify(location_description)}: describe it another way, or tell the user.`);
    return { lat: best.lat, lng: best.lng };
  },

  getWeather: async (ctx, { lat, lng }) => {
    try {
      const now = await ctx.deps.weather.realtime(lat, lng, { signal: ctx.signal });
      // Math.round(-0.2) is -0, which would print as "-0 °C".
      const degrees = Math.round(now.values.temperatureApparent) || 0;
      return { temperature: `${degrees} °C`, description: describeWeatherCode(now.values.weatherCode) };
    } catch (err) {
      // A 400 means the service refused the location the model passed: the model may pass another.
      // Anything else (a bad key, the service down) is not the model's to fix, and ends the run.
      if (err instanceof ApiError && err.status === 400) throw new ModelRetry(`${err.service} refused the location ${lat},${lng}: ${err.detail || 'HTTP 400'}`);
      throw err;
    }
  },
};
