/**
 * JSON a model writes nested thousands of levels deep (5,000 here) never escapes as a RangeError
 * from JavaScript's recursive JSON code: past MAX_JSON_DEPTH (512) levels it is malformed JSON, so
 * the model gets a retry prompt, whether it came as tool arguments or as structured output, plain
 * or streamed, and through the SSE helpers and the SDK's serialisation of the history.
 */
import { describe, expect, it } from 'vitest';
import { agent, defineTool, type AgentRunEvent, type Model, type ModelMessage, type ResponsePart } from 'schemantic';
import { eventStreamResponse, uiMessageStreamResponse } from 'schemantic/http';
import { FunctionModel, type StreamChunk } from 'schemantic/testing';
import { checkModelJson, jsonTextOf, jsonTextTooDeep, jsonValueTooDeep, MAX_JSON_DEPTH, parseModelJson } from '../../runtime/stream/json-depth.js';
import { PartialJsonParser } from '../../runtime/stream/partial-json.js';
import { anthropicModel, withReplay } from '../providers/harness.js';
import type { Exchange } from '../providers/replay-server.js';

const DEPTH = 5_000;
/** `{"a":{"a":...1...}}`, `levels` objects deep. */
const deepText = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
/** The same as a value, built without JSON.parse. */
function deepValue(levels: number): Record<string, unknown> {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = { a: value };
  return value as Record<string, unknown>;
}
/** `text` in pieces of `size` characters. */
const pieces = (text: string, size = 997) => Array.from({ length: Math.ceil(text.length / size) }, (_, i) => text.slice(i * size, (i + 1) * size));
/** A streamed tool call: name and id with the first piece of its arguments, then the rest. */
const toolCallChunks = (name: string, toolCallId: string, args: string): StreamChunk[] =>
  pieces(args).map((jsonArgs, i) => ({ 0: i === 0 ? { name, jsonArgs, toolCallId } : { jsonArgs } }));
/** How deep a value nests (iteratively). */
function depthOf(value: unknown): number {
  let depth = 0;
  while (value !== null && typeof value === 'object') [value, depth] = [Object.values(value)[0], depth + 1];
  return depth;
}

/** The retry prompts of a history, as text. */
const retryPrompts = (messages: readonly ModelMessage[]) =>
  messages.flatMap((m) => (m.kind === 'request' ? m.parts.flatMap((p) => (p.kind === 'retry-prompt' ? [String(p.content)] : [])) : []));

const tooDeep = `JSON nested deeper than ${MAX_JSON_DEPTH} levels`;

/** A tool that records what it is called with. */
function echoTool(seen: unknown[]) {
  return defineTool({ name: 'echo', parameters: { type: 'object' }, handler: (_ctx, args) => (seen.push(args), 'ok') });
}

describe('the depth limit', () => {
  it('is 512 levels, in the incremental parser and in the helpers', () => {
    expect(MAX_JSON_DEPTH).toBe(512);
    expect(jsonTextTooDeep(deepText(512))).toBe(false);
    expect(jsonTextTooDeep(deepText(513))).toBe(true);
    // Brackets inside strings do not count.
    expect(jsonTextTooDeep(JSON.stringify({ a: '[[[[{{{{'.repeat(1000), b: '\\"[' }))).toBe(false);
    expect(jsonValueTooDeep(deepValue(512))).toBe(false);
    expect(jsonValueTooDeep(deepValue(DEPTH))).toBe(true);
    expect(() => parseModelJson(deepText(DEPTH))).toThrow(new SyntaxError(tooDeep));
    expect(parseModelJson(deepText(512))).toEqual(JSON.parse(deepText(512)));
    expect(() => checkModelJson(deepValue(513))).toThrow(new SyntaxError(tooDeep));
    expect(checkModelJson(deepValue(512))).toEqual(deepValue(512));
    // Text of a value at any depth, without JSON.stringify's recursion.
    expect(jsonTextOf(deepValue(DEPTH))).toBe(deepText(DEPTH));
    expect(jsonTextOf({ b: [1, 'x', null, { c: true }], d: undefined })).toBe(JSON.stringify({ b: [1, 'x', null, { c: true }], d: undefined }));

    const parser = new PartialJsonParser();
    for (const piece of pieces(deepText(DEPTH))) parser.push(piece);
    expect(parser.error?.message).toBe(`${tooDeep} at offset ${512 * 5}`);
    expect(depthOf(parser.value)).toBe(512);
    expect(() => JSON.stringify(parser.value)).not.toThrow();
    const unlimited = new PartialJsonParser({ maxDepth: Infinity });
    unlimited.push(deepText(DEPTH));
    expect(depthOf(unlimited.end())).toBe(DEPTH);
  });
});

