/**
 * The OpenAI Responses API adapter against recorded OpenAI traffic (and two fixtures written from
 * the documented shape, `written-*.yaml`), through the real `openai` SDK client talking to a local
 * replay server. Each test checks what the adapter sent and what it made of the answer.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  agent,
  collectStream,
  defineTool,
  messagesToJson,
  ModelAPIError,
  ModelHTTPError,
  parseMessages,
  resolveModel,
  UnexpectedModelBehavior,
  UnsupportedContentError,
  type ModelMessage,
  type ModelRequestParameters,
  type ModelResponse,
  type ModelStreamEvent,
  type UserContent,
} from 'schemantic';
import { OpenAIChatModel, OpenAIResponsesModel, type OpenAIResponsesModelOptions, type OpenAIResponsesModelSettings } from 'schemantic/openai';
import { masked } from '../helpers/messages.js';
import { CANARY_KEY, cityOutput, expectNoCanary, noTools, openaiModel, sentBodies, userCountry, userPrompt, withReplay } from './harness.js';
import { loadCassette, type ReplayServer } from './replay-server.js';

const dir = 'openai-responses/';

/** A Responses API model whose SDK client talks to the replay server (no retries). */
function responsesModel(server: ReplayServer, modelName: string, options: OpenAIResponsesModelOptions = {}): OpenAIResponsesModel {
  return OpenAIResponsesModel.connect(modelName, { apiKey: CANARY_KEY, baseURL: server.url + '/v1', maxRetries: 0, ...options });
}

/** The JSON body of the i-th request the server received. */
function body(server: ReplayServer, i: number): Record<string, unknown> & { input: Record<string, unknown>[] } {
  return server.requests[i]!.body as Record<string, unknown> & { input: Record<string, unknown>[] };
}

async function events(stream: AsyncIterable<ModelStreamEvent>): Promise<ModelStreamEvent[]> {
  const all: ModelStreamEvent[] = [];
  for await (const event of stream) all.push(event);
  return all;
}

const capital = defineTool<{ country: string }>({
  name: 'get_capital',
  parameters: { type: 'object', properties: { country: { type: 'string' } }, required: ['country'], additionalProperties: false },
  handler: (_c, a) => (a.country === 'PotatoLand' ? 'Potato City' : 'Paris'),
});

describe('OpenAI Responses: ids', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('resolves openai-responses: to the Responses model, while openai: stays Chat Completions', async () => {
    vi.stubEnv('OPENAI_API_KEY', CANARY_KEY);
    const responses = await resolveModel('openai-responses:gpt-5');
    expect(responses).toBeInstanceOf(OpenAIResponsesModel);
    expect(responses).toMatchObject({ system: 'openai', name: 'gpt-5' });
    expect(await resolveModel('openai:gpt-4o')).toBeInstanceOf(OpenAIChatModel);
    expectNoCanary(JSON.stringify(responses));
  });
});

