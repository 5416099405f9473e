/**
 * Typed embedding sizes: a definitions array of numbers marked `x-embedding` (its size its
 * `minItems`/`maxItems`) is declared `schemantic.Embedding<N>`, in named types, tool arguments and
 * MCP tools alike; an embedder made with that size produces vectors assignable to it without a
 * cast, and one of another size (or a plain `number[]`) is a type error. The validator still
 * checks the length, and a malformed marker is a located problem.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateFrom, problemLines, yaml } from '../helpers/pipeline.js';
import { strictTypeErrors } from './support/strict-tsc.js';

const definitions = yaml`
  spec: schemantic/v1
  types:
    Chunk:
      type: object
      properties:
        text: { type: string }
        embedding:
          description: The text's embedding.
          type: array
          items: { type: number }
          minItems: 1536
          maxItems: 1536
          x-embedding: true
        pair: { type: array, items: { type: number }, minItems: 2, maxItems: 2 }
      required: [text, embedding, pair]
    SmallVector: { type: array, items: { type: number }, minItems: 768, maxItems: 768, x-embedding: true }
  tools:
    nearest:
      description: The chunks nearest to a vector.
      parameters:
        type: object
        properties:
          vector: { type: array, items: { type: number }, minItems: 1536, maxItems: 1536, x-embedding: true }
        required: [vector]
      returns: { type: array, items: { $ref: '#/types/Chunk' } }
`;

/** A program using the generated types: what must compile, and (marked) what must not. */
const usage = `
import { DeterministicEmbedder, type Embedding } from 'schemantic';
import { OpenAIEmbedder } from 'schemantic/openai';
import { GoogleEmbedder } from 'schemantic/google';
import type { Chunk, SmallVector } from './types/defs.js';
import type { NearestArgs } from './tools/nearest.js';

export async function accepted(): Promise<[Chunk, NearestArgs, SmallVector]> {
  const [deterministic] = (await new DeterministicEmbedder({ dimensions: 1536 }).embed(['a'])).embeddings;
  const [openai] = (await new OpenAIEmbedder({ dimensions: 1536 }).embed(['a'])).embeddings;
  const [gemini] = (await new GoogleEmbedder({ dimensions: 768 }).embed(['a'])).embeddings;
  const [byDefault] = (await new DeterministicEmbedder().embed(['a'])).embeddings;
  const unsized: Embedding = deterministic!;
  void unsized;
  return [{ text: 'a', embedding: openai!, pair: [1, 2] }, { vector: byDefault ?? deterministic! }, gemini!];
}

export async function rejected(): Promise<unknown[]> {
  const [small] = (await new DeterministicEmbedder({ dimensions: 768 }).embed(['a'])).embeddings;
  const [unknownSize] = (await new OpenAIEmbedder().embed(['a'])).embeddings;
  const plain: number[] = [0.1, 0.2];
  return [
    { text: 'a', embedding: small!, pair: [1, 2] } satisfies Chunk, // REJECT 768
    { vector: unknownSize! } satisfies NearestArgs, // REJECT unsized
    { text: 'a', embedding: plain, pair: [1, 2] } satisfies Chunk, // REJECT plain
  ];
}
`;

describe('typed embedding sizes', () => {
  it('declares marked arrays as schemantic.Embedding<N>, importing the namespace where the module has none', async () => {
    const result = await generateFrom({ 'defs.yaml': definitions });
    expect(result.problems).toEqual([]);
    const types = result.files.get('types/defs.ts')!;
    expect(types).toContain('import type * as schemantic from "schemantic";');
    expect(types).toContain('  embedding: schemantic.Embedding<1536>\n');
    expect(types).toContain('export type SmallVector = schemantic.Embedding<768>\n');
    // A fixed-length list of numbers without the marker is no embedding.
    expect(types).toContain('  pair: number[]\n');
    expect(result.files.get('tools/nearest.ts')).toContain('  vector: schemantic.Embedding<1536>\n');
    // The validator still checks the length.
    const validator = result.files.get('validators/types/chunk.js')!;
    expect(validator).toContain('.length > 1536)');
    expect(validator).toContain('.length < 1536)');
    await expect(types).toMatchFileSnapshot('./__snapshots__/embeddings/types/defs.ts');
  });

  it('leaves modules without embeddings as they were (no namespace import)', async () => {
    const result = await generateFrom({
      'defs.yaml': 'spec: schemantic/v1\ntypes:\n  Pair: { type: array, items: { type: number }, minItems: 2, maxItems: 2 }\n',
    });
    expect(result.files.get('types/defs.ts')).not.toContain('import');
    expect(result.files.get('types/defs.ts')).toContain('export type Pair = number[]');
  });

  it('accepts vectors of the declared size without casts, and rejects other sizes, unsized and plain arrays', async () => {
    const result = await generateFrom({ 'defs.yaml': definitions });
    const dir = mkdtempSync(path.join(os.tmpdir(), 'schemantic-embedding-'));
    try {
      for (const [file, text] of result.files) {
        if (!file.endsWith('.ts')) continue;
        mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        writeFileSync(path.join(dir, file), text);
      }
      writeFileSync(path.join(dir, 'use.ts'), usage);
      // ES modules, as in an application's package.
      writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
      // The compiler's messages, their continuation lines left out.
      const errors = strictTypeErrors([dir]).filter((l) => l.includes('error TS'));
      const lines = usage.split('\n');
      const rejectLines = lines.flatMap((l, i) => (l.includes('// REJECT') ? [i + 1] : []));
      // Exactly one error per marked line, all in use.ts, none in the generated modules.
      expect(errors.map((e) => /use\.ts\((\d+),/.exec(e)?.[1]).map(Number)).toEqual(rejectLines);
      expect(errors.every((e) => e.includes('error TS2322'))).toBe(true);
      expect(errors[0]).toContain("Type 'readonly number[] & { readonly [dimensionsBrand]: 768; }' is not assignable");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports a marker on a schema that is not a fixed-size array of numbers, where it is written', async () => {
    const result = await generateFrom({
      'defs.yaml': yaml`
        spec: schemantic/v1
        types:
          Loose: { type: array, items: { type: number }, minItems: 1, x-embedding: true }
          Words: { type: array, items: { type: string }, minItems: 4, maxItems: 4, x-embedding: true }
          Odd: { type: array, items: { type: number }, minItems: 4, maxItems: 4, x-embedding: 4 }
          Off: { type: array, items: { type: number }, x-embedding: false }
      `,
    });
    expect(problemLines(result)).toEqual([
      'invalid-schema schemas/defs.yaml:3:63 /types/Loose/x-embedding',
      'invalid-schema schemas/defs.yaml:4:76 /types/Words/x-embedding',
      'invalid-schema schemas/defs.yaml:5:74 /types/Odd/x-embedding',
    ]);
    expect(result.problems.map((p) => p.message)).toEqual([
      'an embedding is written {type: array, items: {type: number}, minItems: N, maxItems: N}: minItems and maxItems must be the same positive integer, the size',
      'an embedding is written {type: array, items: {type: number}, minItems: N, maxItems: N}: items must be {type: number}',
      'x-embedding is true or false, not 4',
    ]);
  });
});
