/**
 * `partial-output` events of runStreamEvents (the structured output as it fills in), and how the
 * HTTP helpers send them: throttled `partial-output` SSE events, and `data-output` parts of the UI
 * message stream that the AI SDK's client replaces in place until the final output.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { agent, type AgentRunEvent, type AgentStreamEvent } from 'schemantic';
import { uiMessageChunks, type UIMessageChunk } from 'schemantic/http';
import { aiSdkMessage, closeServers, parseSse, sseTransports, streamed, sunny, uiChunks, uiTransports } from './http.helpers.js';

afterEach(closeServers);

interface Whale {
  name: string;
  length: number;
}

const whalesOutput = {
  type: 'array',
  items: { type: 'object', properties: { name: { type: 'string' }, length: { type: 'number' } }, required: ['name', 'length'] },
};

/** A model writing the whales output tool's arguments (`{"response": [...]}`) a few characters at a time. */
function whalesModel(json = '{"response":[{"name":"Blue","length":30},{"name":"Fin","length":25},{"name":"Sei","length":17}]}', step = 7) {
  const chunks: Record<number, { name?: string; jsonArgs: string; toolCallId?: string }>[] = [];
  for (let i = 0; i < json.length; i += step) {
    chunks.push({ 0: i === 0 ? { name: 'final_result', jsonArgs: json.slice(i, i + step), toolCallId: 'o1' } : { jsonArgs: json.slice(i, i + step) } });
  }
  return streamed(chunks);
}

/** Snapshots of each partial output as it arrived (the values are live). */
async function partials<T>(events: AsyncIterable<AgentRunEvent<T>>): Promise<{ partials: unknown[]; kinds: string[]; output: unknown }> {
  const seen: unknown[] = [];
  const kinds: string[] = [];
  let output: unknown;
  for await (const event of events) {
    kinds.push(event.kind);
    if (event.kind === 'partial-output') seen.push(structuredClone(event.output));
    if (event.kind === 'run-result') output = event.result.output;
  }
  return { partials: seen, kinds, output };
}

describe('partial-output events', () => {
  it('follow an output tool call: an array output (wrapped as `response`) grows row by row', async () => {
    const whales = agent<undefined, Whale[]>({ name: 'whales', model: whalesModel(), output: whalesOutput });
    const { partials: seen, output } = await partials(whales.runStreamEvents('Whales?'));
    const rows = seen.map((p) => (p as unknown[]).length);
    // The first row appears with the array (`[{`, seven characters in); never shrinks, passes
    // through every count, ends with all three.
    expect(seen[0]).toEqual([{}]);
    expect(rows).toEqual([...rows].sort((a, b) => a - b));
    expect(new Set(rows)).toEqual(new Set([1, 2, 3]));
    expect(seen.at(-1)).toEqual(output);
    expect(output).toEqual([
      { name: 'Blue', length: 30 },
      { name: 'Fin', length: 25 },
      { name: 'Sei', length: 17 },
    ]);
    // A string grows while it streams; a number appears only once complete.
    expect(seen).toContainEqual([{ name: 'Blue' }]);
    expect(seen.some((p) => JSON.stringify(p).includes('"length":3}'))).toBe(false);
  });

  it('follow the JSON of a native-mode answer', async () => {
    const model = streamed(['{"summ', 'ary":"sun', 'ny and ', 'warm"}']);
    const output = { type: 'object', properties: { summary: { type: 'string' } }, required: ['summary'] };
    const trip = agent<undefined, { summary: string }>({ name: 'trip', model, output, outputMode: 'native' });
    const { partials: seen, output: final } = await partials(trip.runStreamEvents('?'));
    expect(seen).toEqual([{}, { summary: 'sun' }, { summary: 'sunny and ' }, { summary: 'sunny and warm' }]);
    expect(final).toEqual({ summary: 'sunny and warm' });
  });

  it('are not sent for a text output (its text parts are the output), nor to event handlers', async () => {
    const text = await partials(agent({ name: 'trip', model: streamed(['Sunny ', 'in Paris.']) }).runStreamEvents('?'));
    expect(text.kinds).not.toContain('partial-output');
    expect(text.output).toBe('Sunny in Paris.');
    const handled: AgentStreamEvent['kind'][] = [];
    await agent<undefined, Whale[]>({ name: 'whales', model: whalesModel(), output: whalesOutput }).run('?', {
      eventHandler: (e) => void handled.push(e.kind),
    });
    expect(handled).toContain('part-delta');
    expect(handled as string[]).not.toContain('partial-output');
  });

  it('start again with each response: a tool round first, then the output', async () => {
    const model = streamed(
      [{ 0: { name: 'weather', jsonArgs: '{"city":"Oslo"}', toolCallId: 'w1' } }],
      [{ 0: { name: 'final_result', jsonArgs: '{"summary":', toolCallId: 'o1' } }, { 0: { jsonArgs: '"cold"}' } }],
    );
    const output = { type: 'object', properties: { summary: { type: 'string' } }, required: ['summary'] };
    const { partials: seen, kinds } = await partials(agent({ name: 'trip', model, tools: [sunny], output }).runStreamEvents('?'));
    // Nothing for the weather call's arguments: only the output tool's are the output.
    expect(kinds.indexOf('partial-output')).toBeGreaterThan(kinds.indexOf('function-tool-result'));
    expect(seen).toEqual([{}, { summary: 'cold' }]);
  });

  it('survive a malformed output call: the retry starts a fresh partial output', async () => {
    const model = streamed(
      [{ 0: { name: 'final_result', jsonArgs: '{"response":[{"name":"Blue","length":"long"}]}', toolCallId: 'o1' } }],
      [{ 0: { name: 'final_result', jsonArgs: '{"response":[{"name":"Minke","length":8}]}', toolCallId: 'o2' } }],
    );
    const { partials: seen, output } = await partials(agent<undefined, Whale[]>({ name: 'whales', model, output: whalesOutput }).runStreamEvents('?'));
    expect(seen[0]).toEqual([{ name: 'Blue', length: 'long' }]);
    expect(seen.at(-1)).toEqual([{ name: 'Minke', length: 8 }]);
    expect(output).toEqual([{ name: 'Minke', length: 8 }]);
  });
});

