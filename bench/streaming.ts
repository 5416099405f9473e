/**
 * npm run bench:streaming — structured output streamed in small chunks, consumed as it fills in.
 *
 * A structured output of 50, 100 and 200 KB (an array of objects) arrives in 25-byte chunks.
 * Side by side, in one process (interleaved repetitions: first the floors and Schemantic's
 * columns, then the AI SDK's two; see main for why they come last):
 *  - Schemantic: a whole agent run on FunctionModel's streaming variant, read with
 *    `runStream().outputStream()` and no debounce (every partial value), final validation included;
 *    and its incremental parser alone on the same chunks (what the stream adds per byte);
 *  - the AI SDK's approach: its `parsePartialJson` applied to the text accumulated so far, at every
 *    chunk (what `streamObject` does);
 *  - the AI SDK's real path: `streamText` with `Output.object` (a zod schema of the same shape) over
 *    its MockLanguageModelV3 streaming the same chunks as text deltas, read through
 *    `partialOutputStream`, the validated output awaited;
 *  - the floor: one `JSON.parse` of the whole text;
 *  - the delivery floor: the same chunks read from an async generator, doing nothing with them
 *    (what any consumer of a provider stream pays per chunk before it looks at one).
 * Reports CPU time (user + system) per consumption, medians, and the ratios to the floors. Each
 * sample of Schemantic's columns and the floors times a batch (JSON.parse 50, delivery 5, parser 20,
 * whole run 5) and divides; the AI SDK's per-chunk re-parses run long enough alone.
 * Not a test: nothing here asserts a time.
 */
import { Output, parsePartialJson, streamText } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import { z } from 'zod';
import { agent } from '../runtime/index.js';
import { PartialJsonParser } from '../runtime/stream/partial-json.js';
import { FunctionModel, type StreamChunk } from '../runtime/testing/index.js';
import { benchReps, median } from './stats.js';

const reps = benchReps(9);
const CHUNK = 25;

/** CPU milliseconds (user + system) spent by `fn`. */
async function cpu(fn: () => Promise<unknown> | unknown): Promise<number> {
  const start = process.cpuUsage();
  await fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

const item = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    name: { type: 'string' },
    description: { type: 'string' },
    price: { type: 'number' },
    tags: { type: 'array', items: { type: 'string' } },
    inStock: { type: 'boolean' },
  },
  required: ['id', 'name', 'price'],
};
const schema = { type: 'array', items: item };

/** An array of objects whose JSON is about `kb` kilobytes. */
function output(kb: number): unknown[] {
  const items: unknown[] = [];
  for (let id = 0; JSON.stringify(items).length < kb * 1024; id++) {
    items.push({
      id,
      name: `Item number ${id}`,
      description: `A "quoted" description of item ${id}, with some text\nand a newline.`,
      price: id * 1.25,
      tags: ['alpha', 'beta', `t${id % 7}`],
      inStock: id % 3 === 0,
    });
  }
  return items;
}

function chunks(text: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += CHUNK) out.push(text.slice(i, i + CHUNK));
  return out;
}

/** The model's stream: the output tool's arguments, one chunk at a time. */
async function* modelStream(pieces: readonly string[]): AsyncIterable<StreamChunk> {
  yield { 0: { name: 'final_result', jsonArgs: pieces[0]!, toolCallId: 'o1' } };
  for (let i = 1; i < pieces.length; i++) yield { 0: { jsonArgs: pieces[i]! } };
}

/** The delivery floor: the model's stream read and dropped. */
async function delivery(pieces: readonly string[]): Promise<number> {
  let n = 0;
  for await (const _chunk of modelStream(pieces)) n++;
  return n;
}

/** Schemantic: the output tool's arguments streamed, read through outputStream(). */
async function schemantic(pieces: readonly string[]): Promise<number> {
  const model = new FunctionModel(undefined, { stream: () => modelStream(pieces) });
  const run = agent<undefined, unknown[]>({ name: 'catalog', model, output: schema }).runStream('List the catalog.');
  let partials = 0;
  for await (const _partial of run.outputStream()) partials++;
  return partials;
}

