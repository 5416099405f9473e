/**
 * A streamed run takes its final output from the incremental parser's value instead of parsing
 * the output tool's arguments again with JSON.parse, when the parser read the whole text as one
 * complete JSON value. That value must be exactly JSON.parse's (escapes, surrogates, numbers such
 * as 1e400 and -0, duplicate keys, `__proto__` keys, nesting at the depth limit), and anything the
 * parser or JSON.parse rejects must end as it does in a plain run: the same retry prompt.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { agent, type ModelMessage, type ToolCallPart } from 'schemantic';
import { FunctionModel, type StreamChunk } from 'schemantic/testing';
import { keepParsedArgs, takeParsedArgs } from '../../runtime/run/parsed-args.js';
import { MAX_JSON_DEPTH } from '../../runtime/stream/json-depth.js';
import { PartialJsonParser } from '../../runtime/stream/partial-json.js';

/**
 * Exactly the same JSON value: Object.is for scalars (-0 is not 0), the same prototype, the same
 * own keys in the same order (an own `__proto__` included), the same values under them.
 */
function expectSameJson(actual: unknown, expected: unknown, path = '$'): void {
  if (expected === null || typeof expected !== 'object') {
    expect(Object.is(actual, expected), `${path}: ${String(actual)} is not ${String(expected)}`).toBe(true);
    return;
  }
  expect(actual !== null && typeof actual === 'object', `${path} is not an object`).toBe(true);
  expect(Object.getPrototypeOf(actual), `${path}: prototype`).toBe(Object.getPrototypeOf(expected));
  expect(Reflect.ownKeys(actual as object), `${path}: keys`).toEqual(Reflect.ownKeys(expected));
  for (const key of Reflect.ownKeys(expected) as string[])
    expectSameJson((actual as Record<string, unknown>)[key], (expected as Record<string, unknown>)[key], `${path}.${key}`);
}

/** `levels` containers deep, arrays and objects alternating. */
const nested = (levels: number) => {
  let text = '"bottom"';
  for (let i = 0; i < levels; i++) text = i % 2 ? `{"k${i}":${text}}` : `[${text},${i}]`;
  return text;
};

/** JSON texts where a parser could differ from JSON.parse. */
const TRICKY: [string, string][] = [
  ['escapes', String.raw`{"s":"a\"b\\c\/d\b\f\n\r\t\u0041\u00e9\u20AC","k\n\"":"\u0000"}`],
  ['surrogate pairs, escaped and raw', '{"escaped":"\\ud83d\\ude00","raw":"😀😀","mixed":"\\ud83d😀x"}'],
  ['lone surrogates', '{"high":"\\ud800","low":"\\udc00x","reversed":"\\udc00\\ud800","end":"x\\ud83d"}'],
  [
    'numbers',
    '[1e400,-1e400,-0,-0.0,0,-0e5,5e-324,1.7976931348623157e308,12345678901234567890,9007199254740993,0.1,1E-7,-2.5e+3,123456789012345.6,0.30000000000000004]',
  ],
  ['duplicate keys: the last value, in the first place', '{"a":1,"b":2,"a":{"c":3},"b":"x","a":[4],"c":{"d":1,"d":"two"}}'],
  ['__proto__ keys', '{"__proto__":{"polluted":true},"x":{"__proto__":[1],"y":2,"__proto__":"last"},"z":[{"__proto__":null}]}'],
  ['integer-like keys', '{"b":1,"2":2,"1":3,"a":4,"01":5,"4294967295":6}'],
  ['whitespace around and inside', ' \n\t{ "a" : [ 1 , 2 , { } , [ ] ] , "b" : "" }\r\n '],
  ['scalars', '"just a string"'],
  ['a number at the very end', '-12.5e-3'],
  ['literals', '[true,false,null,{"t":true}]'],
  // The wrapper `{"response": ...}` is one level: the whole text is exactly MAX_JSON_DEPTH deep.
  ['nesting at the depth limit', nested(MAX_JSON_DEPTH - 1)],
];

