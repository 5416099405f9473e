/**
 * The fast path of the load stage (js-yaml, fast-parse.ts) must give exactly what the `yaml` path
 * (parseSource) gives, or decline; and the positions of a file it parsed, built on first use, must
 * be those the `yaml` path indexes at once.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { schemanticCorpus } from '../../../bench/corpus.js';
import { fastParse } from '../../../codegen/compiler/fast-parse.js';
import { load, memoryReader, parseDefinitions, parseSource, type LoadedFile } from '../../../codegen/compiler/load.js';
import { escapePointerSegment } from '../../../codegen/compiler/problems.js';
import { createPipelineCache, runPipeline } from '../../../codegen/targets/typescript/pipeline.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');

/** Every definitions-like file (YAML or JSON) under schemas/ and under any fixtures/ folder of test/. */
function repositoryFiles(): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string, inFixtures: boolean): void => {
    for (const e of readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const child = `${rel}/${e.name}`;
      if (e.isDirectory()) walk(child, inFixtures || e.name === 'fixtures');
      else if (inFixtures && /\.(ya?ml|json)$/i.test(e.name)) out[child] = readFileSync(path.join(root, child), 'utf8');
    }
  };
  walk('schemas', true);
  walk('test', false);
  return out;
}

/**
 * Recorded provider traffic (test/fixtures/providers/) is YAML a generator never reads: some of
 * it uses what definitions never do (`!!binary` AWS event streams, long reasoning texts), which the
 * fast path rightly declines. Those files are checked for the same value either way, not for the
 * fast path taking them.
 */
const isRecording = (name: string): boolean => name.startsWith('test/fixtures/providers/');
const everything = repositoryFiles();
const repository = Object.fromEntries(Object.entries(everything).filter(([name]) => !isRecording(name)));
const recordings = Object.fromEntries(Object.entries(everything).filter(([name]) => isRecording(name)));
const corpus = schemanticCorpus();

/** The `yaml` path's result for `text`. */
function exact(text: string): { file: LoadedFile; problems: unknown[] } {
  return parseSource('f.yaml', 'f.yaml', text);
}

/**
 * Same values: same types, -0 apart from 0 (isDeepStrictEqual), and the same key order. (Not
 * toStrictEqual: it compares the `constructor` property, which some fixtures have as a key.)
 */
function expectIdentical(actual: unknown, expected: unknown): void {
  expect(actual).toEqual(expected);
  expect(isDeepStrictEqual(actual, expected)).toBe(true);
  expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
}

/**
 * Parses `text` both ways. When the fast path takes it, its value must be the `yaml` path's and
 * the `yaml` path must find no problem; either way parseDefinitions (what load uses) must give the
 * `yaml` path's value and problems. Says which way it went.
 */
function compare(text: string): 'fast' | 'declined' {
  const slow = exact(text);
  const fast = fastParse(text.replace(/^\uFEFF/, ''));
  const used = parseDefinitions('f.yaml', 'f.yaml', text);
  expectIdentical(used.file.value, slow.file.value);
  expect(used.problems).toEqual(slow.problems);
  if ('declined' in fast) return 'declined';
  expect(slow.problems).toEqual([]);
  expectIdentical(fast.value, slow.file.value);
  return 'fast';
}

/** Every pointer of a value, with the value there. */
function nodes(value: unknown, pointer = ''): [pointer: string, value: unknown, parent: 'object' | 'array' | 'root'][] {
  const out: [string, unknown, 'object' | 'array' | 'root'][] = [[pointer, value, 'root']];
  const visit = (v: unknown, p: string): void => {
    if (Array.isArray(v))
      v.forEach((x, i) => {
        out.push([`${p}/${i}`, x, 'array']);
        visit(x, `${p}/${i}`);
      });
    else if (v !== null && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) {
        out.push([`${p}/${escapePointerSegment(k)}`, x, 'object']);
        visit(x, `${p}/${escapePointerSegment(k)}`);
      }
  };
  visit(value, pointer);
  return out;
}

