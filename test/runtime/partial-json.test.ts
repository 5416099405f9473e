/**
 * The streaming partial JSON parser: the partial values it shows while text arrives, and its final
 * value, which must be JSON.parse's for any valid text however it is split into chunks (including
 * inside escapes and between the two halves of a surrogate pair), and an error for invalid text.
 */
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PartialJsonParser, type PartialJsonOptions } from '../../runtime/stream/partial-json.js';

/** The parser after pushing `chunks`, with a snapshot of its value after each push that returned true. */
function stream(chunks: readonly string[], options?: PartialJsonOptions): { parser: PartialJsonParser; snapshots: unknown[] } {
  const parser = new PartialJsonParser(options);
  const snapshots: unknown[] = [];
  for (const chunk of chunks) if (parser.push(chunk)) snapshots.push(structuredClone(parser.value));
  return { parser, snapshots };
}

/** `text` cut at `cuts` (any UTF-16 indices, in any order). */
function split(text: string, cuts: readonly number[]): string[] {
  const at = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  return [0, ...at].map((start, k) => text.slice(start, at[k] ?? text.length));
}

/** What end() does with the text: its value, or the error it throws. */
function parseStreamed(chunks: readonly string[], options?: PartialJsonOptions): { value: unknown } | { error: unknown } {
  try {
    return { value: stream(chunks, options).parser.end() };
  } catch (error) {
    return { error };
  }
}

function parseWhole(text: string): { value: unknown } | { error: unknown } {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (error) {
    return { error };
  }
}

const isHigh = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLow = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/**
 * Whether `partial` is a state that a streamed value may show on its way to `final`: a string is a
 * prefix that does not split a surrogate pair; numbers and literals are complete; in an array all
 * elements but the last are complete; an object has some of the final keys, each partial.
 */
function isPartialOf(partial: unknown, final: unknown): boolean {
  if (partial === undefined) return true; // before the value starts
  if (typeof partial === 'string') {
    return typeof final === 'string' && final.startsWith(partial) && !(isHigh(final.charCodeAt(partial.length - 1)) && isLow(final.charCodeAt(partial.length)));
  }
  if (Array.isArray(partial)) {
    if (!Array.isArray(final) || partial.length > final.length) return false;
    return partial.every((item, k) => (k === partial.length - 1 ? isPartialOf(item, final[k]) : isDeepStrictEqual(item, final[k])));
  }
  if (typeof partial === 'object' && partial !== null) {
    if (typeof final !== 'object' || final === null || Array.isArray(final)) return false;
    const whole = final as Record<string, unknown>;
    return Object.entries(partial).every(([key, value]) => Object.hasOwn(whole, key) && isPartialOf(value, whole[key]));
  }
  return Object.is(partial, final);
}

/** A code unit of any kind: a lone surrogate half, a control character, a quote, an emoji's half... */
const anyUnit = fc.oneof(
  fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
  fc.constantFrom('a', '"', '\\', '/', '\n', '\u0000', 'é', '\u2028', '😀', '𝄞'),
);

/** Valid JSON texts: several spacings, and every non-ASCII character written as a \u escape. */
const jsonText = fc.oneof(
  fc.json(),
  fc
    .tuple(fc.jsonValue({ stringUnit: anyUnit }), fc.constantFrom<string | number | undefined>(undefined, 2, '\t', ' \r\n'))
    .map(([value, indent]) => JSON.stringify(value, null, indent)),
  fc
    .jsonValue({ stringUnit: anyUnit })
    .map((value) => JSON.stringify(value).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)),
  fc.jsonValue().map((value) => ` \n\t${JSON.stringify(value)}\r\n `),
);

const cuts = fc.array(fc.nat(), { maxLength: 30 });

