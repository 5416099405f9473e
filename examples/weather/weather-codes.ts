/**
 * Tomorrow.io's weather codes (the `weatherCode` reading), in words, as its documentation of the
 * data layers lists them. The weather tool answers with these words rather than the number: the
 * model (and the person reading its answer) understands "Light Rain", not 4200.
 */

/** Each documented weather code and what it means. */
export const WEATHER_CODES: Readonly<Record<number, string>> = Object.freeze({
  0: 'Unknown',
  1000: 'Clear, Sunny',
  1100: 'Mostly Clear',
  1101: 'Partly Cloudy',
  1102: 'Mostly Cloudy',
  1001: 'Cloudy',
  2000: 'Fog',
  2100: 'Light Fog',
  4000: 'Drizzle',
  4001: 'Rain',
  4200: 'Light Rain',
  4201: 'Heavy Rain',
  5000: 'Snow',
  5001: 'Flurries',
  5100: 'Light Snow',
  5101: 'Heavy Snow',
  6000: 'Freezing Drizzle',
  6001: 'Freezing Rain',
  6200: 'Light Freezing Rain',
  6201: 'Heavy Freezing Rain',
  7000: 'Ice Pellets',
  7101: 'Heavy Ice Pellets',
  7102: 'Light Ice Pellets',
  8000: 'Thunderstorm',
});

/** What `code` means; "Unknown" for a code the table does not have (the service may add some). */
export function describeWeatherCode(code: number): string {
  return Object.hasOwn(WEATHER_CODES, code) ? WEATHER_CODES[code]! : 'Unknown';
}
