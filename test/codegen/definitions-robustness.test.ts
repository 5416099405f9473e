/**
 * Issue 10, "no stack traces for definitions": definitions that used to crash the generator
 * (exit 70) now work, or are located problems. Property names that are Object.prototype's own
 * (json-schema-to-typescript read `schema.hasOwnProperty(...)`), lone surrogates (its `$ref`
 * parser percent-encodes every key), a pattern too large for the regular expression engine (a
 * SyntaxError at its first use, in a validator at run time), and definitions file names that
 * cannot be written in an import specifier as they are.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generateFrom, problemLines, yaml } from '../helpers/pipeline.js';
import { readTree } from '../helpers/fs.js';
import { strictTypeErrors } from './support/strict-tsc.js';
import * as awkward from './__snapshots__/keys/validators/types/awkward.js';
import * as constant from './__snapshots__/keys/validators/types/constant.js';
import * as poke from './__snapshots__/keys/validators/tools/poke.js';

const here = path.dirname(new URL(import.meta.url).pathname);

/** The `keys` fixture, read as the e2e test reads it. */
function keysFixture(): Record<string, string> {
  return readTree(path.join(here, 'fixtures/keys'));
}

describe("property names that are Object.prototype's own", () => {
  it('generate (hasOwnProperty broke json-schema-to-typescript)', async () => {
    const result = await generateFrom({
      'defs.yaml': yaml`
        spec: schemantic/v1
        types:
          Weird:
            type: object
            properties:
              hasOwnProperty: { type: string }
              toString: { type: number }
            required: [hasOwnProperty]
      `,
    });
    expect(result.problems).toEqual([]);
    expect(result.files.get('types/defs.ts')).toContain('  hasOwnProperty: string\n  toString?: number\n');
  });

  it('keep every other name, quoted where needed, and type constants that hold them', async () => {
    const result = await generateFrom(keysFixture());
    expect(result.problems).toEqual([]);
    const types = result.files.get('types/defs.ts')!;
    expect(types).toContain('  constructor: number\n');
    expect(types).toContain('  "a b"?: string[]\n');
    expect(types).toContain('export type Constant = ({ "hasOwnProperty": 1; "k\\ud800": [true, "x"] })');
  });

  it('type-check under strict mode', () => {
    expect(strictTypeErrors([path.join(here, '__snapshots__/keys')])).toEqual([]);
  });

  it('are validated like any other name', () => {
    const ok = { hasOwnProperty: 'x', constructor: 1, valueOf: { hasOwnProperty: 2 }, 'x-1': 3 };
    expect(awkward.validateAwkward(ok)).toBe(true);
    expect(awkward.validateAwkward({ constructor: 1 })).toBe(false);
    expect(awkward.validateAwkward.errors!.map((e) => `${e.keyword} ${JSON.stringify(e.params)}`)).toEqual(['required {"missingProperty":"hasOwnProperty"}']);
    expect(poke.validateArgs({ hasOwnProperty: ok, isPrototypeOf: 'a\ud800' })).toBe(true);
    expect(poke.validateArgs({ hasOwnProperty: ok, isPrototypeOf: 'a' })).toBe(false);
    expect(constant.validateConstant({ hasOwnProperty: 1, 'k\ud800': [true, 'x'] })).toBe(true);
    expect(constant.validateConstant({ hasOwnProperty: 1, k: [true, 'x'] })).toBe(false);
  });
});

describe('lone surrogates', () => {
  it('work in names that must be present, constants, enums, descriptions and patterns', async () => {
    const result = await generateFrom({
      'defs.json': JSON.stringify({
        spec: 'schemantic/v1',
        types: {
          A: { type: 'object', description: 'Odd: \ud800.', required: ['\udc00'], properties: { a: { type: 'string', pattern: '^[^\ud800]*$' } } },
          B: { enum: ['x\ud800', { 'k\udc00': 1 }] },
        },
      }),
    });
    expect(result.problems).toEqual([]);
    // What reads back from disk: a lone surrogate cannot be written as UTF-8.
    expect([...result.files.values()].some((text) => /[\ud800-\udfff]/.test(text))).toBe(false);
  });

  it('in a property name are a located problem (validators cannot be compiled for them)', async () => {
    const result = await generateFrom({
      'defs.json':
        '{\n  "spec": "schemantic/v1",\n  "types": {\n    "A": {\n      "type": "object",\n      "properties": { "a\\ud800": { "type": "string" } },\n      "patternProperties": { "^\\udc00": {} }\n    }\n  }\n}\n',
    });
    expect(problemLines(result)).toEqual([
      'invalid-name schemas/defs.json:6:23 /types/A/properties/a\ud800',
      'invalid-name schemas/defs.json:7:30 /types/A/patternProperties/^\udc00',
    ]);
    expect(result.problems[0]!.message).toContain('lone surrogate (U+D800)');
    expect(result.files.size).toBe(0);
  });
});