/**
 * The positions of `text` parsed by the fast path equal those of the eager index, for every
 * pointer: keys and sequence items first (all answered without the slow parse when `quickKeys`,
 * some not when it is false, not checked when undefined), then values, braces, and pointers that
 * do not exist.
 */
function expectSamePositions(text: string, quickKeys?: boolean): void {
  const eager = exact(text).file;
  const lazy = parseDefinitions('f.yaml', 'f.yaml', text).file;
  expect(lazy.positions.built).toBe(false);
  const all = nodes(eager.value);
  for (const [pointer, , parent] of all)
    if (parent !== 'root') expect([pointer, lazy.positions.find(pointer, 'key')]).toEqual([pointer, eager.positions.find(pointer, 'key')]);
  if (quickKeys !== undefined) expect(lazy.positions.built).toBe(!quickKeys);
  for (const [pointer, value] of all) {
    expect([pointer, lazy.positions.find(pointer, 'key')]).toEqual([pointer, eager.positions.find(pointer, 'key')]);
    expect([pointer, lazy.positions.find(pointer)]).toEqual([pointer, eager.positions.find(pointer)]);
    if (typeof value === 'string')
      for (let i = value.indexOf('{'); i >= 0; i = value.indexOf('{', i + 1))
        expect([pointer, i, lazy.positions.findBrace(pointer, value, i)]).toEqual([pointer, i, eager.positions.findBrace(pointer, value, i)]);
  }
  for (const missing of ['/nope', '/agents/nope/model', '/types/~2', '/0/x'])
    expect(lazy.positions.find(missing, 'key')).toEqual(eager.positions.find(missing, 'key'));
  expect(lazy.positions.built).toBe(true);
}

describe('the fast path on real files', () => {
  it('finds the files it is meant to check', () => {
    expect(Object.keys(repository).length).toBeGreaterThan(25);
    expect(Object.keys(recordings).length).toBeGreaterThan(100);
    expect(Object.keys(repository)).toContain('schemas/meta/definitions.schema.json');
    expect(Object.keys(corpus)).toHaveLength(20);
  });

  it.each(Object.keys(repository))('takes %s, with the value the yaml path gives', (name) => {
    expect(compare(repository[name]!)).toBe('fast');
  });

  it.each(Object.keys(recordings))('reads recording %s to the value the yaml path gives, taken or declined', (name) => {
    expect(['fast', 'declined']).toContain(compare(recordings[name]!));
  });

  it.each(Object.keys(corpus))('takes benchmark %s, with the value the yaml path gives', (name) => {
    expect(compare(corpus[name]!)).toBe('fast');
  });

  it.each(Object.keys(repository))('gives the positions of %s as the eager index does', (name) => {
    expectSamePositions(repository[name]!, true);
  });

  it('gives the positions of a benchmark file as the eager index does', () => {
    expectSamePositions(corpus['team-07.yaml']!, true);
  });

  it('gives the positions of a file with Windows line ends and a byte-order mark', () => {
    const text = '\uFEFF' + readFileSync(path.join(root, 'schemas/flight-booking.yaml'), 'utf8').replace(/\n/g, '\r\n');
    expect(compare(text)).toBe('fast');
    expectSamePositions(text, true);
  });
});

/**
 * Where YAML 1.2 core (the `yaml` path) and js-yaml might read a text differently. Each case says
 * what the fast path does with it: `fast` (then the value is checked against the `yaml` path's,
 * and `value` when given), or `declined` (the `yaml` path reads it, with its problems).
 */