describe('tool arguments nested 5,000 levels deep', () => {
  it('from a FunctionModel, get a retry prompt, and the run completes', async () => {
    const seen: unknown[] = [];
    let turn = 0;
    const model = new FunctionModel(() => (turn++ === 0 ? [{ kind: 'tool-call', toolName: 'echo', args: deepText(DEPTH), toolCallId: 'c1' }] : 'done'));
    const result = await agent({ name: 'deep', model, tools: [echoTool(seen)] }).run('go');
    expect(result.output).toBe('done');
    expect(seen.length).toBe(0);
    expect(retryPrompts(result.allMessages())).toEqual([expect.stringMatching(new RegExp(`^The arguments are not valid JSON: ${tooDeep}`))]);
    expect(() => result.allMessagesJson()).not.toThrow();
  });

  it('streamed as a value at the start of a part (a model of your own), get a retry prompt, no RangeError', async () => {
    const seen: unknown[] = [];
    const requests: (readonly ModelMessage[])[] = [];
    const model: Model = {
      name: 'plain-stream',
      system: 'test',
      request: () => {
        throw new Error('streamed only');
      },
      requestStream: async function* (messages) {
        requests.push([...messages]);
        const part: ResponsePart =
          requests.length === 1 ? { kind: 'tool-call', toolName: 'echo', args: deepValue(DEPTH), toolCallId: 'c1' } : { kind: 'text', content: 'done' };
        yield { kind: 'part-start', index: 0, part };
        yield { kind: 'part-end', index: 0 };
        yield { kind: 'finish', modelName: 'plain-stream', usage: { inputTokens: 1, outputTokens: 1 } };
      },
    };
    const kinds: string[] = [];
    for await (const event of agent({ name: 'deep', model, tools: [echoTool(seen)] }).runStreamEvents('go')) {
      kinds.push(event.kind);
      if (event.kind === 'run-result') expect(event.result.output).toBe('done');
    }
    expect(kinds.at(-1)).toBe('run-result');
    expect(seen.length).toBe(0);
    expect(retryPrompts(requests[1]!)).toEqual([expect.stringMatching(new RegExp(`^The arguments are not valid JSON: ${tooDeep}`))]);
  });

  it('held as a value (as a model of your own may answer), get a retry prompt too', async () => {
    // Not a FunctionModel: it estimates usage with JSON.stringify of its answer, which such a value
    // overflows. (The adapters never hold one: Anthropic's parsed input that deep is kept as text.)
    const seen: unknown[] = [];
    const requests: (readonly ModelMessage[])[] = [];
    const model: Model = {
      name: 'plain',
      system: 'test',
      request: async (messages) => {
        requests.push([...messages]);
        const parts: ResponsePart[] =
          requests.length === 1 ? [{ kind: 'tool-call', toolName: 'echo', args: deepValue(DEPTH), toolCallId: 'c1' }] : [{ kind: 'text', content: 'done' }];
        return { kind: 'response', parts, modelName: 'plain', timestamp: new Date().toISOString(), usage: { inputTokens: 1, outputTokens: 1 } };
      },
      requestStream: () => {
        throw new Error('not streamed');
      },
    };
    const result = await agent({ name: 'deep', model, tools: [echoTool(seen)] }).run('go');
    expect(result.output).toBe('done');
    expect(seen.length).toBe(0);
    expect(retryPrompts(requests[1]!)).toEqual([expect.stringMatching(new RegExp(`^The arguments are not valid JSON: ${tooDeep}`))]);
  });

  it('streamed to a function tool: partial arguments stop at the limit, a retry prompt follows, and the SSE helper sends every event', async () => {
    const seen: unknown[] = [];
    const run = () => {
      let turn = 0;
      const model = new FunctionModel(undefined, {
        stream: async function* (): AsyncIterable<StreamChunk> {
          if (turn++ > 0) return yield 'done';
          yield* toolCallChunks('echo', 'c1', deepText(DEPTH));
        },
      });
      return agent({ name: 'deep', model, tools: [echoTool(seen)] });
    };
    const events: AgentRunEvent<unknown>[] = [];
    for await (const event of run().runStreamEvents('go')) {
      // What a consumer that sends events does: serialise each one as it comes.
      expect(() => JSON.stringify(event)).not.toThrow();
      events.push(event);
    }
    const deltas = events.filter((e) => e.kind === 'part-delta' && 'partialArgs' in e);
    expect(Math.max(...deltas.map((e) => depthOf((e as { partialArgs: unknown }).partialArgs)))).toBe(512);
    const last = events.at(-1)!;
    expect(last.kind === 'run-result' && last.result.output).toBe('done');
    expect(last.kind === 'run-result' && retryPrompts(last.result.allMessages())).toEqual([expect.stringContaining(tooDeep)]);

    const errors: unknown[] = [];
    const text = await eventStreamResponse(run().runStreamEvents('go'), { errorMessage: (e) => (errors.push(e), 'failed') }).text();
    expect(errors).toEqual([]);
    expect(text).not.toContain('event: error');
    expect(text).toContain('event: run-result');
    expect(text.trimEnd().endsWith('event: done\ndata: {}')).toBe(true);
    expect(seen.length).toBe(0);
  });

  it('through the UI message stream: the call shows as an input error, with the text the model sent', async () => {
    let turn = 0;
    const model = new FunctionModel(() => (turn++ === 0 ? [{ kind: 'tool-call', toolName: 'echo', args: deepText(DEPTH), toolCallId: 'c1' }] : 'done'));
    const errors: unknown[] = [];
    const response = uiMessageStreamResponse(agent({ name: 'deep', model, tools: [echoTool([])] }).runStreamEvents('go'), {
      errorMessage: (e) => (errors.push(e), 'failed'),
    });
    const chunks = (await response.text())
      .split('\n\n')
      .filter((b) => b.startsWith('data: {'))
      .map((b) => JSON.parse(b.slice('data: '.length)) as { type: string; input?: unknown; errorText?: string });
    expect(errors).toEqual([]);
    const inputError = chunks.find((c) => c.type === 'tool-input-error');
    expect(inputError?.input).toBe(deepText(DEPTH));
    expect(inputError?.errorText).toContain(tooDeep);
    expect(chunks.at(-1)?.type).toBe('finish');
  });

  it("from Anthropic (a parsed tool_use input): the next request is sent, the SDK's JSON.stringify never sees the depth", async () => {
    const seen: unknown[] = [];
    const toolUse = {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'claude-3-opus',
      content: [{ type: 'tool_use', id: 'toolu_1', name: 'echo', input: '<input>' }],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: { input_tokens: 1, output_tokens: 1 },
    };
    const text = { ...toolUse, id: 'msg_2', content: [{ type: 'text', text: 'done' }], stop_reason: 'end_turn' };
    // Written as text: the replay server's own JSON.stringify would overflow on the input.
    const reply = (body: string): Exchange => ({
      request: { method: 'POST', path: '/v1/messages' },
      response: { kind: 'sse', headers: { 'content-type': 'application/json' }, text: body },
    });
    await withReplay([reply(JSON.stringify(toolUse).replace('"<input>"', deepText(DEPTH))), reply(JSON.stringify(text))], async (server) => {
      const result = await agent({ name: 'deep', model: anthropicModel(server, 'claude-3-opus'), tools: [echoTool(seen)] }).run('go');
      expect(result.output).toBe('done');
      expect(seen.length).toBe(0);
      expect(retryPrompts(result.allMessages())).toEqual([expect.stringContaining(tooDeep)]);
      // The call goes back with arguments Anthropic can take, and its retry prompt with it.
      const sent = server.requests[1]!.body as { messages: { content: { type: string; input?: unknown }[] }[] };
      expect(sent.messages[1]!.content).toEqual([expect.objectContaining({ type: 'tool_use', id: 'toolu_1', input: {} })]);
    });
  });
});