describe('partial output over HTTP', () => {
  const run = () => agent<undefined, Whale[]>({ name: 'whales', model: whalesModel(), output: whalesOutput }).runStreamEvents('Whales?');

  it.each(uiTransports)('UI message stream ($name): data-output parts grow, and the client keeps one part, the final output', async ({ serve }) => {
    const text = await (await fetch(await serve(run, { partialOutputMs: 0 }))).text();
    const outputs = uiChunks(text).filter((c): c is Extract<UIMessageChunk, { data: unknown }> => c.type === 'data-output');
    expect(outputs.length).toBeGreaterThan(4);
    expect(outputs.every((c) => c.id === 'output')).toBe(true);
    const rows = outputs.map((c) => (c.data as unknown[]).length);
    expect(rows).toEqual([...rows].sort((a, b) => a - b));
    expect(rows.at(-1)).toBe(3);
    const message = await aiSdkMessage(text);
    const dataParts = message!.parts.filter((p) => p.type === 'data-output');
    expect(dataParts).toEqual([{ type: 'data-output', id: 'output', data: expect.arrayContaining([{ name: 'Sei', length: 17 }]) }]);
  });

  it('UI message stream: partialOutputMs false sends only the final output; the default sends the first partial at once', async () => {
    const only = async (options: { partialOutputMs?: number | false }) => {
      // Read as each chunk comes: a partial output is live (a transport serialises it at once).
      const rows: number[] = [];
      for await (const chunk of uiMessageChunks(run(), options)) if (chunk.type === 'data-output') rows.push((chunk as { data: unknown[] }).data.length);
      return rows;
    };
    expect(await only({ partialOutputMs: false })).toEqual([3]);
    const throttled = await only({});
    expect(throttled.length).toBeGreaterThan(1);
    expect(throttled[0]).toBeLessThan(3);
    expect(throttled.at(-1)).toBe(3);
    expect(throttled.length).toBeLessThan((await only({ partialOutputMs: 0 })).length);
  });

  it.each(sseTransports)('SSE ($name): partial-output events, throttled unless partialOutputMs is 0', async ({ serve }) => {
    const events = async (options: { partialOutputMs?: number | false }) =>
      parseSse(await (await fetch(await serve(run, options))).text())
        .filter((e) => e.event === 'partial-output')
        .map((e) => (JSON.parse(e.data) as { output: unknown[] }).output.length);
    const every = await events({ partialOutputMs: 0 });
    expect(every.at(-1)).toBe(3);
    expect(every).toEqual([...every].sort((a, b) => a - b));
    expect(await events({ partialOutputMs: false })).toEqual([]);
    expect((await events({})).length).toBeLessThan(every.length);
  });
});

describe('SSE size of a streamed structured output', () => {
  it.each(sseTransports)('$name: output-tool deltas go without partialArgs, so the stream grows with the output, not its square', async ({ serve }) => {
    const rows = Array.from({ length: 60 }, (_, i) => ({ name: `Whale number ${i}`, length: i + 1 }));
    const json = JSON.stringify({ response: rows });
    const run = () => agent<undefined, Whale[]>({ name: 'whales', model: whalesModel(json, 8), output: whalesOutput }).runStreamEvents('?');
    const events = parseSse(await (await fetch(await serve(run, { partialOutputMs: false }))).text());
    const deltas = events.filter((e) => e.event === 'part-delta').map((e) => JSON.parse(e.data) as Record<string, unknown>);
    expect(deltas.length).toBeGreaterThan(100);
    expect(deltas.every((d) => !('partialArgs' in d) && typeof (d['delta'] as { argsDelta?: unknown }).argsDelta === 'string')).toBe(true);
    // The deltas' text joins into the arguments: nothing lost.
    expect(deltas.map((d) => (d['delta'] as { argsDelta: string }).argsDelta).join('')).toBe(json);
    const bytes = events.reduce((n, e) => n + e.data.length, 0);
    expect(bytes).toBeLessThan(json.length * 40);
  });
});