const adversarial: [name: string, text: string, outcome: 'fast' | 'declined', value?: unknown][] = [
  // Numbers: the `yaml` package's core tags decide, not js-yaml's CORE_SCHEMA.
  ['an exponent', 'a: 1e3\nb: 1E-3\nc: -2.5e+2\n', 'fast', { a: 1000, b: 0.001, c: -250 }],
  ['an octal with 0o', 'a: 0o17\n', 'fast', { a: 15 }],
  ['a leading zero (decimal in YAML 1.2)', 'a: 017\nb: 0009\n', 'fast', { a: 17, b: 9 }],
  ['hexadecimal', 'a: 0x1F\nb: 0xff\n', 'fast', { a: 31, b: 255 }],
  ['a signed hexadecimal (a string in 1.2 core, a number for js-yaml)', 'a: -0x1F\nb: +0x1F\nc: -0o17\n', 'fast', { a: '-0x1F', b: '+0x1F', c: '-0o17' }],
  ['binary (a string in 1.2 core)', 'a: 0b101\n', 'fast', { a: '0b101' }],
  ['underscores (a string in 1.2 core)', 'a: 1_000\nb: 1_0.5\n', 'fast', { a: '1_000', b: '1_0.5' }],
  ['a signed fraction without a leading digit', 'a: -.5\nb: +.5\nc: .5\nd: 1.\n', 'fast', { a: -0.5, b: 0.5, c: 0.5, d: 1 }],
  ['negative zero', 'a: -0\nb: -0.0\nc: +0\n', 'fast', { a: -0, b: -0, c: 0 }],
  ['an integer beyond 2^53', 'a: 12345678901234567890\n', 'fast', { a: 12345678901234567890 }],
  ['infinity (not JSON: the yaml path reports it)', 'a: +.inf\n', 'declined'],
  ['negative infinity', 'a: -.Inf\n', 'declined'],
  ['not a number', 'a: .NaN\n', 'declined'],
  ['a number too large for a double', 'a: 1e400\n', 'declined'],
  ['infinity in JSON', '{"a": 1e400}', 'declined'],
  [
    'sexagesimal and timestamps (YAML 1.1 only)',
    'a: 12:30\nb: 2001-12-14\nc: 2001-12-14t21:59:43.10-05:00\n',
    'fast',
    { a: '12:30', b: '2001-12-14', c: '2001-12-14t21:59:43.10-05:00' },
  ],
  // Null and booleans.
  ['the spellings of null', 'a: ~\nb: null\nc: Null\nd: NULL\ne:\nf: nULL\n', 'fast', { a: null, b: null, c: null, d: null, e: null, f: 'nULL' }],
  ['the spellings of booleans', 'a: true\nb: True\nc: TRUE\nd: false\ne: tRUE\n', 'fast', { a: true, b: true, c: true, d: false, e: 'tRUE' }],
  ['YAML 1.1 booleans (strings in 1.2)', 'a: yes\nb: no\nc: on\nd: off\ne: y\nf: n\n', 'fast', { a: 'yes', b: 'no', c: 'on', d: 'off', e: 'y', f: 'n' }],
  ['quoted scalars stay strings', 'a: "1"\nb: \'true\'\nc: "~"\n', 'fast', { a: '1', b: 'true', c: '~' }],
  // Tags.
  ['!!str', 'a: !!str 1\n', 'declined'],
  ['!!int on a quoted scalar', 'a: !!int "1"\n', 'declined'],
  ['!!float', 'a: !!float 1\n', 'declined'],
  ['the non-specific tag', 'a: ! 1\n', 'declined'],
  ['the non-specific tag on a key', '! a: 1\n', 'declined'],
  ['a verbatim tag', 'a: !<tag:yaml.org,2002:str> 1\n', 'declined'],
  ['the verbatim ? tag', 'a: !<?> "1"\n', 'declined'],
  ['a local tag', 'a: !custom x\n', 'declined'],
  ['!!binary', 'a: !!binary aGVsbG8=\n', 'declined'],
  ['!!timestamp', 'a: !!timestamp 2001-12-14\n', 'declined'],
  ['!!map and !!seq', 'a: !!map {b: 1}\nc: !!seq [1]\n', 'declined'],
  ['!!set', 'a: !!set {b, c}\n', 'declined'],
  // Anchors and aliases: shared objects there, copies with an alias budget in the yaml path.
  ['an alias of a mapping', 'a: &x {b: 1}\nc: *x\n', 'declined'],
  ['an alias of a scalar', 'a: &x 1\nb: *x\n', 'declined'],
  ['an unused anchor', 'a: &x 1\n', 'declined'],
  ['an alias as a key', 'a: &k b\n*k : 1\n', 'declined'],
  ['a billion laughs', `a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\nd: [*c, *c]\n`, 'declined'],
  ['an unknown alias', 'a: *x\n', 'declined'],
  // Merge keys are off in the yaml path: `<<` is an ordinary key.
  ['a merge key', '<<: {a: 1}\nb: 2\n', 'fast', { '<<': { a: 1 }, b: 2 }],
  ['a merge key with an alias', 'base: &b {x: 1}\nc:\n  <<: *b\n', 'declined'],
  // Keys.
  ['a __proto__ key', '__proto__: {a: 1}\n', 'declined'],
  ['a quoted __proto__ key in JSON', '{"__proto__": 1}', 'declined'],
  ['a null key', '~: 1\n', 'declined'],
  ['an empty key in a flow mapping', '{: 1}\n', 'declined'],
  ['a key spelled null', '"null": 1\n', 'declined'],
  ['a sequence as an explicit key', '? [a, b]\n: 1\n', 'declined'],
  ['a sequence as an implicit key', '[a]: 1\n', 'declined'],
  ['a mapping as a key', '{a: 1}: 2\n', 'declined'],
  ['a compact mapping as an explicit key', '? a: 1\n: 2\n', 'declined'],
  ['a mapping as a key inside a flow mapping', 'x: [{{a}}]\n', 'declined'],
  ['pairs in a flow sequence', 'x: [a: 1, b]\n', 'declined'],
  ['an explicit scalar key', '? a\n: 1\n', 'fast', { a: 1 }],
  ['keys that are numbers or booleans', '1: a\n1.5: b\ntrue: c\n0x10: d\n', 'fast', { 1: 'a', '1.5': 'b', true: 'c', 16: 'd' }],
  ['a number key and the same quoted', '1: a\n"1": b\n', 'declined'],
  ['a duplicate key', 'a: 1\na: 2\n', 'declined'],
  ['a duplicate key in JSON', '{"a": 1, "a": 2}', 'declined'],
  ['keys with / and ~', 'a/b: 1\nc~d: 2\n', 'fast', { 'a/b': 1, 'c~d': 2 }],
  ['an implicit key of 1100 characters', `${'k'.repeat(1100)}: 1\n`, 'declined'],
  // Documents.
  ['two documents', 'a: 1\n---\nb: 2\n', 'declined'],
  ['an explicit document start', '---\na: 1\n', 'fast', { a: 1 }],
  ['a document end marker', 'a: 1\n...\n', 'fast', { a: 1 }],
  ['content on the document start line', '--- a: 1\n', 'declined'],
  ['--- glued to content', '---{}\n', 'declined'],
  ['an empty text', '', 'declined'],
  ['only a comment', '# nothing\n', 'declined'],
  ['a bare scalar', 'hello\n', 'declined'],
  ['a bare number', '42\n', 'declined'],
  ['a null document', '~\n', 'declined'],
  ['a sequence at the root', '- a\n- 1\n', 'fast', ['a', 1]],
  ['a flow sequence at the root', '[1, {"a": [2]}]', 'fast', [1, { a: [2] }]],
  ['a %YAML 1.1 directive (yes is a boolean there)', '%YAML 1.1\n---\na: yes\n', 'declined'],
  ['a %TAG directive', '%TAG !e! tag:example.com,2000:\n---\na: 1\n', 'declined'],
  ['an unknown directive', '%FOO bar\n---\na: 1\n', 'declined'],
  // Byte-order marks.
  ['a byte-order mark', '\uFEFFa: 1\n', 'fast', { a: 1 }],
  ['two byte-order marks', '\uFEFF\uFEFFa: 1\n', 'declined'],
  ['a byte-order mark inside', 'a: 1\n\uFEFFb: 2\n', 'declined'],
  // Whitespace.
  ['Windows line ends', 'a: 1\r\nb: |\r\n  x\r\n  y\r\nc: >\r\n  p\r\n  q\r\n', 'fast', { a: 1, b: 'x\ny\n', c: 'p q\n' }],
  ['a lone carriage return', 'a: [b,\rc]\n', 'declined'],
  ['a carriage return in a flow sequence', '[\r]', 'declined'],
  ['a tab after a colon', 'a:\tb\n', 'fast', { a: 'b' }],
  ['a tab inside a value', 'a: b\tc\n', 'fast', { a: 'b\tc' }],
  ['a tab as indentation', 'a:\n\tb: 1\n', 'declined'],
  ['a tab after a sequence dash', '- a\n-\t{b: 1}\n', 'declined'],
  ['JSON indented with tabs', '{\n\t"a": 1\n}\n', 'declined'],
  ['no final line feed', 'a: 1', 'fast', { a: 1 }],
  ['a last line of spaces after a kept block scalar', 'a: |+\n  x\n ', 'declined'],
  ['a line separator and a next-line character in a value', 'a: b\u2028c\u0085d\n', 'fast'],
  ['a non-printable character', 'a: b\u0007\n', 'declined'],
  ['a null character in a double-quoted escape', '{"a": "\\u0000"}', 'fast', { a: '\u0000' }],
  // Comments.
  ['a comment right after a quoted scalar', 'a: "x"#c\n', 'declined'],
  ['a comment right after a flow collection', 'a: [1]#c\n', 'declined'],
  ['a comment right after a comma', '{"a": 1,#c\n"b": 2}\n', 'declined'],
  ['a # inside a plain scalar', 'a: C#\nb: x#y\n', 'fast', { a: 'C#', b: 'x#y' }],
  ['a # starting a quoted scalar', "$ref: '#/types/A'\n", 'fast', { $ref: '#/types/A' }],
  // Block and multi-line scalars.
  ['an indentation indicator', 'a: |2\n   x\n', 'declined'],
  ['a more indented blank line before the text of a block scalar', '- |+\n     \n\n    # text\n', 'declined'],
  ['block scalars with every chomping', 'a: |-\n  x\n\nb: |+\n  y\n\nc: >\n  p\n\n  q\n', 'fast', { a: 'x', b: 'y\n\n', c: 'p\nq\n' }],
  ['an escaped line break before an empty line', 'a: "p \\\n\n  x"\n', 'declined'],
  ['an escaped line break', 'a: "p\\\n  x"\n', 'fast', { a: 'px' }],
  ['a multi-line plain scalar', 'a: one\n  two\n\n  three\n', 'fast', { a: 'one two\nthree' }],
  ['escapes in double quotes', 'a: "\\x7b\\u00e9\\/\\N\\_\\t"\n', 'fast'],
  ['an invalid escape', 'a: "\\q"\n', 'declined'],
  // Sequences.
  ['an empty item of a nested sequence before an outer item', '- - \n- b\n', 'declined'],
  ['an empty item before an outer item, deeper', '- a:\n    -\n- b\n', 'declined'],
  ['an empty item before a sibling', 'a:\n  -\n  - b\n', 'fast', { a: [null, 'b'] }],
  // Errors both parsers see.
  ['an unclosed quote', 'a: "x\n', 'declined'],
  ['an unclosed flow sequence', 'a: [1, 2\n', 'declined'],
  ['a mapping nested in a compact mapping', 'a: b: c\n', 'declined'],
  ['deep nesting (js-yaml stops at 100 levels)', `a: ${'['.repeat(150)}${']'.repeat(150)}\n`, 'declined'],
];