describe('structured output nested 5,000 levels deep', () => {
  /** An agent whose model streams a 5,000-deep output first, and `{"a":1}` after a retry prompt. */
  const deepOutputAgent = () => {
    let turn = 0;
    const model = new FunctionModel(undefined, {
      stream: async function* (): AsyncIterable<StreamChunk> {
        const text = turn++ === 0 ? deepText(DEPTH) : '{"a":1}';
        yield* toolCallChunks('final_result', `o${turn}`, text);
      },
    });
    return agent({ name: 'deep', model, output: { type: 'object' } as never });
  };

  it('streamed through runStreamEvents: no RangeError, a retry prompt, then the output', async () => {
    const events: AgentRunEvent<unknown>[] = [];
    for await (const event of deepOutputAgent().runStreamEvents('go')) {
      expect(() => JSON.stringify(event)).not.toThrow();
      events.push(event);
    }
    const last = events.at(-1)!;
    expect(last.kind === 'run-result' && last.result.output).toEqual({ a: 1 });
    expect(last.kind === 'run-result' && retryPrompts(last.result.allMessages())).toEqual([expect.stringContaining(tooDeep)]);
  });

  it('streamed through eventStreamResponse: every event sent, no error', async () => {
    const errors: unknown[] = [];
    const text = await eventStreamResponse(deepOutputAgent().runStreamEvents('go'), { errorMessage: (e) => (errors.push(e), 'failed') }).text();
    expect(errors).toEqual([]);
    expect(text).not.toContain('event: error');
    const result = text.split('\n\n').find((b) => b.startsWith('event: run-result'))!;
    expect(JSON.parse(result.split('\ndata: ')[1]!)).toMatchObject({ output: { a: 1 } });
  });
});
