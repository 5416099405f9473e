/**
 * Retry prompts about malformed tool-call arguments go back in a form the provider accepts, with
 * the arguments as the model sent them: OpenAI gets the raw text in the assistant message's call;
 * Anthropic, which requires `input` to be an object, gets `{"INVALID_JSON": <raw text>}` (the
 * reference's form). Snapshots of the retry turn's request body, through the real SDK clients.
 */
import { describe, expect, it } from 'vitest';
import { agent, defineTool, type ModelMessage } from 'schemantic';
import { anthropicModel, noTools, openaiModel, withReplay } from './harness.js';

const malformed = '{"w": 3, "h": ';

const area = defineTool<{ w: number; h: number }>({
  name: 'area',
  description: 'The area of a rectangle.',
  parameters: { type: 'object', properties: { w: { type: 'number' }, h: { type: 'number' } }, required: ['w', 'h'], additionalProperties: false },
  handler: (_ctx, a) => a.w * a.h,
});

describe('retry prompts about malformed arguments', () => {
  it('OpenAI: the assistant call carries the raw arguments; the retry is a tool message', async () => {
    const path = '/v1/chat/completions';
    const reply = (message: Record<string, unknown>, finish: string) => ({
      request: { method: 'POST', path },
      response: {
        kind: 'json' as const,
        status: 200,
        body: {
          id: 'chatcmpl-1',
          object: 'chat.completion',
          created: 1,
          model: 'gpt-4o',
          choices: [{ index: 0, finish_reason: finish, message: { role: 'assistant', content: null, ...message } }],
          usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
        },
      },
    });
    await withReplay(
      [
        reply({ tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'area', arguments: malformed } }] }, 'tool_calls'),
        reply({ content: 'Sorry.' }, 'stop'),
      ],
      async (server) => {
        const result = await agent({ name: 'geo', model: openaiModel(server, 'gpt-4o'), tools: [area] }).run('Area of 3 by 4?');
        expect(result.output).toBe('Sorry.');
        const retryTurn = server.requests[1]!.body as { messages: unknown[] };
        expect(retryTurn.messages[1]).toEqual({
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'area', arguments: malformed } }],
        });
        await expect(JSON.stringify(retryTurn, null, 2) + '\n').toMatchFileSnapshot('./__snapshots__/retry-form-openai.json');
      },
    );
  });

  it('Anthropic: the tool_use input wraps the raw text as INVALID_JSON; the retry is an error tool_result', async () => {
    const reply = (content: unknown[], stop: string) => ({
      request: { method: 'POST', path: '/v1/messages' },
      response: {
        kind: 'json' as const,
        status: 200,
        body: {
          id: 'msg_1',
          type: 'message',
          role: 'assistant',
          model: 'claude-sonnet-4-5',
          stop_reason: stop,
          stop_sequence: null,
          content,
          usage: { input_tokens: 10, output_tokens: 5 },
        },
      },
    });
    // A replayed Anthropic response carries an object, so the retry turn is made from a history
    // holding the malformed call as the model streamed it (the raw text of its input).
    const history: ModelMessage[] = [
      { kind: 'request', parts: [{ kind: 'user-prompt', content: 'Area of 3 by 4?', timestamp: '' }] },
      {
        kind: 'response',
        parts: [{ kind: 'tool-call', toolName: 'area', args: malformed, toolCallId: 'toolu_1' }],
        modelName: 'claude-sonnet-4-5',
        timestamp: '',
        usage: { inputTokens: 0, outputTokens: 0 },
      },
      {
        kind: 'request',
        parts: [{ kind: 'retry-prompt', content: 'The arguments of area are not valid JSON', toolName: 'area', toolCallId: 'toolu_1', timestamp: '' }],
      },
    ];
    await withReplay([reply([{ type: 'text', text: 'Sorry.' }], 'end_turn')], async (server) => {
      await anthropicModel(server, 'claude-sonnet-4-5').request(history, undefined, noTools);
      const retryTurn = server.requests[0]!.body as { messages: { content: unknown }[] };
      expect(retryTurn.messages[1]!.content).toEqual([{ type: 'tool_use', id: 'toolu_1', name: 'area', input: { INVALID_JSON: malformed } }]);
      expect(retryTurn.messages[2]!.content).toEqual([
        { type: 'tool_result', tool_use_id: 'toolu_1', content: 'The arguments of area are not valid JSON', is_error: true },
      ]);
      await expect(JSON.stringify(retryTurn, null, 2) + '\n').toMatchFileSnapshot('./__snapshots__/retry-form-anthropic.json');
    });
  });
});