describe('the fast path on adversarial texts', () => {
  it.each(adversarial)('%s', (_name, text, outcome, value) => {
    expect(compare(text)).toBe(outcome);
    if (value !== undefined) expectIdentical(exact(text).file.value, value);
    if (outcome === 'fast') expectSamePositions(text);
  });

  it('says why it declines', () => {
    expect(fastParse('a: &x 1\n')).toEqual({ declined: 'anchor' });
    expect(fastParse('a: !!str 1\n')).toMatchObject({ declined: expect.stringContaining('unknown tag') });
    expect(fastParse('a: ! 1\n')).toEqual({ declined: 'non-specific tag' });
    expect(fastParse('[a]: 1\n')).toEqual({ declined: 'collection as a key' });
    expect(fastParse('a: 1\na: 2\n')).toMatchObject({ declined: expect.stringContaining('duplicated mapping key') });
  });
});

/** Texts built from the pieces YAML parsers disagree on, and small edits of real files. */
const pieces = [
  ' ',
  '  ',
  '\n',
  '\r\n',
  '\t',
  ':',
  ': ',
  '- ',
  '-',
  '? ',
  ',',
  '[',
  ']',
  '{',
  '}',
  '#',
  ' #c',
  '"',
  "'",
  '\\',
  '|',
  '>',
  '|-',
  '>+',
  '|2',
  '&a ',
  '*a',
  '!',
  '!!str ',
  '---\n',
  '...\n',
  '%YAML 1.2\n',
];
const words = [
  'a',
  'b',
  'key',
  '~',
  'null',
  'True',
  'yes',
  '1e3',
  '0o17',
  '017',
  '0x1F',
  '-0x1F',
  '0b1',
  '1_0',
  '+.inf',
  '.NaN',
  '-0',
  '-.5',
  '1.',
  '12:30',
  '<<',
  '__proto__',
  '\uFEFF',
  '\u2028',
  '{{x}}',
  '"q"',
  "'s'",
  '"\\x7b"',
  '@',
  '`',
];
const token = fc.constantFrom(...pieces, ...words);
const generated = fc.array(token, { maxLength: 40 }).map((t) => t.join(''));
const sources = [...Object.values(repository).filter((t) => t.length < 20_000), corpus['team-03.yaml']!];
const edited = fc
  .tuple(fc.constantFrom(...sources), fc.array(fc.tuple(fc.nat(), fc.nat(3), fc.constantFrom('', ...pieces, ...words)), { minLength: 1, maxLength: 3 }))
  .map(([text, edits]) => edits.reduce((t, [at, cut, insert]) => t.slice(0, at % (t.length + 1)) + insert + t.slice((at % (t.length + 1)) + cut), text));