describe('patterns', () => {
  it('too large for the regular expression engine are a problem at generate time', async () => {
    const pattern = 'x'.repeat(2_000_000);
    // It parses: only running it finds that it cannot be compiled.
    expect(() => new RegExp(pattern, 'u')).not.toThrow();
    expect(() => new RegExp(pattern, 'u').test('')).toThrow(SyntaxError);
    const result = await generateFrom({
      'defs.json': JSON.stringify({ spec: 'schemantic/v1', types: { A: { type: 'string', pattern } } }),
    });
    expect(problemLines(result)).toEqual(['invalid-schema schemas/defs.json:1:65 /types/A/pattern']);
    expect(result.problems[0]!.message).toBe('pattern is not a valid regular expression: Regular expression too large');
    expect(result.files.size).toBe(0);
  });

  it('too deep for its stack are a problem too', async () => {
    const result = await generateFrom({
      'defs.json': JSON.stringify({ spec: 'schemantic/v1', types: { A: { type: 'object', patternProperties: { ['ab?'.repeat(100_000)]: {} } } } }),
    });
    expect(result.problems.map((p) => `${p.code} ${p.pointer.slice(0, 32)}`)).toEqual(['invalid-schema /types/A/patternProperties/ab?ab']);
    expect(result.problems[0]!.message).toMatch(/^patternProperties key is not a valid regular expression: /);
  });
});

/** Every relative import of a generated tree, resolved as Node resolves it (a URL), that names no file of the tree. */
function unresolvedImports(files: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  for (const [file, text] of files) {
    if (!file.endsWith('.ts')) continue;
    for (const m of text.matchAll(/(?:from |import\()("(?:[^"\\]|\\.)*")/g)) {
      const specifier = JSON.parse(m[1]!) as string;
      if (!specifier.startsWith('.')) continue;
      const target = path.posix.relative('/out', fileURLToPath(new URL(specifier, pathToFileURL(`/out/${file}`))));
      const stem = target.replace(/\.js$/, '');
      if (!files.has(`${stem}.ts`) && !files.has(`${stem}.js`)) out.push(`${file}: ${specifier}`);
    }
  }
  return out;
}

describe('definitions file names', () => {
  const money = 'spec: schemantic/v1\ntypes:\n  Money: { type: number }\n';
  const pay = (file: string) =>
    `spec: schemantic/v1\ntools:\n  pay:\n    parameters: { type: object, properties: { m: { $ref: '${file}#/types/Money' } }, required: [m] }\n`;
  // A file whose name holds `#` cannot be named in a $ref (the fragment starts there); its own entries use its types.
  const both = money + 'tools:\n  pay:\n    parameters: { type: object, properties: { m: { $ref: "#/types/Money" } }, required: [m] }\n';

  it.each([['a\\b.yaml'], ['a%20b.yaml'], ['a#b.yaml'], ['a?b.yaml'], ['api.d.yaml'], ['dir\\sub/x.yaml']])('%s gives imports that resolve', async (name) => {
    const result = await generateFrom({ [name]: both });
    expect(result.problems).toEqual([]);
    expect(result.files.get('tools/pay.ts')).toContain('import type { Money } from');
    expect(unresolvedImports(result.files)).toEqual([]);
    expect([...result.files.keys()].filter((f) => f.startsWith('types/'))).toEqual([expect.not.stringMatching(/[\\%#?]|\.d\.ts$/)]);
  });

  it('with a backslash, type-checks written to disk', async () => {
    const result = await generateFrom({ 'a\\b.yaml': money, 'pay.yaml': pay('./a\\b.yaml') });
    const dir = mkdtempSync(path.join(os.tmpdir(), 'schemantic-names-'));
    try {
      writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
      for (const [file, text] of result.files) {
        mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        writeFileSync(path.join(dir, file), text);
      }
      expect(strictTypeErrors([dir])).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('that would share a module with another file are a located problem', async () => {
    const result = await generateFrom({ 'a\\b.yaml': money, 'a_b.yaml': 'spec: schemantic/v1\ntypes:\n  Cash: { type: number }\n' });
    expect(problemLines(result)).toEqual(['name-collision schemas/a\\b.yaml:3:3 /types/Money']);
    expect(result.problems[0]!.message).toContain('would be generated into types/a_b.ts, like those of a_b.yaml');
  });
});
