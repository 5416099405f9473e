/**
 * The weather agent's tools, for the examples (`npm start`, `npm run serve`): canned answers, no
 * network. The handlers are typed from the tool schemas. For handlers over APIs shaped like the real
 * ones (geocode.maps.co, Tomorrow.io), replaying recorded answers without a key, see
 * examples/weather/ (`npm run example:weather`).
 */
import type { WeatherTools } from '../generated/agents/weather.js';

/** The handlers of the weather agent's two tools. */
export const weatherTools: WeatherTools<undefined> = {
  getLatLng: async (_ctx, { location_description }) => ({ lat: 51.5, lng: location_description.length > 5 ? -0.12 : -1.99 }),
  getWeather: async (_ctx, { lat, lng }) => ({ temperature: '21 °C', description: `Sunny at ${lat}, ${lng}` }),
};
