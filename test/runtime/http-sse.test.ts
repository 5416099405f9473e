/**
 * `schemantic/http` Server-Sent Events over real HTTP (servers on 127.0.0.1, read with fetch): a
 * run's events as a web Response (served through a small node:http adapter, as fetch-style
 * frameworks run on Node) and written to a Node ServerResponse; errors as events without stacks; a
 * client that goes away cancels the run.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { agent, parseClientMessages, type AgentRunEvent, type ModelMessage } from 'schemantic';
import { closeServers, sseTransports, parseSse, streamed, sunny, weatherRun, endlessModel, readThenLeave, providerFailure } from './http.helpers.js';

afterEach(closeServers);

describe.each(sseTransports)('Server-Sent Events: $name', ({ serve }) => {
  it('streams every event as it happens, live values as they were, then done', async () => {
    const response = await fetch(await serve(weatherRun));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('x-accel-buffering')).toBe('no');
    const messages = parseSse(await response.text());
    expect(messages.map((m) => m.event)).toEqual([
      'part-start',
      'part-delta',
      'part-delta',
      'part-end',
      'function-tool-call',
      'function-tool-result',
      'part-start',
      'part-delta',
      'part-delta',
      'part-end',
      'final-result',
      'run-result',
      'done',
    ]);
    const data = messages.map((m) => JSON.parse(m.data) as Record<string, unknown>);
    // partialArgs is one object updated in place: each event shows it as it stood then.
    expect(data[1]).toMatchObject({ kind: 'part-delta', toolName: 'weather', toolCallId: 'w1', delta: { argsDelta: '{"city":' } });
    expect(data[1]!['partialArgs']).toEqual({});
    expect(data[2]!['partialArgs']).toEqual({ city: 'Paris' });
    expect(data[4]).toMatchObject({ kind: 'function-tool-call', toolName: 'weather', args: { city: 'Paris' } });
    expect(data[5]).toMatchObject({ kind: 'function-tool-result', toolCallId: 'w1', result: { kind: 'tool-return', content: 'sunny in Paris' } });
    expect([data[7], data[8]].map((d) => (d as { delta: { content: string } }).delta.content)).toEqual(['Sunny ', 'in Paris.']);
    // The result as data, not the RunResult object: output, usage, and the run's new messages as a client sees them.
    const result = data[11] as { output: unknown; usage: { requests: number }; messages: { kind: string }[] };
    expect(result.output).toBe('Sunny in Paris.');
    expect(result.usage.requests).toBe(2);
    expect(result.messages.map((m) => m.kind)).toEqual(['request', 'response']);
    expect(messages.at(-1)).toEqual({ event: 'done', data: '{}' });
  });

  it('sends in run-result the output, usage and the new user-visible messages only: no system prompt, instructions, tool calls or returns', async () => {
    const model = streamed([{ 0: { name: 'weather', jsonArgs: '{"city":"Paris"}', toolCallId: 'w1' } }], ['Sunny ', 'in Paris.']);
    const trip = agent({ name: 'trip', model, tools: [sunny], instructions: 'SECRET INSTRUCTIONS: upsell umbrellas.' });
    const messages = parseSse(await (await fetch(await serve(() => trip.runStreamEvents('Weather in Paris?')))).text());
    const result = messages.find((m) => m.event === 'run-result')!;
    expect(result.data).not.toContain('SECRET INSTRUCTIONS');
    expect(result.data).not.toContain('sunny in Paris');
    const data = JSON.parse(result.data) as { output: unknown; usage: { requests: number }; messages: ModelMessage[] };
    expect(Object.keys(data).sort()).toEqual(['messages', 'output', 'usage']);
    expect(data.output).toBe('Sunny in Paris.');
    expect(data.usage.requests).toBe(2);
    expect(data.messages).toEqual([
      { kind: 'request', parts: [{ kind: 'user-prompt', content: 'Weather in Paris?', timestamp: expect.any(String) }] },
      {
        kind: 'response',
        parts: [{ kind: 'text', content: 'Sunny in Paris.' }],
        modelName: expect.any(String),
        timestamp: expect.any(String),
        usage: { inputTokens: 0, outputTokens: 0 },
      },
    ]);
    // What it sends is a history the client can post back: parseClientMessages reads it unchanged.
    expect(parseClientMessages(data.messages)).toEqual(data.messages);
  });

  it('sends every message in run-result with resultMessages: "all" (a trusted client)', async () => {
    const model = streamed([{ 0: { name: 'weather', jsonArgs: '{"city":"Paris"}', toolCallId: 'w1' } }], ['Sunny.']);
    const trip = agent({ name: 'trip', model, tools: [sunny], instructions: 'Be brief.' });
    const url = await serve(() => trip.runStreamEvents('Weather in Paris?'), { resultMessages: 'all' });
    const result = parseSse(await (await fetch(url)).text()).find((m) => m.event === 'run-result')!;
    const data = JSON.parse(result.data) as { messages: ModelMessage[] };
    expect(data.messages.map((m) => m.parts.map((p) => p.kind))).toEqual([['user-prompt'], ['tool-call'], ['tool-return'], ['text']]);
    expect(data.messages[0]).toMatchObject({ instructions: 'Be brief.' });
  });

  it('ends with a generic error event when the run fails: the error stays on the server (logged), never its message or stack', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const url = await serve(() => providerFailure().runStreamEvents('?'));
      const text = await (await fetch(url)).text();
      const messages = parseSse(text);
      expect(messages.map((m) => m.event).slice(-2)).toEqual(['function-tool-result', 'error']);
      expect(JSON.parse(messages.at(-1)!.data)).toEqual({ message: 'The run failed.' });
      expect(text).not.toContain('sk-live-secret');
      expect(text).not.toContain('at ');
      expect(text).not.toContain('event: done');
      expect(logged).toHaveBeenCalledWith(expect.objectContaining({ message: expect.stringContaining('sk-live-secret') }));
    } finally {
      logged.mockRestore();
    }
  });

  it('sends the text errorMessage chooses (an opt-in to tell the client more)', async () => {
    const seen: unknown[] = [];
    const url = await serve(() => providerFailure().runStreamEvents('?'), {
      errorMessage: (error) => (seen.push(error), `failed: ${(error as Error).name}`),
    });
    const messages = parseSse(await (await fetch(url)).text());
    expect(JSON.parse(messages.at(-1)!.data)).toEqual({ message: 'failed: ModelHTTPError' });
    expect(seen).toEqual([expect.objectContaining({ status: 500 })]);
  });

  it('cancels the run when the client goes away: the signal aborts, the model stream closes', async () => {
    const { model, state } = endlessModel();
    let signal: AbortSignal | undefined;
    const url = await serve(() => (s) => ((signal = s), agent({ name: 'talker', model }).runStreamEvents('Talk.', { signal: s })));
    const text = await readThenLeave(url, 'word1 ');
    expect(text).toContain('event: part-delta');
    await vi.waitFor(() => expect(state.closed).toBe(true), { timeout: 1000, interval: 5 });
    expect(signal?.aborted).toBe(true);
    expect(state.produced).toBeLessThan(100);
  });

  it('tells a plain iterable to stop (return) when the client goes away', async () => {
    const state = { closed: false, yielded: 0 };
    async function* events(): AsyncGenerator<AgentRunEvent<unknown>> {
      try {
        yield { kind: 'part-start', index: 0, part: { kind: 'text', content: '' } };
        for (; state.yielded < 400; state.yielded++) {
          await new Promise((resolve) => setTimeout(resolve, 5));
          yield { kind: 'part-delta', index: 0, delta: { kind: 'text', content: `word${state.yielded} ` } };
        }
      } finally {
        state.closed = true;
      }
    }
    await readThenLeave(await serve(events), 'word1 ');
    await vi.waitFor(() => expect(state.closed).toBe(true), { timeout: 1000, interval: 5 });
    expect(state.yielded).toBeLessThan(100);
  });
});