describe('PartialJsonParser: partial values', () => {
  it('shows a small object growing, one character at a time', () => {
    const text = '{"a":"hi","b":[1,2],"c":{"d":true}}';
    const { parser, snapshots } = stream([...text]);
    expect(snapshots).toEqual([
      {},
      { a: '' },
      { a: 'h' },
      { a: 'hi' },
      { a: 'hi', b: [] },
      { a: 'hi', b: [1] },
      { a: 'hi', b: [1, 2] },
      { a: 'hi', b: [1, 2], c: {} },
      { a: 'hi', b: [1, 2], c: { d: true } },
    ]);
    expect(parser.complete).toBe(true);
    expect(parser.end()).toEqual(JSON.parse(text));
  });

  it('returns false from push when nothing visible changed', () => {
    const parser = new PartialJsonParser();
    expect(['{', '"key"', ':', ' '].map((c) => parser.push(c))).toEqual([true, false, false, false]);
    expect(parser.value).toEqual({});
    expect(parser.push('"')).toBe(true);
    expect(parser.value).toEqual({ key: '' });
    expect(parser.push('"')).toBe(false);
    expect(parser.push('}')).toBe(false);
    expect(parser.complete).toBe(true);
  });

  it('shows numbers only once complete', () => {
    const parser = new PartialJsonParser();
    parser.push('{"n":12');
    expect(parser.value).toEqual({});
    parser.push('3.5e');
    expect(parser.value).toEqual({});
    expect(parser.push('1,"m":[-0')).toBe(true);
    expect(parser.value).toEqual({ n: 123.5e1, m: [] });
    parser.push(']}');
    expect(parser.end()).toEqual({ n: 1235, m: [-0] });
    expect(Object.is((parser.value as { m: number[] }).m[0], -0)).toBe(true);
  });

  it('completes a top-level number at end(), or at the first character that cannot continue it', () => {
    const parser = new PartialJsonParser();
    expect(parser.push('-4')).toBe(false);
    expect(parser.push('2')).toBe(false);
    expect(parser.value).toBeUndefined();
    expect(parser.complete).toBe(false);
    expect(parser.end()).toBe(-42);
    expect(parser.complete).toBe(true);
    expect(parser.value).toBe(-42);

    const spaced = new PartialJsonParser();
    expect(spaced.push('7 ')).toBe(true);
    expect([spaced.value, spaced.complete]).toEqual([7, true]);
  });

  it('shows true, false and null only once complete', () => {
    const parser = new PartialJsonParser();
    parser.push('[tru');
    expect(parser.value).toEqual([]);
    parser.push('e,fals');
    expect(parser.value).toEqual([true]);
    parser.push('e,n');
    expect(parser.value).toEqual([true, false]);
    parser.push('ull]');
    expect(parser.end()).toEqual([true, false, null]);
  });

  it('leaves out a key until its value starts', () => {
    const parser = new PartialJsonParser();
    parser.push('{"a":1,"bee');
    expect(parser.value).toEqual({ a: 1 });
    parser.push('":');
    expect(parser.value).toEqual({ a: 1 });
    parser.push(' [');
    expect(parser.value).toEqual({ a: 1, bee: [] });
  });

  it('shows a top-level string growing', () => {
    const { parser, snapshots } = stream(['"ab', 'c', '\\t', 'd"']);
    expect(snapshots).toEqual(['ab', 'abc', 'abc\t', 'abc\td']);
    expect(parser.end()).toBe('abc\td');
  });

  it('is a live view: the same objects and arrays are filled in place', () => {
    const parser = new PartialJsonParser();
    parser.push('{"list":[{"x":');
    const root = parser.value as { list: Array<{ x?: string }> };
    const list = root.list;
    const first = list[0];
    parser.push('"y"},');
    parser.push('{}]}');
    expect(parser.value).toBe(root);
    expect(root.list).toBe(list);
    expect(list[0]).toBe(first);
    expect(root).toEqual({ list: [{ x: 'y' }, {}] });
  });
});

