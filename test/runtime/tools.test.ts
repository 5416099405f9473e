/**
 * Tool calls the model gets wrong go back as retry prompts, within a budget; handlers never see
 * invalid arguments; a handler that breaks its returns schema is a clear error.
 */
import { describe, expect, it } from 'vitest';
import {
  agent,
  defineTool,
  ModelRetry,
  ToolReturnError,
  UnexpectedModelBehavior,
  UserError,
  type ModelMessage,
  type ModelResponse,
  type ResponsePart,
} from 'schemantic';
import { captureRunMessages, FunctionModel } from 'schemantic/testing';
import { masked } from '../helpers/messages.js';

/** A model that plays a script: one answer per request, in order. */
function scripted(...answers: (string | ResponsePart[])[]): FunctionModel {
  let i = 0;
  return new FunctionModel(() => answers[Math.min(i++, answers.length - 1)]!);
}

const call = (args: string | Record<string, unknown>, id = 'c1'): ResponsePart[] => [{ kind: 'tool-call', toolName: 'area', args, toolCallId: id }];

function areaTool(seen: unknown[], options: { retries?: number; retryUntil?: number; returns?: unknown } = {}) {
  let calls = 0;
  return defineTool<{ width: number; height: number }, unknown>({
    name: 'area',
    parameters: {
      type: 'object',
      properties: { width: { type: 'number', minimum: 0 }, height: { type: 'number', minimum: 0 } },
      required: ['width', 'height'],
      additionalProperties: false,
    },
    returns: { type: 'number' },
    ...(options.retries !== undefined ? { retries: options.retries } : {}),
    handler: (ctx, args) => {
      seen.push({ args, retry: ctx.retry });
      if (options.retryUntil !== undefined && calls++ < options.retryUntil) throw new ModelRetry('Try a smaller box.');
      return options.returns ?? args.width * args.height;
    },
  });
}

function lastRequest(messages: readonly ModelMessage[]) {
  const requests = messages.filter((m) => m.kind === 'request');
  return masked(requests[requests.length - 1]!);
}