/** Schemantic's incremental parser alone, fed the same chunks (the part outputStream adds per byte). */
function parser(pieces: readonly string[]): number {
  const p = new PartialJsonParser();
  let changed = 0;
  for (const piece of pieces) if (p.push(piece)) changed++;
  p.end();
  return changed;
}

/** The same output for the AI SDK: the wrapped form, as text (no tool call), validated by zod. */
const zodCatalog = z.object({
  response: z.array(
    z.object({
      id: z.int(),
      name: z.string(),
      description: z.string().optional(),
      price: z.number(),
      tags: z.array(z.string()).optional(),
      inStock: z.boolean().optional(),
    }),
  ),
});

const usage = { inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 5, text: 5, reasoning: 0 } };

/** A provider's stream for the AI SDK: the chunks as text deltas, one per pull, as an SDK stream hands them over. */
function textDeltas(pieces: readonly string[]): ReadableStream {
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      const k = i++;
      if (k === 0) {
        controller.enqueue({ type: 'stream-start', warnings: [] });
        controller.enqueue({ type: 'text-start', id: 't' });
      }
      if (k < pieces.length) controller.enqueue({ type: 'text-delta', id: 't', delta: pieces[k]! });
      else {
        controller.enqueue({ type: 'text-end', id: 't' });
        controller.enqueue({ type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage });
        controller.close();
      }
    },
  });
}

/** The AI SDK's real path: streamText with Output.object, read through partialOutputStream; returns the output. */
async function aiSdkStreamText(pieces: readonly string[]): Promise<unknown> {
  const model = new MockLanguageModelV3({ doStream: async () => ({ stream: textDeltas(pieces) }) });
  const result = streamText({ model, output: Output.object({ schema: zodCatalog }), prompt: 'List the catalog.' });
  for await (const _partial of result.partialOutputStream);
  const { response } = await result.output;
  // The result's other streams still hold every chunk when the output is known, and go on
  // working through them (tens of milliseconds at 50 KB): that is this call's work too.
  await result.consumeStream();
  return response;
}

/**
 * Lets work a measurement left running (the garbage collector's threads, after the AI SDK's
 * quadratic garbage) finish before the next one starts, outside any timing: process CPU time
 * would bill it to whatever is timed next.
 */
function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 100));
}

/** The AI SDK's approach: re-parse the accumulated text at every chunk. */
async function aiSdk(pieces: readonly string[]): Promise<number> {
  let text = '';
  let parsed = 0;
  for (const piece of pieces) {
    text += piece;
    const result = await parsePartialJson(text);
    if (result.value !== undefined) parsed++;
  }
  return parsed;
}

/** One size: its data, and the samples of every column. */
interface Row {
  kb: number;
  value: unknown[];
  text: string;
  pieces: string[];
  floor: number[];
  read: number[];
  parse: number[];
  ours: number[];
  theirs: number[];
  theirStream: number[];
}

/** JSON.parse, the delivery floor, the parser and the whole run, interleaved. */
async function measureSchemantic(row: Row): Promise<void> {
  const { text, pieces, value } = row;
  // All must read the same value before anything is timed.
  const check = new FunctionModel(undefined, {
    stream: async function* () {
      yield { 0: { name: 'final_result', jsonArgs: text, toolCallId: 'o' } };
    },
  });
  const out = await agent<undefined, unknown[]>({ name: 'check', model: check, output: schema }).runStream('?').output();
  if (JSON.stringify(out) !== JSON.stringify(value)) throw new Error('Schemantic read another value');
  // Warm-up.
  for (let i = 0; i < 2; i++) {
    await schemantic(pieces);
    JSON.parse(text);
  }
  for (let r = 0; r < reps; r++) {
    // JSON.parse of 200 KB takes under a millisecond: time a batch and divide.
    row.floor.push(
      (await cpu(() => {
        for (let i = 0; i < 50; i++) JSON.parse(text);
      })) / 50,
    );
    row.read.push(
      (await cpu(async () => {
        for (let i = 0; i < 5; i++) await delivery(pieces);
      })) / 5,
    );
    row.parse.push(
      (await cpu(() => {
        for (let i = 0; i < 20; i++) parser(pieces);
      })) / 20,
    );
    // A batch too: a single run right after the other columns' garbage pays for collecting it
    // (the young generation shrunk, allocation sites to learn again), which a batch spreads.
    row.ours.push(
      (await cpu(async () => {
        for (let i = 0; i < 5; i++) await schemantic(pieces);
      })) / 5,
    );
  }
}