/** The output tool's arguments as a model streams them: `size` characters a chunk. */
function argsChunks(args: string, size: number): StreamChunk[] {
  const chunks: StreamChunk[] = [];
  for (let i = 0; i < Math.max(args.length, 1); i += size) {
    const jsonArgs = args.slice(i, i + size);
    chunks.push({ 0: i === 0 ? { name: 'final_result', jsonArgs, toolCallId: 'o1' } : { jsonArgs } });
  }
  return chunks;
}

/** A model streaming one script per request (the last one again after that). */
function streamed(...scripts: StreamChunk[][]): FunctionModel {
  let i = 0;
  return new FunctionModel(undefined, {
    stream: async function* () {
      for (const chunk of scripts[Math.min(i++, scripts.length - 1)]!) yield chunk;
    },
  });
}

/** Any JSON value as output: a non-object schema, so the output tool carries `{"response": ...}`. */
const ANY = {};

const retryPrompts = (messages: readonly ModelMessage[]) =>
  messages.flatMap((m) => (m.kind === 'request' ? m.parts.flatMap((p) => (p.kind === 'retry-prompt' ? [p.content] : [])) : []));

afterEach(() => vi.restoreAllMocks());

describe('the incremental parser, read whole', () => {
  it.each(TRICKY)('gives exactly what JSON.parse gives: %s', (_name, text) => {
    for (const size of [1, 2, 3, 7, 64, text.length]) {
      const parser = new PartialJsonParser();
      for (let i = 0; i < text.length; i += size) parser.push(text.slice(i, i + size));
      expectSameJson(parser.end(), JSON.parse(text));
    }
  });

  it('rejects what JSON.parse rejects, and one level past the depth limit', () => {
    for (const text of ['{"a":1} x', '{"a":1,}', '[01]', '{"a":"\u0001"}', '\ufeff{}', '{"a":tru}', '"\\x"', '"\\u12g4"', '', '  ', '[1] [2]', '{"a" 1}']) {
      const parser = new PartialJsonParser();
      parser.push(text);
      expect(() => JSON.parse(text)).toThrow(SyntaxError);
      expect(() => parser.end(), text).toThrow(SyntaxError);
    }
    const parser = new PartialJsonParser();
    parser.push(nested(MAX_JSON_DEPTH + 1));
    expect(() => parser.end()).toThrow(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
  });
});

describe('a streamed run reads its output from the parse it already made', () => {
  it.each(TRICKY)('exactly JSON.parse of the arguments, not parsed again: %s', async (_name, text) => {
    const args = `{"response":${text}}`;
    for (const size of [1, 5, args.length]) {
      const parse = vi.spyOn(JSON, 'parse');
      const run = agent<undefined, unknown>({ name: 'any', model: streamed(argsChunks(args, size)), output: ANY }).runStream('?');
      const partials: unknown[] = [];
      for await (const partial of run.outputStream()) partials.push(partial);
      expect(parse.mock.calls.filter(([source]) => source === args)).toEqual([]);
      vi.restoreAllMocks();
      const output = await run.output();
      expectSameJson(output, JSON.parse(args).response);
      // The output is the live value the stream showed, completed.
      if (output !== null && typeof output === 'object') expect(partials.at(-2)).toBe(output);
      // The history keeps the arguments as sent.
      const call = run
        .allMessages()
        .flatMap((m) => (m.kind === 'response' ? m.parts : []))
        .find((p) => p.kind === 'tool-call');
      expect(call).toMatchObject({ kind: 'tool-call', args });
    }
  });

  it('output() alone reuses it too; defaults and output validators apply to it, not to the history', async () => {
    const args = '{"name":"Oslo","tags":["a"]}';
    const schema = {
      type: 'object',
      properties: { name: { type: 'string' }, size: { type: 'integer', default: 3 }, tags: { type: 'array' } },
      required: ['name'],
    };
    const parse = vi.spyOn(JSON, 'parse');
    const seen: unknown[] = [];
    const run = agent<undefined, { name: string; size: number }>({
      name: 'city',
      model: streamed(argsChunks(args, 4)),
      output: schema,
      outputValidators: [(_ctx, output) => (seen.push(structuredClone(output)), output)],
    }).runStream('?');
    expect(await run.output()).toEqual({ name: 'Oslo', size: 3, tags: ['a'] });
    expect(parse.mock.calls.filter(([source]) => source === args)).toEqual([]);
    expect(seen).toEqual([{ name: 'Oslo', size: 3, tags: ['a'] }]);
    // The default went into the output, not into the history.
    const call = run.allMessages()[1]!;
    expect(call.kind === 'response' && call.parts[0]).toMatchObject({ args });
  });
});

describe('run events', () => {
  it('keep the partial arguments they carried: defaults go into the output only', async () => {
    const args = '{"name":"Oslo"}';
    const schema = { type: 'object', properties: { name: { type: 'string' }, size: { type: 'integer', default: 3 } }, required: ['name'] };
    const city = agent<undefined, { name: string; size: number }>({ name: 'city', model: streamed(argsChunks(args, 4)), output: schema });
    let partialArgs: unknown;
    let output: unknown;
    for await (const event of city.runStreamEvents('?')) {
      if (event.kind === 'part-delta' && 'partialArgs' in event) partialArgs = event.partialArgs;
      if (event.kind === 'run-result') output = event.result.output;
    }
    expect(output).toEqual({ name: 'Oslo', size: 3 });
    expect(partialArgs).toEqual({ name: 'Oslo' });
  });
});

describe('arguments the parser does not read whole are parsed as before', () => {
  /** A plain run and a streamed run on the same answers: their retry prompts and outputs. */
  async function both(bad: string): Promise<{ plain: unknown; streamedRun: unknown }> {
    const good = '{"response":[1]}';
    let turn = 0;
    const plainModel = new FunctionModel(() => [{ kind: 'tool-call', toolName: 'final_result', args: turn++ === 0 ? bad : good, toolCallId: 'o1' }]);
    const plain = await agent<undefined, unknown>({ name: 'any', model: plainModel, output: ANY }).run('?');
    const run = agent<undefined, unknown>({ name: 'any', model: streamed(argsChunks(bad, 2), argsChunks(good, 2)), output: ANY }).runStream('?');
    for await (const _partial of run.outputStream());
    return {
      plain: { retries: retryPrompts(plain.allMessages()), output: plain.output },
      streamedRun: { retries: retryPrompts(run.allMessages()), output: await run.output() },
    };
  }

  it.each([
    ['one level too deep', `{"response":${nested(MAX_JSON_DEPTH)}}`],
    ['text after the value', '{"response":1} x'],
    ['cut short', '{"response":[1,2'],
    ['a raw control character', '{"response":"a\u0001b"}'],
    ['a leading zero', '{"response":01}'],
    ['a byte order mark', '\ufeff{"response":1}'],
    ['no arguments', ''],
    ['blank arguments', '   '],
    ['no response key', '{"answer":1}'],
  ])('%s: the same retry prompt as a plain run', async (_name, bad) => {
    const { plain, streamedRun } = await both(bad);
    expect(streamedRun).toEqual(plain);
    expect((plain as { retries: unknown[] }).retries).toHaveLength(1);
  });

  it('the depth limit: the retry prompt says so', async () => {
    const { streamedRun } = await both(`{"response":${nested(MAX_JSON_DEPTH)}}`);
    expect(streamedRun).toMatchObject({
      retries: [`The arguments of final_result are not valid JSON: JSON nested deeper than ${MAX_JSON_DEPTH} levels\n\nFix the errors and try again.`],
    });
  });
});

describe('kept arguments', () => {
  const call = (args: string): ToolCallPart & { args: string } => ({ kind: 'tool-call', toolName: 'final_result', args, toolCallId: 'o1' });

  it('are handed over once', () => {
    const part = call('{"a":1}');
    const value = { a: 1 };
    keepParsedArgs(part, value);
    expect(takeParsedArgs(part)?.value).toBe(value);
    expect(takeParsedArgs(part)).toBe(undefined);
  });

  it('are not handed over once the arguments changed', () => {
    const part = call('{"a":1}');
    keepParsedArgs(part, { a: 1 });
    part.args = '{"a":2}';
    expect(takeParsedArgs(part)).toBe(undefined);
  });
});