describe('OpenAI Responses: requests and responses', () => {
  it('sends instructions as `instructions` and the prompt as input; maps text, usage, ids and status', async () => {
    await withReplay(loadCassette(dir + 'test_openai_responses_model_instructions.yaml'), async (server) => {
      const result = await agent({ name: 'capital', model: responsesModel(server, 'gpt-4o'), instructions: 'You are a helpful assistant.' }).run(
        'What is the capital of France?',
      );
      expect(result.output).toBe('The capital of France is Paris.');
      expect(body(server, 0)).toEqual({
        model: 'gpt-4o',
        input: [{ role: 'user', content: 'What is the capital of France?' }],
        instructions: 'You are a helpful assistant.',
      });
      expect(masked(result.allMessages()[1])).toEqual({
        kind: 'response',
        parts: [{ kind: 'text', content: 'The capital of France is Paris.' }],
        modelName: 'gpt-4o-2024-08-06',
        timestamp: '<timestamp>',
        usage: { inputTokens: 24, outputTokens: 8 },
        finishReason: 'stop',
        providerResponseId: 'resp_67f3fdfd9fa08191a3d5825db81b8df6003bc73febb56d77',
        providerDetails: { status: 'completed', messageIds: ['msg_67f3fdfe15b881918d7b865e6a5f4fb1003bc73febb56d77'] },
      });
      await expect(sentBodies(server)).toMatchFileSnapshot('./__snapshots__/openai-responses-instructions.json');
    });
  });

  it('runs a function tool: function_call and function_call_output items share the call id', async () => {
    await withReplay(loadCassette(dir + 'test_openai_responses_model_simple_response_with_tool_call.yaml'), async (server) => {
      const result = await agent({ name: 'capital', model: responsesModel(server, 'gpt-4o'), tools: [capital] }).run('What is the capital of PotatoLand?');
      expect(result.output).toBe('The capital of PotatoLand is Potato City.');
      const first = body(server, 0);
      expect(first['tool_choice']).toBe('auto');
      expect(first['tools']).toEqual([{ type: 'function', name: 'get_capital', parameters: capital.parameters, strict: true }]);
      expect(body(server, 1).input.slice(1)).toEqual([
        {
          type: 'function_call',
          call_id: 'call_YfwRsW8sUxDKipwyhWTzOXCA',
          name: 'get_capital',
          arguments: '{"country":"PotatoLand"}',
          id: 'fc_04907f5d3de791830068fbaa1b310c81958dc9c508e878c632',
        },
        { type: 'function_call_output', call_id: 'call_YfwRsW8sUxDKipwyhWTzOXCA', output: 'Potato City' },
      ]);
      const call = result.allMessages()[1] as ModelResponse;
      expect(call.finishReason).toBe('tool-call');
      expect(call.parts).toEqual([
        { kind: 'tool-call', toolName: 'get_capital', args: '{"country":"PotatoLand"}', toolCallId: 'call_YfwRsW8sUxDKipwyhWTzOXCA' },
      ]);
      await expect(sentBodies(server)).toMatchFileSnapshot('./__snapshots__/openai-responses-tool-call.json');
    });
  });

  it('ends through an output tool (tool output mode, tool_choice required)', async () => {
    await withReplay(loadCassette(dir + 'test_tool_output.yaml'), async (server) => {
      const result = await agent({ name: 'geo', model: responsesModel(server, 'gpt-4o'), tools: [userCountry], output: cityOutput }).run(
        'What is the largest city in the user country?',
      );
      expect(result.output).toEqual({ city: 'Mexico City', country: 'Mexico' });
      expect(server.requests.map((r) => (r.body as { tool_choice: string }).tool_choice)).toEqual(['required', 'required']);
      expect((body(server, 0)['tools'] as { name: string }[]).map((t) => t.name)).toEqual(['get_user_country', 'final_result']);
      await expect(sentBodies(server)).toMatchFileSnapshot('./__snapshots__/openai-responses-tool-output.json');
    });
  });

  it('asks for native output through text.format json_schema (strict) and reads the JSON text', async () => {
    await withReplay(loadCassette(dir + 'test_native_output.yaml'), async (server) => {
      const result = await agent({ name: 'geo', model: responsesModel(server, 'gpt-4o'), tools: [userCountry], output: cityOutput, outputMode: 'native' }).run(
        'What is the largest city in the user country?',
      );
      expect(result.output).toEqual({ city: 'Mexico City', country: 'Mexico' });
      const format = (body(server, 0)['text'] as { format: { type: string; strict: boolean; schema: { additionalProperties: boolean } } }).format;
      expect(format).toMatchObject({ type: 'json_schema', strict: true, schema: { additionalProperties: false } });
      await expect(sentBodies(server)).toMatchFileSnapshot('./__snapshots__/openai-responses-native-output.json');
    });
  });

  it('asks for prompted output with text.format json_object and the schema in the instructions', async () => {
    await withReplay(loadCassette(dir + 'test_prompted_output.yaml'), async (server) => {
      const result = await agent({
        name: 'geo',
        model: responsesModel(server, 'gpt-4o'),
        tools: [userCountry],
        output: cityOutput,
        outputMode: 'prompted',
      }).run('What is the largest city in the user country?');
      expect(result.output).toEqual({ city: 'Mexico City', country: 'Mexico' });
      expect(body(server, 0)['text']).toEqual({ format: { type: 'json_object' } });
      expect(body(server, 0)['instructions']).toMatch(/"city"/);
      await expect(sentBodies(server)).toMatchFileSnapshot('./__snapshots__/openai-responses-prompted-output.json');
    });
  });
});

