/**
 * The recorded API answers the weather example replays when no key is set (recordings/*.json; see
 * recordings/README.md for the format). Loading checks each file, so that a broken or hostile
 * recording is refused up front with its file name, not served half-read.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expectInteger, expectObject, expectString, ShapeError } from './json-shape.js';

/** Where the shipped recordings are. */
export const RECORDINGS_DIR = fileURLToPath(new URL('./recordings/', import.meta.url));

/** The query parameters that carry API keys: never in a recording, ignored when matching. */
export const KEY_PARAMS: readonly string[] = ['api_key', 'apikey'];

/** One recorded exchange. */
export interface Recording {
  /** The file it came from, for messages. */
  readonly file: string;
  readonly method: string;
  /** The request's URL, key-free. */
  readonly url: URL;
  /** Answers any request to the same origin and path that no other recording matched. */
  readonly fallback: boolean;
  readonly status: number;
  /** The JSON body of the answer. */
  readonly body: unknown;
}

/** A recording file that cannot be used; the message names the file and what is wrong. */
export class RecordingError extends Error {
  override name = 'RecordingError';
}

/** Every `*.json` file of `dir`, in name order, checked. */
export async function loadRecordings(dir: string = RECORDINGS_DIR): Promise<Recording[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort();
  } catch (err) {
    throw new RecordingError(`cannot read the recordings in ${dir}: ${(err as Error).message}`);
  }
  if (names.length === 0) throw new RecordingError(`there are no recordings (*.json) in ${dir}`);
  return Promise.all(names.map(async (name) => parseRecording(await readFile(join(dir, name), 'utf8'), name)));
}

/** One recording from its file's text; `file` names it in errors. */
export function parseRecording(text: string, file: string): Recording {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new RecordingError(`recording ${file} is not JSON: ${(err as Error).message}`);
  }
  try {
    const root = expectObject(json, '');
    const request = expectObject(root['request'], 'request');
    const response = expectObject(root['response'], 'response');
    const method = expectString(request['method'] ?? 'GET', 'request.method').toUpperCase();
    const url = parseUrl(expectString(request['url'], 'request.url'), file);
    const status = expectInteger(response['status'], 'response.status', 200, 599);
    if (!('body' in response)) throw new ShapeError('response.body', 'the JSON the service answers', undefined);
    if (root['fallback'] !== undefined && typeof root['fallback'] !== 'boolean') throw new ShapeError('fallback', 'true or false', root['fallback']);
    return { file, method, url, fallback: root['fallback'] === true, status, body: response['body'] };
  } catch (err) {
    if (err instanceof ShapeError) throw new RecordingError(`recording ${file}: ${err.message}`);
    throw err;
  }
}

function parseUrl(text: string, file: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new RecordingError(`recording ${file}: request.url ${JSON.stringify(text.slice(0, 100))} is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new RecordingError(`recording ${file}: request.url should be http(s), not ${url.protocol}`);
  const key = KEY_PARAMS.find((p) => url.searchParams.has(p));
  // Recordings are committed: one that holds a key would publish it.
  if (key !== undefined) throw new RecordingError(`recording ${file}: request.url holds an API key (${key}=...); recordings must be key-free`);
  return url;
}
