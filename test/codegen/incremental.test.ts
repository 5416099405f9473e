/**
 * Watch mode reuses generated files whose inputs did not change. After every edit of a sequence
 * (descriptions, shared types, names, new and removed entries, an invalid edit and its fix), the
 * cached pipeline must produce exactly what a fresh run produces.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPipelineCache, runPipeline } from '../../codegen/targets/typescript/pipeline.js';
import { memoryReader } from '../../codegen/compiler/load.js';

const schemas = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../schemas');

type Files = Record<string, string>;
type Edit = [name: string, apply: (files: Files) => Files];

const replace =
  (file: string, from: string | RegExp, to: string): ((files: Files) => Files) =>
  (files) => {
    const text = files[file]!;
    const next = text.replace(from, () => to);
    if (next === text) throw new Error(`edit did not apply to ${file}: ${String(from)}`);
    return { ...files, [file]: next };
  };

const edits: Edit[] = [
  ['an agent instruction', replace('weather.yaml', 'Be concise, reply with one sentence.', 'Be brief.')],
  ['a shared type used across files', replace('common.yaml', "pattern: '^[A-Z]{3}$'", "pattern: '^[A-Z]{3,4}$'")],
  ['a type description seen by tools', replace('weather.yaml', 'description: A position on Earth.', 'description: A point on Earth.')],
  [
    'a new tool used by an agent',
    (f) =>
      replace(
        'weather.yaml',
        'tools: [get_lat_lng, get_weather]',
        'tools: [get_lat_lng, get_weather, get_time]',
      )(
        replace(
          'weather.yaml',
          /\nagents:\n/,
          "\n  get_time:\n    parameters: { type: object, properties: { zone: { type: string } } }\n    returns: { $ref: './common.yaml#/types/CalendarDate' }\n\nagents:\n",
        )(f),
      ),
  ],
  ['an invalid edit', replace('weather.yaml', 'tools: [get_lat_lng, get_weather, get_time]', 'tools: [get_lat_lng, get_weathr, get_time]')],
  ['its fix', replace('weather.yaml', 'get_weathr', 'get_weather')],
  ['a delegation added', replace('bank-support.yaml', 'tools: [customer_balance]', 'tools: [customer_balance, whales]')],
  ['a renamed type and its references', (f) => replace('sql-gen.yaml', /InvalidRequest/g, 'BadRequest')(f)],
  [
    'a moved type (to another file)',
    (f) => {
      const moved = replace('stream-whales.yaml', /\ntypes:\n  Whale:[\s\S]*?required: \[name, length\]\n/, '\n')(f);
      return {
        ...moved,
        'stream-whales.yaml': moved['stream-whales.yaml']!.replace("$ref: '#/types/Whale'", "$ref: './common.yaml#/types/Whale'"),
        'common.yaml':
          moved['common.yaml'] +
          '\n  Whale:\n    type: object\n    properties:\n      name: { type: string }\n      length: { type: number }\n    required: [name, length]\n',
      };
    },
  ],
  [
    'a removed file',
    (f) => {
      const { ['doc-search.yaml']: _removed, ...rest } = f;
      return rest;
    },
  ],
  [
    'an inlined location in another file',
    (f) =>
      replace(
        'sql-gen.yaml',
        "today: { $ref: './common.yaml#/types/CalendarDate' }",
        "today: { $ref: './common.yaml#/types/CalendarDate', description: 'Today.' }",
      )(f),
  ],
  [
    'a reference to a location another file lacks',
    replace(
      'sql-gen.yaml',
      "today: { $ref: './common.yaml#/types/CalendarDate', description: 'Today.' }",
      "today: { $ref: './common.yaml#/types/CalendarDate/examples/0' }",
    ),
  ],
  ['the other file gains it', replace('common.yaml', 'format: date\n', "format: date\n    examples: ['2025-01-10']\n")],
  ['the other file changes it', replace('common.yaml', "examples: ['2025-01-10']", "examples: [{ type: string, const: '2025-01-10' }]")],
  [
    'a location inlined from the same file',
    (f) =>
      replace(
        'weather.yaml',
        'lat: { type: number, minimum: -90, maximum: 90, description: Latitude of the location. }',
        "lat: { $ref: '#/types/LatLng/properties/lat' }",
      )(f),
  ],
  ['the inlined location edited', replace('weather.yaml', 'description: Latitude in degrees.', 'description: Degrees north.')],
];

const expectedProblems: Record<string, string[]> = {
  'an invalid edit': ['unknown-tool'],
  'a reference to a location another file lacks': ['dangling-ref'],
  // `examples[0]` is a string, which is not a schema.
  'the other file gains it': ['dangling-ref'],
};

describe('incremental regeneration', () => {
  it('gives the same tree as a fresh run after every edit', async () => {
    let files: Files = Object.fromEntries(
      readdirSync(schemas)
        .filter((f) => f.endsWith('.yaml'))
        .map((f) => [f, readFileSync(path.join(schemas, f), 'utf8')]),
    );
    const cache = createPipelineCache();
    const first = await runPipeline({ reader: memoryReader(files), displayPrefix: 'schemas', cache });
    expect(first.problems).toEqual([]);
    for (const [name, apply] of edits) {
      files = apply(files);
      const cached = await runPipeline({ reader: memoryReader(files), displayPrefix: 'schemas', cache });
      const fresh = await runPipeline({ reader: memoryReader(files), displayPrefix: 'schemas' });
      expect(cached.problems, name).toEqual(fresh.problems);
      expect([...cached.files.keys()], name).toEqual([...fresh.files.keys()]);
      for (const [file, text] of fresh.files) expect(cached.files.get(file), `${name}: ${file}`).toBe(text);
      expect(
        fresh.problems.map((p) => p.code),
        name,
      ).toEqual(expectedProblems[name] ?? []);
    }
  });
});