describe('OpenAI Responses: reasoning', () => {
  it('asks for reasoning with a summary and its encrypted content, and keeps both on a thinking part', async () => {
    await withReplay(loadCassette(dir + 'test_reasoning_summary_auto.yaml'), async (server) => {
      const result = await agent({
        name: 'coder',
        model: responsesModel(server, 'gpt-5.2'),
        instructions: 'You are a helpful coding assistant.',
        modelSettings: { thinking: { effort: 'high' } },
      }).run('Write a Python function that calculates the factorial of a number. Think step by step.');
      expect(body(server, 0)).toMatchObject({ include: ['reasoning.encrypted_content'], reasoning: { effort: 'high', summary: 'auto' } });
      const response = result.allMessages()[1] as ModelResponse;
      expect(response.parts.map((p) => p.kind)).toEqual(['thinking', 'text']);
      expect(response.parts[0]).toMatchObject({
        kind: 'thinking',
        id: 'rs_0b028a7a2aca8d68006942f4e0d380819398dfa502c33bce7b',
        provider: 'openai',
        content: expect.stringMatching(/^\*\*Generating factorial function\*\*/),
        signature: expect.stringMatching(/^gAAAAABpQvTk/),
      });
      expect(response.usage).toEqual({ inputTokens: 34, outputTokens: 226, details: { reasoningTokens: 59 } });
      await expect(sentBodies(server)).toMatchFileSnapshot('./__snapshots__/openai-responses-reasoning-summary.json');
    });
  });

  it('sends a reasoning item back with its id and encrypted content, before the function call it led to', async () => {
    await withReplay(loadCassette(dir + 'test_openai_responses_requires_function_call_status_none.yaml'), async (server) => {
      const meaning = defineTool({
        name: 'get_meaning_of_life',
        parameters: { type: 'object', properties: {}, additionalProperties: false },
        handler: () => '42',
      });
      const result = await agent({ name: 'meaning', model: responsesModel(server, 'gpt-5'), tools: [meaning] }).run('What is the meaning of life?');
      expect(result.output).toBe('42');
      const first = result.allMessages()[1] as ModelResponse;
      expect(first.usage.details).toEqual({ reasoningTokens: 128 });
      expect(first.parts.map((p) => p.kind)).toEqual(['thinking', 'tool-call']);
      const [reasoning, call, output] = body(server, 1).input.slice(1);
      expect(reasoning).toEqual({
        type: 'reasoning',
        id: 'rs_01d311e2633707df0068fbac0050ec81a2ad76fd9256abcaf7',
        summary: [],
        encrypted_content: expect.stringMatching(/^gAAAAABo-6wE6H4S/),
      });
      // The recorded request sent exactly this encrypted content back.
      const recorded = (
        loadCassette(dir + 'test_openai_responses_requires_function_call_status_none.yaml')[1]!.request.body as { input: { encrypted_content?: string }[] }
      ).input[1]!;
      expect(reasoning!['encrypted_content']).toBe(recorded.encrypted_content);
      expect(call).toMatchObject({
        type: 'function_call',
        id: 'fc_01d311e2633707df0068fbac038f1c81a29847e80d6a1a3f60',
        call_id: 'call_cp3x6W9eeyMIryJUNhgMaP5w',
      });
      expect(output).toEqual({ type: 'function_call_output', call_id: 'call_cp3x6W9eeyMIryJUNhgMaP5w', output: '42' });
      // The history, with the item ids the next request needs, survives serialisation.
      expect(parseMessages(messagesToJson(result.allMessages()))).toEqual(result.allMessages());
      await expect(sentBodies(server)).toMatchFileSnapshot('./__snapshots__/openai-responses-reasoning-round-trip.json');
    });
  });
});