describe('PartialJsonParser: escapes and UTF-16 across chunks', () => {
  it('never shows half an escape', () => {
    const { parser, snapshots } = stream(['["a\\', 'nb', '\\u00', 'e9c\\', '"', '"]']);
    expect(snapshots).toEqual([['a'], ['a\nb'], ['a\nbéc'], ['a\nbéc"']]);
    expect(parser.end()).toEqual(['a\nbéc"']);
  });

  it('decodes \\u00e9 split at every position', () => {
    const text = '["x\\u00e9y"]';
    for (let at = 0; at <= text.length; at++) {
      const parser = new PartialJsonParser();
      parser.push(text.slice(0, at));
      const partial = (parser.value as string[] | undefined)?.[0];
      expect(partial === undefined || ['', 'x', 'xé', 'xéy'].includes(partial), `split at ${at}: ${partial}`).toBe(true);
      parser.push(text.slice(at));
      expect(parser.end()).toEqual(['xéy']);
    }
  });

  it('joins a surrogate pair written as two \\u escapes, split anywhere', () => {
    const text = '{"s":"x\\ud83d\\ude00y"}';
    for (let at = 0; at <= text.length; at++) {
      const parser = new PartialJsonParser();
      parser.push(text.slice(0, at));
      const partial = (parser.value as { s?: string } | undefined)?.s;
      // between the two escapes the high half is held back: the partial is 'x', never 'x\ud83d'
      if (at > '{"s":"x'.length && at < '{"s":"x\\ud83d\\ude00'.length) expect(partial, `split at ${at}`).toBe('x');
      parser.push(text.slice(at));
      expect(parser.end()).toEqual({ s: 'x😀y' });
    }
  });

  it('holds back the first half of a raw surrogate pair until the second arrives', () => {
    const text = '["a😀b𝄞"]';
    const highAt = text.indexOf('😀') + 1;
    const { parser, snapshots } = stream([
      text.slice(0, highAt),
      text.slice(highAt, highAt + 1),
      text.slice(highAt + 1, -3),
      text.slice(-3, -2),
      text.slice(-2),
    ]);
    expect(snapshots).toEqual([['a'], ['a😀'], ['a😀b'], ['a😀b𝄞']]);
    expect(parser.end()).toEqual(['a😀b𝄞']);
  });

  it('keeps lone surrogates, as JSON.parse does', () => {
    for (const text of ['"\\ud83d"', '"\\ud83dx"', '"\\ude00\\ud83d"', '"\ud83d"', '["\ud83d", "\ude00"]']) {
      expect(stream(split(text, [4, 5])).parser.end()).toEqual(JSON.parse(text));
    }
  });
});