/** The AI SDK's per-chunk re-parse and streamText, interleaved. */
async function measureAiSdk(row: Row): Promise<void> {
  const { text, pieces, value, kb } = row;
  if (JSON.stringify(((await parsePartialJson(text)).value as { response: unknown }).response) !== JSON.stringify(value))
    throw new Error('the AI SDK read another value');
  if (JSON.stringify(await aiSdkStreamText(pieces)) !== JSON.stringify(value)) throw new Error('the AI SDK streamText read another value');
  if (kb <= 100) {
    await aiSdk(pieces);
    await aiSdkStreamText(pieces);
  }
  await settle();
  // The per-chunk re-parse grows with the square of the size: fewer repetitions at 200 KB.
  for (let r = 0; r < (kb >= 200 ? Math.min(reps, 3) : reps); r++) {
    row.theirs.push(await cpu(() => aiSdk(pieces)));
    await settle();
    row.theirStream.push(await cpu(() => aiSdkStreamText(pieces)));
    await settle();
  }
}

async function main(): Promise<void> {
  console.log(`node ${process.version}; ${reps} interleaved repetitions; chunks of ${CHUNK} bytes; CPU milliseconds, medians\n`);
  const rows: Row[] = [50, 100, 200].map((kb) => {
    const value = output(kb);
    // The wrapped form the output tool carries for a non-object output: {"response": [...]}.
    const text = JSON.stringify({ response: value });
    return { kb, value, text, pieces: chunks(text), floor: [], read: [], parse: [], ours: [], theirs: [], theirStream: [] };
  });
  // The AI SDK's columns come last. Its per-chunk re-parse allocates gigabytes, which the garbage
  // collector's threads go on working through long after, whatever runs then; process CPU time
  // counts those threads, so a column timed after it was billed for them (2x to 3x for the whole
  // run, which moves its live value into the old generation as it grows), however long the pause.
  for (const row of rows) await measureSchemantic(row);
  for (const row of rows) await measureAiSdk(row);
  console.log(
    '| output | chunks | JSON.parse (floor) | stream read, nothing done (delivery floor) | Schemantic parser, per chunk | Schemantic outputStream, whole run | AI SDK parsePartialJson per chunk | AI SDK streamText + Output.object, whole run | parser / floor | outputStream / floor | outputStream / delivery floor | AI SDK parsePartialJson / floor | AI SDK streamText / floor |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const row of rows) {
    const f = median(row.floor);
    const d = median(row.read);
    const p = median(row.parse);
    const s = median(row.ours);
    const a = median(row.theirs);
    const t = median(row.theirStream);
    console.log(
      `| ${row.kb} KB | ${row.pieces.length} | ${f.toFixed(2)} ms | ${d.toFixed(2)} ms | ${p.toFixed(2)} ms | ${s.toFixed(2)} ms | ${a.toFixed(0)} ms | ${t.toFixed(0)} ms | ${(p / f).toFixed(1)}x | ${(s / f).toFixed(1)}x | ${(s / d).toFixed(1)}x | ${(a / f).toFixed(0)}x | ${(t / f).toFixed(0)}x |`,
    );
  }
}

await main();
