/**
 * Review of the UI message stream's `data-output` parts, which the AI SDK client replaces in
 * place: what the client holds at the end of a run must be the run's output, never a partial the
 * throttle left behind, nor the partial of an output call the run turned down.
 */
import { describe, expect, it } from 'vitest';
import { agent, type AgentRunEvent } from 'schemantic';
import { uiMessageChunks, type UIMessageChunk } from 'schemantic/http';
import { streamed } from './http.helpers.js';

/** The UI message chunks of a run, each serialised as it comes (as a transport does). */
async function chunksOf(events: AsyncIterable<AgentRunEvent<unknown>>, partialOutputMs?: number | false): Promise<UIMessageChunk[]> {
  const out: UIMessageChunk[] = [];
  const options = partialOutputMs === undefined ? {} : { partialOutputMs };
  for await (const chunk of uiMessageChunks(events, options)) out.push(JSON.parse(JSON.stringify(chunk)) as UIMessageChunk);
  return out;
}

/** The data of each `data-output` chunk, in order. */
const outputs = (chunks: readonly UIMessageChunk[]) => chunks.flatMap((c) => (c.type === 'data-output' ? [(c as { data: unknown }).data] : []));

/** The run's final output, from a `run-result` event. */
async function finalOutput(events: AsyncIterable<AgentRunEvent<unknown>>): Promise<unknown> {
  let output: unknown;
  for await (const event of events) if (event.kind === 'run-result') output = event.result.output;
  return output;
}

describe('UI message stream: the data-output part the client keeps is the output', () => {
  it('a string output in native mode: the final value follows the partials the throttle let through', async () => {
    const run = () =>
      agent<undefined, string>({
        name: 'greeting',
        model: streamed(['{"resp', 'onse":"hel', 'lo wor', 'ld"}']),
        output: { type: 'string', minLength: 1 } as never,
        outputMode: 'native',
      }).runStreamEvents('?');
    expect(await finalOutput(run())).toBe('hello world');
    // A long throttle: only the first partial ("hel") goes out; the client must still end with the output.
    const sent = outputs(await chunksOf(run(), 60_000));
    expect(sent[0]).toBe('hel');
    expect(sent.at(-1)).toBe('hello world');
  });

  it('an output call turned down, then a text answer: the partial of the rejected call does not stay', async () => {
    const run = () =>
      agent<undefined, unknown>({
        name: 'either',
        model: streamed([{ 0: { name: 'final_result_Count', jsonArgs: '{"n":"many"}', toolCallId: 'o1' } }], ['Just text, then.']),
        output: {
          members: [
            { name: 'Count', schema: { type: 'object', properties: { n: { type: 'number' } }, required: ['n'] } },
            { name: 'Note', schema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] } },
          ],
          allowsText: true,
        } as never,
      }).runStreamEvents('?');
    expect(await finalOutput(run())).toBe('Just text, then.');
    const sent = outputs(await chunksOf(run(), 0));
    expect(sent).toContainEqual({ n: 'many' });
    expect(sent.at(-1)).toBe('Just text, then.');
  });
});
