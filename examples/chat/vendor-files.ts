/**
 * The two browser libraries the page imports, served from this repository's node_modules at fixed
 * routes (no CDN, no build step): `marked` turns the reply's markdown into HTML, `DOMPurify` cleans
 * that HTML before it reaches the page.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** The route of each file the page imports, and where it is on disk. */
const FILES: Readonly<Record<string, string>> = {
  '/vendor/marked.esm.js': '../../node_modules/marked/lib/marked.esm.js',
  '/vendor/purify.es.mjs': '../../node_modules/dompurify/dist/purify.es.mjs',
};

const cache = new Map<string, Promise<string>>();

/** The text of the file served at `route`, or undefined when no file is served there. */
export function vendorFile(route: string): Promise<string> | undefined {
  const relative = Object.hasOwn(FILES, route) ? FILES[route] : undefined;
  if (relative === undefined) return undefined;
  let text = cache.get(route);
  if (!text) {
    // The trailing source map comment is dropped: the maps are not served, and a browser with its
    // developer tools open would report each missing one.
    text = readFile(fileURLToPath(new URL(relative, import.meta.url)), 'utf8').then((source) => source.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n'));
    // A failed read is not cached: the next request tries again.
    text.catch(() => cache.delete(route));
    cache.set(route, text);
  }
  return text;
}