describe('OpenAI Responses: streaming', () => {
  const capitalParams: ModelRequestParameters = {
    functionTools: [{ name: 'get_capital', parametersJsonSchema: capital.parameters, kind: 'function' }],
    outputTools: [],
    outputMode: 'text',
    allowText: true,
  };

  it('streams a tool call (argument deltas) and then text (text deltas), with the finish events', async () => {
    await withReplay(loadCassette(dir + 'test_openai_responses_stream.yaml'), async (server) => {
      const model = responsesModel(server, 'gpt-4o');
      const prompt = userPrompt('What is the capital of France?');
      const firstEvents = await events(model.requestStream(prompt, undefined, capitalParams));
      expect(firstEvents.slice(0, 3)).toEqual([
        { kind: 'part-start', index: 0, part: { kind: 'tool-call', toolName: 'get_capital', args: '', toolCallId: 'call_kL0PCQV7M2WMoVX8V8OtYSAL' } },
        { kind: 'part-delta', index: 0, delta: { kind: 'tool-call', argsDelta: '{"' } },
        { kind: 'part-delta', index: 0, delta: { kind: 'tool-call', argsDelta: 'country' } },
      ]);
      const first = await collectStream(firstEvents as unknown as AsyncIterable<ModelStreamEvent>);
      expect(first.parts).toEqual([{ kind: 'tool-call', toolName: 'get_capital', args: '{"country":"France"}', toolCallId: 'call_kL0PCQV7M2WMoVX8V8OtYSAL' }]);
      expect(first.finishReason).toBe('tool-call');
      const history: ModelMessage[] = [
        ...prompt,
        first,
        {
          kind: 'request',
          parts: [{ kind: 'tool-return', toolName: 'get_capital', toolCallId: 'call_kL0PCQV7M2WMoVX8V8OtYSAL', content: 'Paris', timestamp: '' }],
        },
      ];
      const secondEvents = await events(model.requestStream(history, undefined, capitalParams));
      expect(secondEvents.map((e) => e.kind)).toEqual(['part-start', ...Array(6).fill('part-delta'), 'part-end', 'finish']);
      const second = await collectStream(secondEvents as unknown as AsyncIterable<ModelStreamEvent>);
      expect(second).toMatchObject({
        parts: [{ kind: 'text', content: 'The capital of France is Paris.' }],
        usage: { inputTokens: expect.any(Number), outputTokens: expect.any(Number) },
        finishReason: 'stop',
        providerResponseId: 'resp_67e554a21aa88191b65876ac5e5bbe0406c52f0e511c76ed',
      });
      expect(body(server, 1).input[1]).toMatchObject({
        type: 'function_call',
        call_id: 'call_kL0PCQV7M2WMoVX8V8OtYSAL',
        id: 'fc_67e554a1de488191af0831d35cbe082e0794405d35281ae2',
      });
      expect(server.requests.every((r) => (r.body as { stream: boolean }).stream === true)).toBe(true);
      await expect(sentBodies(server)).toMatchFileSnapshot('./__snapshots__/openai-responses-stream.json');
    });
  });

  it('runs a streamed agent run through both turns (tool, then text)', async () => {
    await withReplay(loadCassette(dir + 'test_openai_responses_stream.yaml'), async (server) => {
      const run = agent({ name: 'capital', model: responsesModel(server, 'gpt-4o'), tools: [capital] }).runStream('What is the capital of France?');
      expect(await run.output()).toBe('The capital of France is Paris.');
      expect(body(server, 1).input.at(-1)).toEqual({ type: 'function_call_output', call_id: 'call_kL0PCQV7M2WMoVX8V8OtYSAL', output: 'Paris' });
    });
  });

  it('streams reasoning and an output tool call; the encrypted content is the final one; usage at the end', async () => {
    await withReplay(loadCassette(dir + 'test_openai_responses_streaming_usage.yaml'), async (server) => {
      const output = { type: 'object', properties: { result: { type: 'integer' } }, required: ['result'], additionalProperties: false };
      const params: ModelRequestParameters = {
        functionTools: [],
        outputTools: [{ name: 'final_result', description: 'The final response which ends this conversation', parametersJsonSchema: output, kind: 'output' }],
        outputMode: 'tool',
        allowText: false,
      };
      const all = await events(responsesModel(server, 'gpt-5').requestStream(userPrompt('Calculate 100 * 200 / 3'), { thinking: { effort: 'low' } }, params));
      const response = await collectStream(all as unknown as AsyncIterable<ModelStreamEvent>);
      expect(response.parts.map((p) => p.kind)).toEqual(['thinking', 'tool-call']);
      expect(response.parts[0]).toMatchObject({
        id: 'rs_0050471a34b36ae60068c97bac4dcc819595fd0f80d6b3c405',
        signature: expect.stringMatching(/^gAAAAABoyXvx/),
      });
      expect(response.parts[1]).toMatchObject({ toolName: 'final_result', args: '{"result":6666}' });
      expect(all.at(-1)).toMatchObject({ kind: 'finish', usage: { details: { reasoningTokens: expect.any(Number) } }, finishReason: 'tool-call' });
      expect(body(server, 0)).toMatchObject({ tool_choice: 'required', reasoning: { effort: 'low', summary: 'auto' }, stream: true });
      await expect(sentBodies(server)).toMatchFileSnapshot('./__snapshots__/openai-responses-stream-reasoning.json');
    });
  });

  it('streams reasoning summaries as thinking deltas, reports cached tokens, and sends the summaries back (written fixture)', async () => {
    await withReplay(loadCassette(dir + 'written-reasoning-summary-stream.yaml'), async (server) => {
      const model = responsesModel(server, 'gpt-5');
      const request: ModelMessage = { kind: 'request', parts: [{ kind: 'user-prompt', content: 'What is 2 + 2?', timestamp: '' }], instructions: 'Be brief.' };
      const all = await events(model.requestStream([request], { thinking: { effort: 'low' } }, noTools));
      expect(all.filter((e) => e.kind === 'part-delta' && e.delta.kind === 'thinking').length).toBe(3);
      const first = await collectStream(all as unknown as AsyncIterable<ModelStreamEvent>);
      expect(first.parts).toEqual([
        {
          kind: 'thinking',
          content: '**Adding numbers**\n\nTwo plus two.',
          id: 'rs_written_0001',
          provider: 'openai',
          signature: 'gAAAAABwritten-encrypted-reasoning-0001',
        },
        { kind: 'thinking', content: '**Checking**\n\nIt is four.', id: 'rs_written_0001', provider: 'openai' },
        { kind: 'text', content: '2 + 2 = 4.' },
      ]);
      expect(first.usage).toEqual({ inputTokens: 1300, outputTokens: 90, details: { cacheReadTokens: 1280, reasoningTokens: 64 } });
      const next: ModelMessage = { kind: 'request', parts: [{ kind: 'user-prompt', content: 'And times three?', timestamp: '' }], instructions: 'Be brief.' };
      const second = await model.request([request, first, next], { thinking: { effort: 'low' } }, noTools);
      expect(second.parts.at(-1)).toEqual({ kind: 'text', content: '12.' });
      const recorded = loadCassette(dir + 'written-reasoning-summary-stream.yaml')[1]!.request.body as { input: unknown[] };
      expect(body(server, 1).input).toEqual(recorded.input);
      await expect(sentBodies(server)).toMatchFileSnapshot('./__snapshots__/openai-responses-stream-summaries.json');
    });
  });
});