describe('PartialJsonParser: leniency and errors', () => {
  const prose = 'Sure! ```json\n{"answer": [1, {"ok": true}]}\n```\nAnything else? {"not": "this"}';

  it('lenient: skips the text before the first { or [ and ignores the text after the value', () => {
    for (const chunks of [[prose], [...prose], split(prose, [3, 13, 20, 44, 47])]) {
      const { parser } = stream(chunks, { lenient: true });
      expect(parser.complete).toBe(true);
      expect(parser.error).toBeUndefined();
      expect(parser.end()).toEqual({ answer: [1, { ok: true }] });
    }
    expect(() => stream(['no JSON here'], { lenient: true }).parser.end()).toThrow(/No JSON object or array/);
  });

  it('strict: rejects text before or after the value', () => {
    expect(() => stream([prose]).parser.end()).toThrow(/offset 0\b/);
    const { parser } = stream(['{"a":1}', ' \n x']);
    expect(parser.complete).toBe(true);
    expect(parser.error?.message).toMatch(/at offset 10$/);
    expect(() => parser.end()).toThrow(SyntaxError);
  });

  it('after an error, push returns false and the value keeps the last good partial', () => {
    const parser = new PartialJsonParser();
    expect(parser.push('[1,"ab')).toBe(true);
    expect(parser.push('c",')).toBe(true);
    expect(parser.push('x')).toBe(false);
    expect(parser.error).toBeInstanceOf(SyntaxError);
    expect(parser.error?.message).toMatch(/"x".* at offset 9$/);
    expect(parser.push('2]')).toBe(false);
    expect(parser.value).toEqual([1, 'abc']);
    expect(() => parser.end()).toThrow(parser.error);
  });

  it('end() on incomplete input throws with the offset of the end', () => {
    for (const [text, offset] of [
      ['{"a":[1,2', 9],
      ['"abc', 4],
      ['[tru', 4],
      ['{"a"', 4],
      ['', 0],
      ['  ', 2],
    ] as const) {
      expect(() => stream(split(text, [2])).parser.end(), text).toThrow(new RegExp(`^Unexpected end of JSON input at offset ${offset}$`));
    }
    expect(() => stream(['1', '2.']).parser.end()).toThrow(/^Invalid number at offset 3$/);
  });

  it('push() after end() is an error', () => {
    const parser = new PartialJsonParser();
    parser.push('1');
    expect(parser.end()).toBe(1);
    expect(parser.push(' ')).toBe(false);
    expect(parser.error?.message).toMatch(/push\(\) after end\(\)/);
  });

  const invalid = [
    '',
    ' ',
    '01',
    '-01',
    '00',
    '-',
    '--1',
    '+1',
    '1.',
    '.5',
    '1.e5',
    '1e',
    '1e+',
    '0x10',
    'NaN',
    'Infinity',
    '-Infinity',
    '1 2',
    '[1,]',
    '[,1]',
    '[1 2]',
    '[1,,2]',
    '[',
    ']',
    '[}',
    '{]',
    '[1]]',
    '{"a":1}}',
    '[1}',
    '{"a":1]',
    '[{"a":[]}}',
    '{"a":[1}}',
    '{"a":1,}',
    '{,}',
    '{a:1}',
    "{'a':1}",
    '{"a" 1}',
    '{"a":}',
    '{"a"}',
    '{1:2}',
    '"abc',
    '"\\x"',
    '"\\u12"',
    '"\\u12g4"',
    '"\\U0041"',
    '"\\',
    '"a\u0001"',
    '"tab\there"',
    '"line\nbreak"',
    "'single'",
    'tru',
    'nul',
    'True',
    'nulll',
    'undefined',
    'true false',
    '{"a":1} x',
    '"a"b',
  ];
  it.each(invalid)('rejects %j like JSON.parse', (text) => {
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
    for (const chunks of [[text], [...text]]) expect(() => stream(chunks).parser.end()).toThrow(/at offset \d+$/);
  });

  it('reports offsets in the whole input, across chunks', () => {
    expect(stream(['[1,', '2,', ' ]']).parser.error?.message).toMatch(/"\]" \(expected a value\) at offset 6$/);
    expect(stream(['{"a"', ':01}']).parser.error?.message).toMatch(/^Invalid number at offset 6$/);
  });
});

describe('PartialJsonParser: keys', () => {
  it('makes __proto__ an own property and never touches a prototype', () => {
    const text = '{"__proto__":{"polluted":true},"constructor":1,"toString":"x","nested":[{"__proto__":"ab"}]}';
    for (const chunks of [[text], [...text]]) {
      const { parser } = stream(chunks);
      const value = parser.end() as Record<string, unknown>;
      expect(value).toStrictEqual(JSON.parse(text));
      expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
      expect(Object.getOwnPropertyDescriptor(value, '__proto__')?.value).toEqual({ polluted: true });
      expect(Object.keys(value)).toEqual(['__proto__', 'constructor', 'toString', 'nested']);
      expect(value['toString']).toBe('x');
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    }
    const partial = new PartialJsonParser();
    partial.push('{"__proto__":"ab');
    expect(Object.getPrototypeOf(partial.value)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(partial.value, '__proto__')?.value).toBe('ab');
  });

  it('keeps the last of duplicate keys, in the first key position (like JSON.parse)', () => {
    const text = '{"a":1,"b":{"c":2},"a":"last","b":[3]}';
    const value = stream(split(text, [5, 9, 25])).parser.end();
    expect(value).toStrictEqual(JSON.parse(text));
    expect(Object.keys(value as object)).toEqual(['a', 'b']);
  });

  it('reads nesting far deeper than a recursive parser could, when told to (the default stops at MAX_JSON_DEPTH)', () => {
    const depth = 200_000;
    const parser = new PartialJsonParser({ maxDepth: Infinity });
    parser.push('['.repeat(depth));
    parser.push(']'.repeat(depth));
    let value = parser.end();
    let levels = 0;
    while (Array.isArray(value)) [value, levels] = [value[0], levels + 1];
    expect(levels).toBe(depth);
  });
});

