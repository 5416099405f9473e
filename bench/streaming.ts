/**
 * npm run bench:streaming — structured output streamed in small chunks, consumed as it fills in.
 *
 * A structured output of 50, 100 and 200 KB (an array of objects) arrives in 25-byte chunks.
 * Side by side, in one process, interleaved:
 *  - Schemantic: a whole agent run on FunctionModel's streaming variant, read with
 *    `runStream().outputStream()` and no debounce (every partial value), final validation included;
 *    and its incremental parser alone on the same chunks (what the stream adds per byte);
 *  - the AI SDK's approach: its `parsePartialJson` applied to the text accumulated so far, at every
 *    chunk (what `streamObject` does);
 *  - the floor: one `JSON.parse` of the whole text;
 *  - the delivery floor: the same chunks read from an async generator, doing nothing with them
 *    (what any consumer of a provider stream pays per chunk before it looks at one).
 * Reports CPU time (user + system) per consumption, medians, and the ratios to the floors.
 * Not a test: nothing here asserts a time.
 */
import { parsePartialJson } from 'ai';
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

async function main(): Promise<void> {
  console.log(`node ${process.version}; ${reps} interleaved repetitions; chunks of ${CHUNK} bytes; CPU milliseconds, medians\n`);
  console.log(
    '| output | chunks | JSON.parse (floor) | stream read, nothing done (delivery floor) | Schemantic parser, per chunk | Schemantic outputStream, whole run | AI SDK parsePartialJson per chunk | parser / floor | outputStream / floor | outputStream / delivery floor | AI SDK / floor |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const kb of [50, 100, 200]) {
    const value = output(kb);
    // The wrapped form the output tool carries for a non-object output: {"response": [...]}.
    const text = JSON.stringify({ response: value });
    const pieces = chunks(text);
    // Both must read the same value before anything is timed.
    const check = new FunctionModel(undefined, {
      stream: async function* () {
        yield { 0: { name: 'final_result', jsonArgs: text, toolCallId: 'o' } };
      },
    });
    const out = await agent<undefined, unknown[]>({ name: 'check', model: check, output: schema }).runStream('?').output();
    if (JSON.stringify(out) !== JSON.stringify(value)) throw new Error('Schemantic read another value');
    if (JSON.stringify(((await parsePartialJson(text)).value as { response: unknown }).response) !== JSON.stringify(value))
      throw new Error('the AI SDK read another value');
    // Warm-up.
    for (let i = 0; i < 2; i++) {
      await schemantic(pieces);
      JSON.parse(text);
      if (kb <= 100) await aiSdk(pieces);
    }
    const floor: number[] = [];
    const read: number[] = [];
    const parse: number[] = [];
    const ours: number[] = [];
    const theirs: number[] = [];
    for (let r = 0; r < reps; r++) {
      // JSON.parse of 200 KB takes under a millisecond: time a batch and divide.
      floor.push(
        (await cpu(() => {
          for (let i = 0; i < 50; i++) JSON.parse(text);
        })) / 50,
      );
      read.push(
        (await cpu(async () => {
          for (let i = 0; i < 5; i++) await delivery(pieces);
        })) / 5,
      );
      parse.push(
        (await cpu(() => {
          for (let i = 0; i < 20; i++) parser(pieces);
        })) / 20,
      );
      ours.push(await cpu(() => schemantic(pieces)));
      // The per-chunk re-parse grows with the square of the size: fewer repetitions at 200 KB.
      if (r < (kb >= 200 ? 3 : reps)) theirs.push(await cpu(() => aiSdk(pieces)));
    }
    const f = median(floor);
    const d = median(read);
    const p = median(parse);
    const s = median(ours);
    const a = median(theirs);
    console.log(
      `| ${kb} KB | ${pieces.length} | ${f.toFixed(2)} ms | ${d.toFixed(2)} ms | ${p.toFixed(2)} ms | ${s.toFixed(2)} ms | ${a.toFixed(0)} ms | ${(p / f).toFixed(1)}x | ${(s / f).toFixed(0)}x | ${(s / d).toFixed(1)}x | ${(a / f).toFixed(0)}x |`,
    );
  }
}

await main();