describe('tool calls', () => {
  it('send invalid arguments back as a retry prompt listing every error; the handler never sees them', async () => {
    const seen: unknown[] = [];
    const a = agent({ name: 'geo', model: scripted(call({ width: -1, depth: 2 }), call({ width: 2, height: 3 }, 'c2'), 'done'), tools: [areaTool(seen)] });
    const result = await a.run('area?');
    expect(seen).toEqual([{ args: { width: 2, height: 3 }, retry: 1 }]);
    expect(masked(result.allMessages()[2]!)).toEqual({
      kind: 'request',
      parts: [
        {
          kind: 'retry-prompt',
          content: [
            { path: '', message: "must have required property 'height'" },
            { path: '', message: 'must NOT have additional properties: depth' },
            { path: '/width', message: 'must be >= 0' },
          ],
          toolName: 'area',
          toolCallId: 'c1',
          timestamp: '<timestamp>',
        },
      ],
    });
    expect(result.output).toBe('done');
  });

  it('send malformed JSON arguments and unknown tools back as retry prompts', async () => {
    const seen: unknown[] = [];
    const model = scripted(
      [...call('{"width": 2, "height":', 'bad'), { kind: 'tool-call', toolName: 'volume', args: {}, toolCallId: 'unknown' }],
      call({ width: 2, height: 2 }),
      'done',
    );
    const result = await agent({ name: 'geo', model, tools: [areaTool(seen)] }).run('area?');
    const retries = result.allMessages()[2]!;
    expect(retries.kind === 'request' && retries.parts.map((p) => p.kind === 'retry-prompt' && p.content)).toEqual([
      expect.stringMatching(/^The arguments are not valid JSON: /),
      'Unknown tool name: "volume". Available tools: area.\n\nFix the errors and try again.',
    ]);
    expect(seen).toHaveLength(1);
  });

  it('turn a ModelRetry thrown by the handler into a retry prompt, with ctx.retry counting', async () => {
    const seen: unknown[] = [];
    const model = scripted(call({ width: 9, height: 9 }), call({ width: 3, height: 3 }, 'c2'), 'done');
    const result = await agent({ name: 'geo', model, tools: [areaTool(seen, { retryUntil: 1 })] }).run('area?');
    expect(seen).toEqual([
      { args: { width: 9, height: 9 }, retry: 0 },
      { args: { width: 3, height: 3 }, retry: 1 },
    ]);
    expect(lastRequest(result.allMessages().slice(0, 3))).toEqual({
      kind: 'request',
      parts: [
        { kind: 'retry-prompt', content: 'Try a smaller box.\n\nFix the errors and try again.', toolName: 'area', toolCallId: 'c1', timestamp: '<timestamp>' },
      ],
    });
  });

  it('stop with UnexpectedModelBehavior, carrying the offending response, past the tool retry budget', async () => {
    const seen: unknown[] = [];
    const model = scripted(call({ width: 'wide', height: 1 }));
    const captured = await captureRunMessages(() => agent({ name: 'geo', model, tools: [areaTool(seen, { retries: 2 })] }).run('area?'));
    expect(UnexpectedModelBehavior.isInstance(captured.error)).toBe(true);
    const error = captured.error as UnexpectedModelBehavior;
    expect(error.message).toBe('tool area exceeded its maximum of 2 retries');
    expect((error.response as ModelResponse).parts).toEqual(call({ width: 'wide', height: 1 }));
    expect(captured.messages.filter((m) => m.kind === 'response')).toHaveLength(3);
    expect(seen).toEqual([]);
  });

  it('reset the retry count after a success', async () => {
    const seen: unknown[] = [];
    const model = scripted(
      call({ width: -1, height: 1 }),
      call({ width: 1, height: 1 }, 'c2'),
      call({ width: -1, height: 1 }, 'c3'),
      call({ width: 2, height: 1 }, 'c4'),
      'done',
    );
    const result = await agent({ name: 'geo', model, tools: [areaTool(seen, { retries: 1 })] }).run('area?');
    expect(result.output).toBe('done');
    expect(seen).toEqual([
      { args: { width: 1, height: 1 }, retry: 1 },
      { args: { width: 2, height: 1 }, retry: 1 },
    ]);
  });

  it('count a failed call once per step, even when another call of the same tool succeeds in that step', async () => {
    const seen: unknown[] = [];
    // Each response has one bad and one good call of `area`: with a budget of one retry, the
    // second such step must stop the run (a success in the same step does not reset the count).
    const mixed = (n: number): ResponsePart[] => [...call({ width: -1, height: 1 }, `bad${n}`), ...call({ width: 1, height: 1 }, `good${n}`)];
    const captured = await captureRunMessages(() =>
      agent({ name: 'geo', model: scripted(mixed(1), mixed(2), 'done'), tools: [areaTool(seen, { retries: 1 })] }).run('area?'),
    );
    expect(UnexpectedModelBehavior.isInstance(captured.error)).toBe(true);
    expect((captured.error as Error).message).toBe('tool area exceeded its maximum of 1 retries');
    expect(seen).toHaveLength(2);
  });

  it('count unknown tools once per response against the output budget', async () => {
    const unknown = (id: string): ResponsePart => ({ kind: 'tool-call', toolName: 'volume', args: {}, toolCallId: id });
    // Three unknown calls in one response use one retry of a budget of one: the run goes on.
    const result = await agent({
      name: 'geo',
      model: scripted([unknown('u1'), unknown('u2'), unknown('u3')], 'done'),
      tools: [areaTool([])],
      outputRetries: 1,
    }).run('area?');
    expect(result.output).toBe('done');
    const again = agent({ name: 'geo', model: scripted([unknown('u1')], [unknown('u2')], 'done'), tools: [areaTool([])], outputRetries: 1 }).run('area?');
    await expect(again).rejects.toThrow(UnexpectedModelBehavior);
  });

  it('read a null for an optional property as absent (strict-mode models send one), before validation', async () => {
    const seen: unknown[] = [];
    const weather = defineTool<{ city: string; unit?: 'c' | 'f' }>({
      name: 'weather',
      parameters: {
        type: 'object',
        properties: { city: { type: 'string' }, unit: { enum: ['c', 'f'] }, note: { type: ['string', 'null'] } },
        required: ['city'],
        additionalProperties: false,
      },
      handler: (_ctx, args) => (seen.push(args), 'sunny'),
    });
    const model = scripted([{ kind: 'tool-call', toolName: 'weather', args: '{"city":"Paris","unit":null,"note":null}', toolCallId: 'w1' }], 'done');
    await agent({ name: 'w', model, tools: [weather] }).run('weather?');
    // `unit` cannot be null: it was left out. `note` accepts null: the null is kept.
    expect(seen).toEqual([{ city: 'Paris', note: null }]);
  });

  it('fail clearly when a handler returns a value that breaks its returns schema', async () => {
    const model = scripted(call({ width: 1, height: 1 }), 'done');
    const run = agent({ name: 'geo', model, tools: [areaTool([], { returns: 'one' })] }).run('area?');
    await expect(run).rejects.toThrow(ToolReturnError);
    await expect(run).rejects.toThrow('tool area (tool area of agent geo) returned a value that does not match its returns schema: (root) must be number');
    await expect(run).rejects.toSatisfy((e: unknown) => UserError.isInstance(e));
  });

  it('let any other handler error stop the run unchanged', async () => {
    class DatabaseDown extends Error {}
    const broken = defineTool({ name: 'area', parameters: { type: 'object' }, handler: () => Promise.reject(new DatabaseDown('db down')) });
    await expect(agent({ name: 'geo', model: scripted(call({})), tools: [broken] }).run('?')).rejects.toBeInstanceOf(DatabaseDown);
  });
});
