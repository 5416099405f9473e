/**
 * `responses()` snapshots of a streamed run apply every delta the assembler applies: a tool name
 * (or call id) that arrives as a delta after the part started shows in the snapshots at once, not
 * only at the part's end.
 */
import { describe, expect, it } from 'vitest';
import { agent, defineTool, type ModelResponse } from 'schemantic';
import { FunctionModel, type StreamChunk } from 'schemantic/testing';

/** A streaming model that plays one script per request. */
function streamed(...scripts: StreamChunk[][]): FunctionModel {
  let i = 0;
  return new FunctionModel(undefined, {
    stream: async function* () {
      const script = scripts[Math.min(i++, scripts.length - 1)]!;
      for (const chunk of script) {
        await Promise.resolve();
        yield chunk;
      }
    },
  });
}

const weather = defineTool<{ city: string }>({
  name: 'weather',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  handler: (_ctx, { city }) => `sunny in ${city}`,
});

describe('responses() snapshots', () => {
  it('carry a tool name that arrives in a delta after the part started', async () => {
    // The first chunk starts the call without a name; the name arrives in two deltas, then the arguments.
    const model = streamed(
      [{ 0: { jsonArgs: '{"city":', toolCallId: 'w1' } }, { 0: { name: 'wea' } }, { 0: { name: 'ther' } }, { 0: { jsonArgs: '"Rome"}' } }],
      ['Sunny.'],
    );
    const snapshots: ModelResponse[] = [];
    for await (const response of agent({ name: 'trip', model, tools: [weather] })
      .runStream('?')
      .responses())
      snapshots.push(response);
    const names = snapshots.flatMap((r) => r.parts.flatMap((p) => (p.kind === 'tool-call' ? [p.toolName] : [])));
    // One snapshot per event of the first response: the start, four deltas (the first chunk's
    // arguments, the name in two, the rest of the arguments) and the end.
    expect(names).toEqual(['', '', 'wea', 'weather', 'weather', 'weather']);
    const call = snapshots[4]!.parts[0];
    expect(call).toMatchObject({ kind: 'tool-call', toolName: 'weather', toolCallId: 'w1', args: '{"city":"Rome"}' });
    expect(snapshots.at(-1)!.parts).toEqual([{ kind: 'text', content: 'Sunny.' }]);
  });
});