describe('PartialJsonParser: properties', () => {
  it('equals JSON.parse for valid JSON split anywhere; every partial value is a prefix state of the final one', () => {
    fc.assert(
      fc.property(jsonText, cuts, (text, at) => {
        const expected: unknown = JSON.parse(text);
        const parser = new PartialJsonParser();
        let before: unknown = undefined;
        for (const chunk of split(text, at)) {
          const changed = parser.push(chunk);
          const after = structuredClone(parser.value);
          // push reports a change exactly when the visible value changed
          expect(changed).toBe(!isDeepStrictEqual(before, after));
          expect(isPartialOf(after, expected), JSON.stringify(after)).toBe(true);
          before = after;
        }
        expect(parser.error).toBeUndefined();
        expect(parser.end()).toStrictEqual(expected);
        expect(parser.complete).toBe(true);
      }),
      { numRuns: 1000, seed: 42 },
    );
  });

  it('reads every number exactly as JSON.parse does', () => {
    const spellings = fc
      .double({ noNaN: true, noDefaultInfinity: true })
      .chain((d) => fc.constantFrom(JSON.stringify(d), d.toExponential(), d.toFixed(3), d.toPrecision(17), `-${Math.abs(d)}`));
    const numbers = fc.oneof(spellings, fc.stringMatching(/^-?(0|[1-9]\d{0,20})(\.\d{1,25})?([eE][+-]?\d{1,3})?$/));
    fc.assert(
      fc.property(numbers, cuts, (text, at) => {
        const expected = JSON.parse(text) as number;
        for (const [json, unwrap] of [
          [text, (v: unknown) => v],
          [`[${text}]`, (v: unknown) => (v as number[])[0]],
        ] as const) {
          const actual = unwrap(stream(split(json, at)).parser.end());
          expect(Object.is(actual, expected), `${json}: ${String(actual)}`).toBe(true);
        }
      }),
      { numRuns: 2000, seed: 42 },
    );
  });

  it('rejects what JSON.parse rejects: valid JSON with one character deleted, inserted or replaced', () => {
    const significant = [...'{}[]":,\\/ 0123456789-+.eEtrufalsnxu'].concat('\u0000', '\n', '\ud83d');
    const mutated = fc
      .tuple(jsonText, fc.nat(), fc.constantFrom('delete', 'insert', 'replace'), fc.constantFrom(...significant))
      .map(([text, pos, kind, c]) => {
        const at = pos % (text.length + 1);
        const rest = kind === 'insert' ? text.slice(at) : text.slice(at + 1);
        return text.slice(0, at) + (kind === 'delete' ? '' : c) + rest;
      });
    fc.assert(
      fc.property(mutated, cuts, (text, at) => {
        const expected = parseWhole(text);
        const actual = parseStreamed(split(text, at));
        expect('error' in actual).toBe('error' in expected);
        if ('error' in actual) expect(actual.error).toBeInstanceOf(SyntaxError);
        else expect(actual).toStrictEqual(expected);
      }),
      { numRuns: 2000, seed: 42 },
    );
  });

  it('lenient: finds the JSON after any prose without brackets, and ignores anything after it', () => {
    const container = fc.oneof(fc.array(fc.jsonValue()), fc.dictionary(fc.string(), fc.jsonValue())).map((v) => JSON.stringify(v));
    const proseBefore = fc.string({ unit: anyUnit }).filter((s) => !/[{[]/.test(s));
    fc.assert(
      fc.property(proseBefore, container, fc.string({ unit: anyUnit }), cuts, (before, json, after, at) => {
        expect(parseStreamed(split(before + json + after, at), { lenient: true })).toStrictEqual({ value: JSON.parse(json) });
      }),
      { numRuns: 500, seed: 42 },
    );
  });
});
