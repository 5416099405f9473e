/**
 * Where an API's endpoint is, given the service's base URL (configurable, so that a test server or
 * a proxy can stand in for the real service).
 */

/**
 * `path` under `base`, keeping a path the base already has (`http://host/geo` + `search` is
 * `http://host/geo/search`; a plain `new URL('/search', base)` would drop `/geo`). Any query or
 * fragment of the base is dropped: the clients build the query themselves.
 */
export function endpoint(base: string | URL, path: string): URL {
  const url = new URL(base);
  url.search = '';
  url.hash = '';
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return new URL(path, url);
}