describe('OpenAI Responses: previous_response_id', () => {
  it('chains a continued conversation to the last response and sends only the new messages', async () => {
    await withReplay(loadCassette(dir + 'test_openai_previous_response_id.yaml'), async (server) => {
      const chat = agent({ name: 'secret', model: responsesModel(server, 'gpt-5') });
      const first = await chat.run('The secret key is sesame');
      expect(first.allMessages()[1]).toMatchObject({ providerResponseId: 'resp_1234' });
      const modelSettings: OpenAIResponsesModelSettings = { openaiPreviousResponseId: 'auto' };
      const second = await chat.run('What is the secret key again?', { messageHistory: first.allMessages(), modelSettings });
      expect(second.output).toBe('sesame');
      expect(body(server, 0)['previous_response_id']).toBeUndefined();
      expect(body(server, 1)).toMatchObject({ previous_response_id: 'resp_1234', input: [{ role: 'user', content: 'What is the secret key again?' }] });
      expect(body(server, 1).input).toHaveLength(1);
      await expect(sentBodies(server)).toMatchFileSnapshot('./__snapshots__/openai-responses-previous-response-id.json');
    });
  });

  it('takes previousResponseId as a model option too (an explicit id)', async () => {
    await withReplay(loadCassette(dir + 'test_openai_previous_response_id.yaml'), async (server) => {
      const first = await responsesModel(server, 'gpt-5').request(userPrompt('The secret key is sesame'), undefined, noTools);
      const chained = responsesModel(server, 'gpt-5', { previousResponseId: 'resp_1234' });
      const history: ModelMessage[] = [...userPrompt('The secret key is sesame'), first, ...userPrompt('What is the secret key again?')];
      const second = await chained.request(history, undefined, noTools);
      expect(second.parts).toEqual([{ kind: 'text', content: 'sesame' }]);
      expect(body(server, 1)).toMatchObject({ previous_response_id: 'resp_1234', input: [{ role: 'user', content: 'What is the secret key again?' }] });
    });
  });
});