describe('the fast path on generated texts', () => {
  it('gives the yaml path value or declines, on texts built from tricky pieces', () => {
    fc.assert(
      fc.property(generated, (text) => {
        compare(text);
      }),
      { seed: 20251204, numRuns: 1500 },
    );
  });

  it('gives the yaml path value and positions or declines, on edited real files', () => {
    fc.assert(
      fc.property(edited, (text) => {
        if (compare(text) === 'fast') expectSamePositions(text);
      }),
      { seed: 20251204, numRuns: 300 },
    );
  });
});

describe('loading with the fast path', () => {
  it('builds no positions for a clean benchmark corpus, through a whole generate', async () => {
    const cache = createPipelineCache();
    const result = await runPipeline({ reader: memoryReader(corpus), displayPrefix: 'schemas', cache });
    expect(result.problems).toEqual([]);
    expect(result.files.size).toBeGreaterThan(100);
    expect(cache.load.size).toBe(20);
    for (const { file } of cache.load.values()) expect([file.rel, file.positions.built]).toEqual([file.rel, false]);
  });

  it('builds no positions for the example definitions, whose outputs are lists, through a whole generate', async () => {
    const examples = Object.fromEntries(
      Object.entries(repository)
        .filter(([name]) => name.startsWith('schemas/') && !name.startsWith('schemas/meta/'))
        .map(([name, text]) => [name.slice('schemas/'.length), text]),
    );
    expect(Object.keys(examples).length).toBeGreaterThan(5);
    const cache = createPipelineCache();
    const result = await runPipeline({ reader: memoryReader(examples), displayPrefix: 'schemas', cache });
    expect(result.problems).toEqual([]);
    for (const { file } of cache.load.values()) expect([file.rel, file.positions.built]).toEqual([file.rel, false]);
  });

  it('locates problems in fast-parsed files where they are written, building only the file that needs it', async () => {
    const files: Record<string, string> = {
      ...corpus,
      'team-05.yaml': corpus['team-05.yaml']!.replace('    model: ', '    modle: '),
      'team-06.yaml': corpus['team-06.yaml']!.replace('{{user.name}}', '{{user.nmae}}'),
    };
    /** Line and column (1-based) where `needle` is first written in a file. */
    const written = (name: string, needle: string): [number, number] => {
      const lines = files[name]!.split('\n');
      const line = lines.findIndex((l) => l.includes(needle));
      return [line + 1, lines[line]!.indexOf(needle) + 1];
    };
    const cache = createPipelineCache();
    const result = await runPipeline({ reader: memoryReader(files), displayPrefix: 'schemas', cache });
    expect(result.problems.map((p) => [p.code, p.file, p.line, p.col])).toEqual([
      ['unknown-key', 'schemas/team-05.yaml', ...written('team-05.yaml', 'modle:')],
      ['unknown-placeholder', 'schemas/team-06.yaml', ...written('team-06.yaml', '{{user.nmae}}')],
    ]);
    // The key is one the fast parse recorded; the placeholder needs the full index of its file.
    const built = [...cache.load.values()].filter(({ file }) => file.positions.built).map(({ file }) => file.rel);
    expect(built).toEqual(['team-06.yaml']);
  });

  it('reports what the yaml path reports for a file the fast path declines', async () => {
    const text = 'spec: schemantic/v1\ntypes:\n  A: { type: string }\n  A: { type: number }\n';
    const loaded = await load(memoryReader({ 'a.yaml': text }), { displayPrefix: 'schemas' });
    expect(loaded.problems).toEqual(parseSource('a.yaml', 'schemas/a.yaml', text).problems);
    expect(loaded.problems).toMatchObject([{ code: 'duplicate-key', line: 4, col: 3 }]);
    expect(loaded.files[0]!.positions.built).toBe(true);
  });

  it('keeps a fast-parsed file, still unindexed, in the watch cache', async () => {
    const cache = new Map();
    const files = { 'a.yaml': 'spec: schemantic/v1\ntypes:\n  A: { type: string }\n' };
    const first = await load(memoryReader(files), { displayPrefix: 'schemas', cache });
    expect(first.files[0]!.positions.built).toBe(false);
    const second = await load(memoryReader(files), { displayPrefix: 'schemas', cache });
    expect(second.files[0]).toBe(first.files[0]);
    expect(second.files[0]!.positions.find('/types/A/type')).toEqual({ line: 3, col: 14 });
    expect(second.files[0]!.positions.built).toBe(true);
    const third = await load(memoryReader({ 'a.yaml': `${files['a.yaml']}# edited\n` }), { displayPrefix: 'schemas', cache });
    expect(third.files[0]).not.toBe(first.files[0]);
    expect(third.files[0]!.positions.find('/types/A', 'key')).toEqual({ line: 3, col: 3 });
    expect(third.files[0]!.positions.built).toBe(false);
  });
});
