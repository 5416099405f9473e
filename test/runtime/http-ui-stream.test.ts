/**
 * `schemantic/http` AI SDK UI message stream over real HTTP (servers on 127.0.0.1, read with fetch),
 * as a web Response and written to a Node ServerResponse, read back with the AI SDK's own parser and
 * reader; and the chunks themselves (uiMessageChunks).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { agent, ModelRetry, type AgentRunEvent } from 'schemantic';
import { uiMessageChunks, type UIMessageChunk } from 'schemantic/http';
import {
  closeServers,
  uiTransports,
  uiChunks,
  aiSdkMessage,
  streamed,
  weatherTool,
  sunny,
  endlessModel,
  readThenLeave,
  providerFailure,
} from './http.helpers.js';

afterEach(closeServers);

describe.each(uiTransports)('UI message stream: $name', ({ serve }) => {
  it('maps a run (reasoning, a tool round, text, structured output) to chunks the AI SDK reads into one message', async () => {
    const model = streamed(
      [
        { thinking: 'Paris: ' },
        { thinking: 'call weather.' },
        { 0: { name: 'weather', jsonArgs: '{"city":', toolCallId: 'w1' } },
        { 0: { jsonArgs: '"Paris"}' } },
      ],
      ['Checking. ', { 0: { name: 'final_result', jsonArgs: '{"summary":', toolCallId: 'o1' } }, { 0: { jsonArgs: '"sunny"}' } }],
    );
    const output = { type: 'object', properties: { summary: { type: 'string' } }, required: ['summary'] };
    const url = await serve(() => agent<undefined, { summary: string }>({ name: 'trip', model, tools: [sunny], output }).runStreamEvents('Weather in Paris?'));
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-vercel-ai-ui-message-stream')).toBe('v1');
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const text = await response.text();
    expect(text.endsWith('\n\ndata: [DONE]\n\n')).toBe(true);
    // Exact chunks: only fields of the protocol (AI SDK 5's client rejects unknown ones).
    expect(uiChunks(text)).toEqual([
      { type: 'start', messageId: 'msg-1' },
      { type: 'start-step' },
      { type: 'reasoning-start', id: 'reasoning-1-0' },
      { type: 'reasoning-delta', id: 'reasoning-1-0', delta: 'Paris: ' },
      { type: 'reasoning-delta', id: 'reasoning-1-0', delta: 'call weather.' },
      { type: 'tool-input-start', toolCallId: 'w1', toolName: 'weather' },
      { type: 'tool-input-delta', toolCallId: 'w1', inputTextDelta: '{"city":' },
      { type: 'tool-input-delta', toolCallId: 'w1', inputTextDelta: '"Paris"}' },
      { type: 'reasoning-end', id: 'reasoning-1-0' },
      { type: 'tool-input-available', toolCallId: 'w1', toolName: 'weather', input: { city: 'Paris' } },
      { type: 'tool-output-available', toolCallId: 'w1', output: 'sunny in Paris' },
      { type: 'finish-step' },
      { type: 'start-step' },
      { type: 'text-start', id: 'text-2-0' },
      { type: 'text-delta', id: 'text-2-0', delta: 'Checking. ' },
      // The output as it starts (later partials come within the default 100 ms and wait).
      { type: 'data-output', id: 'output', data: {} },
      { type: 'text-end', id: 'text-2-0' },
      { type: 'finish-step' },
      { type: 'data-output', id: 'output', data: { summary: 'sunny' } },
      { type: 'finish' },
    ]);
    const message = await aiSdkMessage(text);
    expect(message).toMatchObject({ id: 'msg-1', role: 'assistant' });
    expect(message!.parts).toEqual([
      { type: 'step-start' },
      expect.objectContaining({ type: 'reasoning', text: 'Paris: call weather.', state: 'done' }),
      expect.objectContaining({ type: 'tool-weather', toolCallId: 'w1', state: 'output-available', input: { city: 'Paris' }, output: 'sunny in Paris' }),
      { type: 'step-start' },
      expect.objectContaining({ type: 'text', text: 'Checking. ', state: 'done' }),
      { type: 'data-output', id: 'output', data: { summary: 'sunny' } },
    ]);
  });

  it('sends retries as tool errors: arguments against the schema as input errors, a ModelRetry as an output error', async () => {
    const model = streamed(
      [{ 0: { name: 'weather', jsonArgs: '{"city":5}', toolCallId: 'w1' }, 1: { name: 'weather', jsonArgs: '{"city":"Atlantis"}', toolCallId: 'w2' } }],
      ['Sorry.'],
    );
    const picky = weatherTool((city) => {
      throw new ModelRetry(`no such city: ${city}`);
    });
    const text = await (await fetch(await serve(() => agent({ name: 'trip', model, tools: [picky] }).runStreamEvents('?')))).text();
    const chunks = uiChunks(text);
    expect(chunks.map((c) => c.type)).toEqual([
      'start',
      'start-step',
      'tool-input-start',
      'tool-input-delta',
      'tool-input-start',
      'tool-input-delta',
      'tool-input-error',
      'tool-input-available',
      'tool-output-error',
      'finish-step',
      'start-step',
      'text-start',
      'text-delta',
      'text-end',
      'finish-step',
      // Text output is in the text parts: no data-output.
      'finish',
    ]);
    expect(chunks[6]).toEqual({
      type: 'tool-input-error',
      toolCallId: 'w1',
      toolName: 'weather',
      input: { city: 5 },
      errorText: expect.stringContaining('must be string'),
    });
    expect(chunks[8]).toEqual({ type: 'tool-output-error', toolCallId: 'w2', errorText: 'no such city: Atlantis\n\nFix the errors and try again.' });
    const parts = (await aiSdkMessage(text))!.parts;
    expect(parts.filter((p) => p.type === 'tool-weather')).toEqual([
      expect.objectContaining({ toolCallId: 'w1', state: 'output-error', errorText: expect.stringContaining('must be string') }),
      expect.objectContaining({
        toolCallId: 'w2',
        state: 'output-error',
        input: { city: 'Atlantis' },
        errorText: 'no such city: Atlantis\n\nFix the errors and try again.',
      }),
    ]);
  });

  it('ends with a generic error chunk and [DONE] when the run fails: the error stays on the server (logged)', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const text = await (await fetch(await serve(() => providerFailure().runStreamEvents('?')))).text();
      expect(uiChunks(text).slice(-2)).toEqual([
        { type: 'tool-output-available', toolCallId: 'w1', output: 'sunny in Oslo' },
        { type: 'error', errorText: 'The run failed.' },
      ]);
      expect(text).not.toContain('sk-live-secret');
      expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
      expect(logged).toHaveBeenCalledWith(expect.objectContaining({ message: expect.stringContaining('sk-live-secret') }));
      const errors: unknown[] = [];
      await aiSdkMessage(text, (error) => errors.push(error));
      expect(errors.map((e) => (e as Error).message)).toEqual(['The run failed.']);
    } finally {
      logged.mockRestore();
    }
  });

  it('sends the text errorMessage chooses (an opt-in to tell the client more)', async () => {
    const failing = weatherTool(() => {
      throw new Error('the weather service is down');
    });
    const run = () =>
      agent({ name: 'trip', model: streamed([{ 0: { name: 'weather', jsonArgs: '{"city":"Oslo"}', toolCallId: 'w1' } }]), tools: [failing] }).runStreamEvents(
        '?',
      );
    const text = await (await fetch(await serve(run, { errorMessage: (error) => (error as Error).message }))).text();
    expect(uiChunks(text).slice(-2)).toEqual([
      { type: 'tool-input-available', toolCallId: 'w1', toolName: 'weather', input: { city: 'Oslo' } },
      { type: 'error', errorText: 'the weather service is down' },
    ]);
  });

  it('cancels the run when the client goes away', async () => {
    const { model, state } = endlessModel();
    let signal: AbortSignal | undefined;
    const url = await serve(() => (s) => ((signal = s), agent({ name: 'talker', model }).runStreamEvents('Talk.', { signal: s })));
    await readThenLeave(url, 'word1 ');
    await vi.waitFor(() => expect(state.closed).toBe(true), { timeout: 1000, interval: 5 });
    expect(signal?.aborted).toBe(true);
    expect(state.produced).toBeLessThan(100);
  });
});

describe('uiMessageChunks', () => {
  /** The chunks of a run, read directly. */
  async function chunksOf(events: AsyncIterable<AgentRunEvent<unknown>>): Promise<UIMessageChunk[]> {
    const chunks: UIMessageChunk[] = [];
    for await (const chunk of uiMessageChunks(events)) chunks.push(chunk);
    return chunks;
  }

  it('settles a tool call the run never executed (a final result came first), and leaves output tools out', async () => {
    const model = streamed([
      { 0: { name: 'weather', jsonArgs: '{"city":"Rome"}', toolCallId: 'w1' }, 1: { name: 'final_result', jsonArgs: '{"summary":"done"}', toolCallId: 'o1' } },
    ]);
    const output = { type: 'object', properties: { summary: { type: 'string' } }, required: ['summary'] };
    const handled: string[] = [];
    const trip = agent({ name: 'trip', model, tools: [weatherTool((c) => (handled.push(c), 'x'))], output, endStrategy: 'early' });
    const chunks = await chunksOf(trip.runStreamEvents('?'));
    expect(handled).toEqual([]);
    expect(chunks).toEqual([
      { type: 'start' },
      { type: 'start-step' },
      { type: 'tool-input-start', toolCallId: 'w1', toolName: 'weather' },
      { type: 'tool-input-delta', toolCallId: 'w1', inputTextDelta: '{"city":"Rome"}' },
      { type: 'data-output', id: 'output', data: { summary: 'done' } },
      { type: 'tool-output-error', toolCallId: 'w1', errorText: 'Tool not executed - a final result was already processed.' },
      { type: 'finish-step' },
      { type: 'data-output', id: 'output', data: { summary: 'done' } },
      { type: 'finish' },
    ]);
  });

  it('shows a tool call whose name and id came after its first fragment once complete; tool activity ends a step', async () => {
    async function* events(): AsyncGenerator<AgentRunEvent<unknown>> {
      // A response whose only part has index 1 (an adapter may skip a block it does not map).
      const part = { kind: 'tool-call' as const, toolName: 'lookup', args: '{"q":"x"}', toolCallId: 'c9' };
      yield { kind: 'part-start', index: 1, part: { ...part, toolName: '', args: '', toolCallId: '' } };
      yield {
        kind: 'part-delta',
        index: 1,
        delta: { kind: 'tool-call', argsDelta: '{"q":"x"}', toolName: 'look', toolCallId: 'c9' },
        toolName: 'look',
        toolCallId: 'c9',
        partialArgs: { q: 'x' },
      };
      yield { kind: 'part-end', index: 1, part };
      yield { kind: 'function-tool-call', toolName: 'lookup', part, args: { q: 'x' } };
      yield {
        kind: 'function-tool-result',
        toolName: 'lookup',
        toolCallId: 'c9',
        result: { kind: 'tool-return', toolName: 'lookup', toolCallId: 'c9', content: 'found', timestamp: '' },
      };
      // The next response: its index 0 is new, but the tool step in between says it is a new response.
      yield { kind: 'part-start', index: 0, part: { kind: 'text', content: 'Found.' } };
      yield { kind: 'part-end', index: 0, part: { kind: 'text', content: 'Found.' } };
    }
    expect(await chunksOf(events())).toEqual([
      { type: 'start' },
      { type: 'start-step' },
      // Not at the delta: the name was still growing ("look"); shown complete at the part's end.
      { type: 'tool-input-start', toolCallId: 'c9', toolName: 'lookup' },
      { type: 'tool-input-delta', toolCallId: 'c9', inputTextDelta: '{"q":"x"}' },
      { type: 'tool-input-available', toolCallId: 'c9', toolName: 'lookup', input: { q: 'x' } },
      { type: 'tool-output-available', toolCallId: 'c9', output: 'found' },
      { type: 'finish-step' },
      { type: 'start-step' },
      { type: 'text-start', id: 'text-2-0' },
      { type: 'text-delta', id: 'text-2-0', delta: 'Found.' },
      { type: 'text-end', id: 'text-2-0' },
    ]);
  });
});