describe('OpenAI Responses: history across the two OpenAI APIs', () => {
  it('continues a Chat Completions history on the Responses API (calls and results as items)', async () => {
    const chatExchanges = loadCassette('openai/test_openai_tool_output.yaml');
    const history = await withReplay(chatExchanges.slice(0, 1), async (server) => {
      const prompt = userPrompt('What is the largest city in the user country?');
      const params: ModelRequestParameters = {
        functionTools: [{ name: 'get_user_country', parametersJsonSchema: userCountry.parameters, kind: 'function' }],
        outputTools: [{ name: 'final_result', parametersJsonSchema: cityOutput, kind: 'output' }],
        outputMode: 'tool',
        allowText: false,
      };
      const first = await openaiModel(server, 'gpt-4o').request(prompt, undefined, params);
      return { params, messages: [...prompt, first] as ModelMessage[] };
    });
    const call = (history.messages[1] as ModelResponse).parts[0] as { toolCallId: string };
    history.messages.push({
      kind: 'request',
      parts: [{ kind: 'tool-return', toolName: 'get_user_country', toolCallId: call.toolCallId, content: 'Mexico', timestamp: '' }],
    });
    // The second turn of the recorded Responses run answers the same question's tool result.
    await withReplay(loadCassette(dir + 'test_tool_output.yaml').slice(1), async (server) => {
      const response = await responsesModel(server, 'gpt-4o').request(history.messages, undefined, history.params);
      expect(response.parts[0]).toMatchObject({ kind: 'tool-call', toolName: 'final_result', args: '{"city":"Mexico City","country":"Mexico"}' });
      expect(body(server, 0).input.slice(1)).toEqual([
        { type: 'function_call', call_id: call.toolCallId, name: 'get_user_country', arguments: '{}' },
        { type: 'function_call_output', call_id: call.toolCallId, output: 'Mexico' },
      ]);
    });
  });
});

describe('OpenAI Responses: input kinds', () => {
  async function ask(cassette: string, content: UserContent[]): Promise<{ sent: Record<string, unknown>[]; text: string }> {
    return withReplay(loadCassette(dir + cassette), async (server) => {
      const response = await responsesModel(server, 'gpt-4o').request(userPrompt(content), undefined, noTools);
      return { sent: body(server, 0).input[0]!['content'] as Record<string, unknown>[], text: (response.parts[0] as { content: string }).content };
    });
  }

  it('sends an image by URL as input_image', async () => {
    const url = 'https://t3.ftcdn.net/jpg/00/85/79/92/360_F_85799278_0BBGV9OAdQDTLnKwAPBCcg1J7QtiieJY.jpg';
    const { sent, text } = await ask('test_openai_responses_image_url_input.yaml', ['hello', { kind: 'image-url', url }]);
    expect(sent).toEqual([
      { type: 'input_text', text: 'hello' },
      { type: 'input_image', image_url: url, detail: 'auto' },
    ]);
    expect(text).toMatch(/potato/);
  });

  it('sends a document by URL as input_file with file_url (the API fetches it)', async () => {
    const url = 'https://www.w3.org/WAI/ER/tests/xhtml/testfiles/resources/pdf/dummy.pdf';
    const { sent, text } = await ask('test_openai_responses_document_url_input.yaml', [
      'What is the main content on this document?',
      { kind: 'document-url', url },
    ]);
    expect(sent[1]).toEqual({ type: 'input_file', file_url: url });
    expect(text).toMatch(/Dummy PDF file/);
  });

  it('sends document bytes as input_file with a data URL, as the recording did', async () => {
    const cassette = 'test_openai_responses_document_as_binary_content_input.yaml';
    const recorded = (loadCassette(dir + cassette)[0]!.request.body as { input: { content: { file_data: string; filename: string }[] }[] }).input[0]!
      .content[1]!;
    const data = recorded.file_data.replace('data:application/pdf;base64,', '');
    const { sent, text } = await ask(cassette, [
      'What is in the document?',
      { kind: 'binary', data, mediaType: 'application/pdf', identifier: 'filename.pdf' },
    ]);
    expect(sent[1]).toEqual({ type: 'input_file', file_data: recorded.file_data, filename: 'filename.pdf' });
    expect(text).toBe('The document contains the text "Dummy PDF file."');
  });

  it('refuses audio and video input with UnsupportedContentError naming the provider and kind, before any request', async () => {
    await withReplay([], async (server) => {
      const model = responsesModel(server, 'gpt-4o');
      for (const [mediaType, kind] of [
        ['audio/mpeg', 'audio'],
        ['video/mp4', 'video'],
      ] as const) {
        const error = await model.request(userPrompt([{ kind: 'binary', data: 'AAAA', mediaType }]), undefined, noTools).catch((e: unknown) => e);
        expect(UnsupportedContentError.isInstance(error)).toBe(true);
        expect((error as Error).message).toContain(`OpenAI Responses models do not take ${kind} input (${mediaType})`);
      }
      expect(server.requests).toHaveLength(0);
    });
  });
});

describe('OpenAI Responses: errors and refusals', () => {
  it('turns an HTTP 400 into ModelHTTPError with the provider body, and no key anywhere', async () => {
    await withReplay(loadCassette(dir + 'test_openai_responses_model_http_error.yaml'), async (server) => {
      const error = await collectStream(
        responsesModel(server, 'gpt-4o').requestStream(userPrompt('What is the capital of France?'), { temperature: -1 }, noTools),
      ).catch((e: unknown) => e);
      expect(ModelHTTPError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ status: 400, modelName: 'gpt-4o', body: { error: { code: 'decimal_below_min_value', param: 'temperature' } } });
      expect((error as Error).message).toMatch(/^model gpt-4o answered HTTP 400: Invalid 'temperature'/);
      expect(body(server, 0)).toMatchObject({ temperature: -1, stream: true });
      expectNoCanary(
        error,
        server.requests.map((r) => r.body),
      );
    });
  });

  it('turns a dropped connection into ModelAPIError', async () => {
    await withReplay([{ request: { method: 'POST', path: '/v1/responses' }, response: { kind: 'reset' } }], async (server) => {
      const error = await responsesModel(server, 'gpt-4o')
        .request(userPrompt('hi'), undefined, noTools)
        .catch((e: unknown) => e);
      expect(ModelAPIError.isInstance(error)).toBe(true);
      expect(ModelHTTPError.isInstance(error)).toBe(false);
      expect((error as Error).message).toMatch(/^the connection to model gpt-4o failed/);
      expectNoCanary(error);
    });
  });

  it('raises a refusal as UnexpectedModelBehavior carrying the response, streamed or not (written fixture)', async () => {
    await withReplay(loadCassette(dir + 'written-refusal.yaml'), async (server) => {
      const model = responsesModel(server, 'gpt-4o');
      const plain = await model.request(userPrompt('How do I pick a lock?'), undefined, noTools).catch((e: unknown) => e);
      expect(UnexpectedModelBehavior.isInstance(plain)).toBe(true);
      expect((plain as Error).message).toBe("the model refused to answer: I'm sorry, I can't help with that.");
      expect((plain as UnexpectedModelBehavior).response).toMatchObject({ providerResponseId: 'resp_written_refusal', parts: [] });
      const streamed = await collectStream(model.requestStream(userPrompt('How do I pick a lock?'), undefined, noTools)).catch((e: unknown) => e);
      expect(UnexpectedModelBehavior.isInstance(streamed)).toBe(true);
      expect((streamed as Error).message).toBe("the model refused to answer: I'm sorry, I can't help with that.");
      expectNoCanary(plain, streamed);
    });
  });
});
