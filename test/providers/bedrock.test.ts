/**
 * The Bedrock Converse adapter against recorded Bedrock traffic (and a few fixtures written from
 * the documented shapes, named `written-*`), through the real `@aws-sdk/client-bedrock-runtime`
 * client talking to a local replay server: what the adapter sent (snapshots), that it was signed
 * with the test credentials, what it made of the answers (ConverseStream's AWS event streams
 * decoded by the SDK), and that no credential shows up anywhere.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { describe, expect, it } from 'vitest';
import {
  agent,
  collectStream,
  defineTool,
  ModelAPIError,
  ModelHTTPError,
  ModelRetry,
  resolveModel,
  UnexpectedModelBehavior,
  UnsupportedContentError,
  type ModelMessage,
  type ModelRequestParameters,
} from 'schemantic';
import { BedrockModel, type BedrockModelOptions } from 'schemantic/bedrock';
import { masked } from '../helpers/messages.js';
import { CANARY_KEY, expectNoCanary, noTools, sentBodies, userPrompt, withReplay } from './harness.js';
import { parse as parseYaml } from 'yaml';
import { cassettesDir, loadCassette, startReplayServer, type ReplayServer } from './replay-server.js';

/** Test credentials: the secret key is the harness's canary; the session token is a canary of its own. */
const KEY_ID = 'AKIDSCHEMANTICTEST01';
const SESSION_TOKEN = 'IQoJb3JpZ2luX2VjESchemanticSessionCanary7Q2';

/**
 * A model whose SDK client talks to the replay server, signing with the test credentials. The
 * SDK's default handler speaks HTTP/2 to Bedrock; the replay server speaks HTTP/1.1, so the
 * client gets the SDK's own HTTP/1.1 handler.
 */
function bedrockModel(server: ReplayServer, modelId: string, options: BedrockModelOptions = {}): BedrockModel {
  return BedrockModel.connect(modelId, {
    region: 'us-east-1',
    endpoint: server.url,
    credentials: { accessKeyId: KEY_ID, secretAccessKey: CANARY_KEY, sessionToken: SESSION_TOKEN },
    maxRetries: 0,
    clientConfig: { requestHandler: new NodeHttpHandler() },
    ...options,
  });
}

/** The recorded request body of a cassette's interaction (Bedrock cassettes keep it as JSON text, which loadCassette does not read). */
function recordedBody(file: string, index: number): { messages: { content: unknown[] }[] } {
  const doc = parseYaml(readFileSync(path.join(cassettesDir, file), 'utf8')) as { interactions: { request: { body: string } }[] };
  return JSON.parse(doc.interactions[index]!.request.body) as { messages: { content: unknown[] }[] };
}

/** Asserts that neither the secret key (the harness's canary) nor the session token shows in `values`. */
function expectNoCredential(...values: unknown[]): void {
  expectNoCanary(...values);
  for (const value of values) expect(typeof value === 'string' ? value : JSON.stringify(value, errorFields)).not.toContain(SESSION_TOKEN);
}

/** Errors as JSON with their message and stack (JSON.stringify drops both). */
function errorFields(_key: string, value: unknown): unknown {
  return value instanceof Error ? { ...value, message: value.message, stack: value.stack, cause: (value as { cause?: unknown }).cause } : value;
}

const capital = defineTool<{ country: string }>({
  name: 'get_capital',
  description: 'Get the capital of a country.',
  parameters: {
    type: 'object',
    properties: { country: { type: 'string', description: 'The country name.' } },
    required: ['country'],
    additionalProperties: false,
  },
  handler: () => {
    throw new ModelRetry('The country is not supported.');
  },
});

describe('Bedrock: requests and responses', () => {
  it('sends the system prompt as system, signs with the test credentials, and maps text, usage and stop reason', async () => {
    await withReplay(loadCassette('bedrock/test_bedrock_model.yaml'), async (server) => {
      const result = await agent({ name: 'chat', model: bedrockModel(server, 'us.amazon.nova-micro-v1:0'), systemPrompt: 'You are a chatbot.' }).run('Hello!');
      expect(result.output).toBe("Hello! How can I assist you today? Whether you have questions, need information, or just want to chat, I'm here to help.");
      expect(masked(result.allMessages()[1])).toEqual({
        kind: 'response',
        parts: [{ kind: 'text', content: result.output }],
        modelName: 'us.amazon.nova-micro-v1:0',
        timestamp: '<timestamp>',
        usage: { inputTokens: 7, outputTokens: 30 },
        finishReason: 'stop',
        providerDetails: { stopReason: 'end_turn' },
      });
      expect(server.requests[0]!.body).toEqual({ messages: [{ role: 'user', content: [{ text: 'Hello!' }] }], system: [{ text: 'You are a chatbot.' }] });
      // SigV4 with the test key id, the session token sent as AWS wants it; never the secret key.
      const headers = server.requests[0]!.headers;
      expect(headers['authorization']).toMatch(
        new RegExp(`^AWS4-HMAC-SHA256 Credential=${KEY_ID}/\\d{8}/us-east-1/bedrock/aws4_request, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$`),
      );
      expect(headers['x-amz-security-token']).toBe(SESSION_TOKEN);
      expect(JSON.stringify(headers)).not.toContain(CANARY_KEY.slice(3));
      const snapshot = sentBodies(server);
      expectNoCredential(snapshot, result.allMessages());
      await expect(snapshot).toMatchFileSnapshot('./__snapshots__/bedrock-system-prompt.json');
    });
  });

  it('runs a tool, sends a retry as a toolResult with status error, with text beside the toolUse', async () => {
    await withReplay(loadCassette('bedrock/test_bedrock_model_retry.yaml'), async (server) => {
      const result = await agent({
        name: 'capital',
        model: bedrockModel(server, 'us.amazon.nova-micro-v1:0'),
        instructions: 'You are a helpful chatbot.',
        tools: [capital],
        modelSettings: { temperature: 0 },
      }).run('What is the capital of France?');
      expect(result.output).toContain('The capital of France is Paris.');
      const second = server.requests[1]!.body as {
        messages: { role: string; content: Record<string, unknown>[] }[];
        toolConfig: unknown;
        inferenceConfig: unknown;
      };
      expect(second.messages[1]!.content.map((b) => Object.keys(b)[0])).toEqual(['text', 'toolUse']);
      expect(second.messages[2]).toEqual({
        role: 'user',
        content: [
          {
            toolResult: {
              toolUseId: 'tooluse_Ze_bgl9CSqu8aJv7XD-_Dw',
              content: [{ text: expect.stringContaining('The country is not supported.') }],
              status: 'error',
            },
          },
        ],
      });
      expect(second.inferenceConfig).toEqual({ temperature: 0 });
      expect(second.toolConfig).toMatchObject({ toolChoice: { auto: {} } });
      expectNoCredential(sentBodies(server));
      await expect(sentBodies(server)).toMatchFileSnapshot('./__snapshots__/bedrock-tool-retry.json');
    });
  });

  it('ends through the output tool (toolChoice any), retrying a text answer', async () => {
    await withReplay(loadCassette('bedrock/test_bedrock_model_structured_output.yaml'), async (server) => {
      const temperature = defineTool<{ city: string; date: string }>({
        name: 'temperature',
        description: 'Get the temperature in a city on a specific date.',
        parameters: {
          type: 'object',
          properties: { city: { type: 'string' }, date: { type: 'string', format: 'date' } },
          required: ['city', 'date'],
          additionalProperties: false,
        },
        handler: () => '30°C',
      });
      const output = {
        type: 'object',
        properties: { temperature: { type: 'string' }, date: { type: 'string', format: 'date' }, city: { type: 'string' } },
        required: ['temperature', 'date', 'city'],
      };
      const result = await agent({ name: 'weather', model: bedrockModel(server, 'us.amazon.nova-micro-v1:0'), tools: [temperature], output }).run(
        'What was the temperature in London 1st January 2022?',
      );
      expect(result.output).toEqual({ city: 'London', date: '2022-01-01', temperature: '30°C' });
      const bodies = server.requests.map((r) => r.body as { toolConfig: { toolChoice: unknown; tools: { toolSpec: { name: string } }[] } });
      expect(bodies.map((b) => b.toolConfig.toolChoice)).toEqual([{ any: {} }, { any: {} }, { any: {} }]);
      expect(bodies[0]!.toolConfig.tools.map((t) => t.toolSpec.name)).toEqual(['temperature', 'final_result']);
      expect(result.usage()).toMatchObject({ inputTokens: 571 + 627 + 821, outputTokens: 22 + 67 + 31 });
      expectNoCredential(sentBodies(server));
      await expect(sentBodies(server)).toMatchFileSnapshot('./__snapshots__/bedrock-output-tool.json');
    });
  });

  it('answers several toolUse blocks of one turn with their toolResults in one user turn, in order (written fixture)', async () => {
    await withReplay(loadCassette('bedrock/written-parallel-tool-calls.yaml'), async (server) => {
      const weather = defineTool<{ city: string }>({
        name: 'get_weather',
        parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        handler: (_ctx, { city }) => (city === 'London' ? 'rainy' : 'sunny'),
      });
      const result = await agent({ name: 'weather', model: bedrockModel(server, 'us.amazon.nova-pro-v1:0'), tools: [weather] }).run(
        'What is the weather in London and in Paris?',
      );
      expect(result.output).toBe('It is rainy in London and sunny in Paris.');
      const recorded = recordedBody('bedrock/written-parallel-tool-calls.yaml', 1);
      expect((server.requests[1]!.body as typeof recorded).messages).toEqual(recorded.messages);
    });
  });

  it('maps a max_tokens stop to a length finish, sending maxTokens', async () => {
    await withReplay(loadCassette('bedrock/test_bedrock_model_max_tokens.yaml'), async (server) => {
      const response = await bedrockModel(server, 'us.amazon.nova-micro-v1:0').request(userPrompt('What is the capital of France?'), { maxTokens: 5 }, noTools);
      expect(response.parts).toEqual([{ kind: 'text', content: 'The capital of France is' }]);
      expect(response.finishReason).toBe('length');
      expect(server.requests[0]!.body).toMatchObject({ inferenceConfig: { maxTokens: 5 } });
    });
  });

  it('sends extraBody as additionalModelRequestFields, and warns of settings Converse has no field for', async () => {
    await withReplay(loadCassette('bedrock/test_bedrock_top_k_anthropic_variant.yaml'), async (server) => {
      const response = await bedrockModel(server, 'us.anthropic.claude-sonnet-4-5-20250929-v1:0').request(
        userPrompt('Reply with the single word: ok'),
        { extraBody: { top_k: 20 }, presencePenalty: 0.5, seed: 7 },
        noTools,
      );
      expect(response.parts).toEqual([{ kind: 'text', content: 'ok' }]);
      expect(server.requests[0]!.body).toEqual({
        messages: [{ role: 'user', content: [{ text: 'Reply with the single word: ok' }] }],
        additionalModelRequestFields: { top_k: 20 },
      });
      expect(response.warnings).toEqual(['bedrock does not support seed; it is ignored', 'bedrock does not support presencePenalty; it is ignored']);
    });
  });

  it('counts tokens written to and read from the prompt cache as input, with details', async () => {
    await withReplay(loadCassette('bedrock/test_bedrock_cache_write_and_read.yaml'), async (server) => {
      const model = bedrockModel(server, 'us.anthropic.claude-sonnet-4-5-20250929-v1:0');
      const written = await model.request(userPrompt('Newer response'), undefined, noTools);
      const read = await model.request(userPrompt('Newer response'), undefined, noTools);
      expect(written.usage).toEqual({ inputTokens: 2 + 1322, outputTokens: 5, details: { cacheWriteTokens: 1322 } });
      expect(read.usage).toEqual({ inputTokens: 2 + 1322, outputTokens: 5, details: { cacheReadTokens: 1322 } });
    });
  });

  it('asks for native output through outputConfig.textFormat, the schema closed and as JSON text', async () => {
    await withReplay(loadCassette('bedrock/test_bedrock_zai_native_output.yaml'), async (server) => {
      const output = { type: 'object', properties: { city: { type: 'string' }, country: { type: 'string' } }, required: ['city', 'country'] };
      const result = await agent({
        name: 'place',
        model: bedrockModel(server, 'zai.glm-4.7-flash'),
        instructions: 'You are a helpful chatbot.',
        output,
        outputMode: 'native',
      }).run('Where is the Eiffel Tower?');
      expect(result.output).toEqual({ city: 'Paris', country: 'France' });
      const body = server.requests[0]!.body as {
        outputConfig: { textFormat: { type: string; structure: { jsonSchema: { schema: string } } } };
        toolConfig?: unknown;
      };
      expect(body.outputConfig.textFormat.type).toBe('json_schema');
      expect(JSON.parse(body.outputConfig.textFormat.structure.jsonSchema.schema)).toEqual({ ...output, additionalProperties: false });
      expect(body.toolConfig).toBeUndefined();
    });
  });
});

describe('Bedrock: documents and images', () => {
  it('sends a document by bytes as a named document block, as recorded', async () => {
    await withReplay(loadCassette('bedrock/test_text_as_binary_content_input.yaml'), async (server) => {
      const data = Buffer.from('This is a test document.').toString('base64');
      const response = await bedrockModel(server, 'us.amazon.nova-pro-v1:0').request(
        userPrompt(['What is the main content on this document?', { kind: 'binary', data, mediaType: 'text/plain' }]),
        undefined,
        noTools,
      );
      expect(response.parts[0]).toMatchObject({ kind: 'text', content: expect.stringContaining('test document') });
      const sent = server.requests[0]!.body as { messages: { content: unknown[] }[] };
      expect(sent.messages[0]!.content).toEqual(recordedBody('bedrock/test_text_as_binary_content_input.yaml', 0).messages[0]!.content);
    });
  });

  it('sends an image by bytes as an image block (written fixture)', async () => {
    await withReplay(loadCassette('bedrock/written-image-bytes.yaml'), async (server) => {
      const recorded = recordedBody('bedrock/written-image-bytes.yaml', 0).messages[0]!.content[1] as { image: { source: { bytes: string } } };
      const response = await bedrockModel(server, 'us.amazon.nova-lite-v1:0').request(
        userPrompt(['What is in this image?', { kind: 'binary', data: recorded.image.source.bytes, mediaType: 'image/png' }]),
        undefined,
        noTools,
      );
      expect(response.parts).toEqual([{ kind: 'text', content: 'A single transparent pixel.' }]);
      expect((server.requests[0]!.body as { messages: { content: unknown[] }[] }).messages[0]!.content[1]).toEqual(recorded);
    });
  });

  it('refuses web URLs and audio with an UnsupportedContentError naming Bedrock and the kind, sending nothing', async () => {
    await withReplay([], async (server) => {
      const model = bedrockModel(server, 'us.amazon.nova-lite-v1:0');
      const image = await model.request(userPrompt([{ kind: 'image-url', url: 'https://example.com/cat.png' }]), undefined, noTools).catch((e: unknown) => e);
      expect(UnsupportedContentError.isInstance(image)).toBe(true);
      expect((image as Error).message).toMatch(/^Bedrock \(Converse\) cannot take image content by URL/);
      const audio = await model.request(userPrompt([{ kind: 'binary', data: 'AAAA', mediaType: 'audio/wav' }]), undefined, noTools).catch((e: unknown) => e);
      expect(UnsupportedContentError.isInstance(audio)).toBe(true);
      expect((audio as Error).message).toMatch(/^Bedrock \(Converse\) cannot take audio content of type audio\/wav/);
      expect(server.requests).toEqual([]);
    });
  });
});

describe('Bedrock: thinking', () => {
  it('keeps reasoning with its signature and sends it back unchanged on the next turn', async () => {
    await withReplay(loadCassette('bedrock/test_bedrock_model_thinking_part_anthropic.yaml'), async (server) => {
      const model = bedrockModel(server, 'us.anthropic.claude-sonnet-4-20250514-v1:0');
      const walker = agent({ name: 'walker', model, modelSettings: { thinking: { budgetTokens: 1024 } } });
      const first = await walker.run('How do I cross the street?');
      const thinking = (first.allMessages()[1] as { parts: { kind: string; content: string; signature?: string; provider?: string }[] }).parts[0]!;
      expect(thinking).toMatchObject({ kind: 'thinking', provider: 'bedrock', signature: expect.stringMatching(/^Eu4CCkgIBxAB/) });
      await walker.run('Considering the way to cross the street, analogously, how do I cross the river?', { messageHistory: first.allMessages() });
      const sentBack = (server.requests[1]!.body as { messages: { content: unknown[] }[] }).messages[1]!.content[0];
      expect(sentBack).toEqual({ reasoningContent: { reasoningText: { text: thinking.content, signature: thinking.signature } } });
      expect(server.requests[0]!.body).toMatchObject({ additionalModelRequestFields: { thinking: { type: 'enabled', budget_tokens: 1024 } } });
    });
  });

  it('sends reasoning, text and toolUse back in order with the tool result; toolChoice auto with thinking', async () => {
    await withReplay(loadCassette('bedrock/test_bedrock_anthropic_tool_with_thinking.yaml'), async (server) => {
      const country = defineTool({
        name: 'get_user_country',
        parameters: { type: 'object', properties: {}, additionalProperties: false },
        handler: () => 'Mexico',
      });
      const result = await agent({
        name: 'geo',
        model: bedrockModel(server, 'us.anthropic.claude-3-7-sonnet-20250219-v1:0'),
        tools: [country],
        modelSettings: { thinking: { budgetTokens: 1024 } },
      }).run('What is the largest city in the user country?');
      expect(result.output).toMatch(/^Based on your location in Mexico, the largest city is Mexico City/);
      expect(server.requests[0]!.body).toMatchObject({ toolConfig: { toolChoice: { auto: {} } } });
      const assistant = (server.requests[1]!.body as { messages: { content: Record<string, unknown>[] }[] }).messages[1]!;
      expect(assistant.content.map((b) => Object.keys(b)[0])).toEqual(['reasoningContent', 'text', 'toolUse']);
      expect(recordedBody('bedrock/test_bedrock_anthropic_tool_with_thinking.yaml', 1).messages[1]).toEqual(assistant);
    });
  });

  it('asks for toolChoice auto when thinking is on, even with output tools only (Claude refuses any)', async () => {
    await withReplay([loadCassette('bedrock/test_bedrock_top_k_anthropic_variant.yaml')[0]!], async (server) => {
      const params: ModelRequestParameters = {
        ...noTools,
        outputMode: 'tool',
        allowText: false,
        outputTools: [{ name: 'final_result', kind: 'output', parametersJsonSchema: { type: 'object' } }],
      };
      await bedrockModel(server, 'us.anthropic.claude-sonnet-4-5-20250929-v1:0').request(userPrompt('Hello!'), { thinking: { effort: 'high' } }, params);
      expect(server.requests[0]!.body).toMatchObject({
        toolConfig: { toolChoice: { auto: {} } },
        additionalModelRequestFields: { thinking: { type: 'adaptive' }, output_config: { effort: 'high' } },
      });
    });
  });

  it('keeps redacted reasoning as base64 and sends it back as the same bytes', async () => {
    await withReplay(loadCassette('bedrock/test_bedrock_model_thinking_part_redacted.yaml'), async (server) => {
      const model = bedrockModel(server, 'us.anthropic.claude-3-7-sonnet-20250219-v1:0');
      const thinker = agent({ name: 'thinker', model, modelSettings: { thinking: { budgetTokens: 1024 } } });
      const first = await thinker.run('ANTHROPIC_MAGIC_STRING_TRIGGER_REDACTED_THINKING_46C9A13E193C177646C7398A98432ECCCE4C1253D5E2D82641AC0E52CC2876CB');
      const part = (first.allMessages()[1] as { parts: { kind: string; redacted?: boolean; content: string }[] }).parts[0]!;
      expect(part).toMatchObject({ kind: 'thinking', redacted: true, content: expect.stringMatching(/^RXU4RUNrZ0lC/) });
      await thinker.run('What was that?', { messageHistory: first.allMessages() });
      const sentBack = (server.requests[1]!.body as { messages: { content: unknown[] }[] }).messages[1]!.content[0];
      expect(sentBack).toEqual({ reasoningContent: { redactedContent: part.content } });
    });
  });
});

describe('Bedrock: streaming (AWS event stream)', () => {
  it('streams text, with the stop reason from messageStop and the usage from metadata', async () => {
    await withReplay(loadCassette('bedrock/test_bedrock_model_stream.yaml'), async (server) => {
      const response = await collectStream(
        bedrockModel(server, 'us.amazon.nova-micro-v1:0').requestStream(userPrompt('What is the capital of France?'), { temperature: 0 }, noTools),
      );
      expect(response.parts).toEqual([{ kind: 'text', content: expect.stringMatching(/^The capital of France is Paris\. Paris is not only/) }]);
      expect(response.usage).toEqual({ inputTokens: 13, outputTokens: 82 });
      expect(response.finishReason).toBe('stop');
      expect(server.requests[0]!.path).toBe('/model/us.amazon.nova-micro-v1%3A0/converse-stream');
    });
  });

  it('streams both turns of a recorded tool run through an agent: text, a streamed toolUse, then the answer', async () => {
    await withReplay(loadCassette('bedrock/test_bedrock_model_iter_stream.yaml'), async (server) => {
      const temperature = defineTool<{ city: string }>({
        name: 'get_temperature',
        description: 'Get the temperature in a city.',
        parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
        handler: () => '30°C',
      });
      const run = agent({
        name: 'weather',
        model: bedrockModel(server, 'us.amazon.nova-micro-v1:0'),
        instructions: 'You are a helpful chatbot.',
        tools: [capital, temperature],
        modelSettings: { topP: 0.5 },
      }).runStream('What is the temperature of the capital of France?');
      expect(await run.output()).toMatch(/^The current temperature in Paris, the capital of France, is 30°C/);
      const second = server.requests[1]!.body as { messages: { content: { toolUse?: unknown; toolResult?: unknown }[] }[] };
      expect(second.messages[1]!.content[1]).toEqual({
        toolUse: { toolUseId: 'tooluse_lAG_zP8QRHmSYOwZzzaCqA', name: 'get_temperature', input: { city: 'Paris' } },
      });
      expect(second.messages[2]!.content[0]).toEqual({
        toolResult: { toolUseId: 'tooluse_lAG_zP8QRHmSYOwZzzaCqA', content: [{ text: '30°C' }], status: 'success' },
      });
      expectNoCredential(sentBodies(server));
      await expect(sentBodies(server)).toMatchFileSnapshot('./__snapshots__/bedrock-stream-tool-run.json');
    });
  });

  it('streams reasoning deltas and the signature, then the text', async () => {
    await withReplay(loadCassette('bedrock/test_bedrock_model_thinking_part_stream.yaml'), async (server) => {
      const response = await collectStream(
        bedrockModel(server, 'us.anthropic.claude-sonnet-4-20250514-v1:0').requestStream(userPrompt('Hello'), { thinking: { budgetTokens: 1024 } }, noTools),
      );
      expect(response.parts.map((p) => p.kind)).toEqual(['thinking', 'text']);
      expect(response.parts[0]).toMatchObject({
        kind: 'thinking',
        provider: 'bedrock',
        content: expect.stringMatching(/^The user has greeted me with a simple "Hello"\./),
        signature: expect.stringMatching(/^Eu0CCkgIBxAB/),
      });
      expect(response.usage).toEqual({ inputTokens: 36, outputTokens: 73 });
    });
  });

  it('keeps redacted reasoning blocks that arrive whole in one delta', async () => {
    await withReplay(loadCassette('bedrock/test_bedrock_model_thinking_part_redacted_stream.yaml'), async (server) => {
      const response = await collectStream(
        bedrockModel(server, 'us.anthropic.claude-3-7-sonnet-20250219-v1:0').requestStream(userPrompt('x'), { thinking: { budgetTokens: 1024 } }, noTools),
      );
      expect(response.parts.map((p) => (p.kind === 'thinking' ? `thinking:${String(p.redacted)}` : p.kind))).toEqual([
        'thinking:true',
        'thinking:true',
        'text',
      ]);
      expect(response.parts[0]).toMatchObject({ content: expect.stringMatching(/^RXRrRUNrZ0lC/) });
    });
  });
});

describe('Bedrock: errors', () => {
  it('turns an HTTP 400 without an error type into ModelHTTPError with the body, and no credential anywhere', async () => {
    await withReplay(loadCassette('bedrock/test_bedrock_error.yaml'), async (server) => {
      const error = await bedrockModel(server, 'us.does-not-exist-model-v1:0')
        .request(userPrompt('hello'), undefined, noTools)
        .catch((e: unknown) => e);
      expect(ModelHTTPError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ status: 400, body: { message: 'The provided model identifier is invalid.' } });
      expect((error as Error).message).toBe('model us.does-not-exist-model-v1:0 answered HTTP 400: The provided model identifier is invalid.');
      expectNoCredential(error);
    });
  });

  it('turns a ThrottlingException into ModelHTTPError 429 naming it (written fixture)', async () => {
    await withReplay(loadCassette('bedrock/written-throttling.yaml'), async (server) => {
      const error = await bedrockModel(server, 'us.amazon.nova-micro-v1:0')
        .request(userPrompt('hello'), undefined, noTools)
        .catch((e: unknown) => e);
      expect(ModelHTTPError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ status: 429, body: { type: 'ThrottlingException', message: 'Too many requests, please wait before trying again.' } });
      expect((error as Error).message).toMatch(/answered HTTP 429: ThrottlingException: Too many requests/);
      expectNoCredential(error);
    });
  });

  it('turns errors of ConverseStream (a 400, and a ValidationException, written) into ModelHTTPError', async () => {
    await withReplay([...loadCassette('bedrock/test_bedrock_streaming_error.yaml'), ...loadCassette('bedrock/written-validation.yaml')], async (server) => {
      const unknown = await collectStream(bedrockModel(server, 'us.does-not-exist-model-v1:0').requestStream(userPrompt('hello'), undefined, noTools)).catch(
        (e: unknown) => e,
      );
      expect(unknown).toMatchObject({ status: 400, body: { message: 'The provided model identifier is invalid.' } });
      const invalid = await collectStream(bedrockModel(server, 'us.amazon.nova-micro-v1:0').requestStream(userPrompt('hello'), undefined, noTools)).catch(
        (e: unknown) => e,
      );
      expect(ModelHTTPError.isInstance(invalid)).toBe(true);
      expect(invalid).toMatchObject({ status: 400, body: { type: 'ValidationException' } });
      expectNoCredential(unknown, invalid);
    });
  });

  it('raises a guardrail block as UnexpectedModelBehavior carrying the response (written fixture)', async () => {
    await withReplay(loadCassette('bedrock/written-guardrail-intervened.yaml'), async (server) => {
      const error = await bedrockModel(server, 'us.amazon.nova-micro-v1:0')
        .request(userPrompt('How do I pick a lock?'), undefined, noTools)
        .catch((e: unknown) => e);
      expect(UnexpectedModelBehavior.isInstance(error)).toBe(true);
      expect((error as Error).message).toBe("the model's answer was blocked (guardrail_intervened): Sorry, the model cannot answer this question.");
      expect((error as UnexpectedModelBehavior).response).toMatchObject({
        finishReason: 'content-filter',
        providerDetails: { stopReason: 'guardrail_intervened' },
      });
    });
  });

  it('turns a refused connection into ModelAPIError, not an HTTP error', async () => {
    const server = await startReplayServer([]);
    await server.close();
    const error = await bedrockModel(server, 'us.amazon.nova-micro-v1:0')
      .request(userPrompt('hello'), undefined, noTools)
      .catch((e: unknown) => e);
    expect(ModelAPIError.isInstance(error)).toBe(true);
    expect(ModelHTTPError.isInstance(error)).toBe(false);
    expect((error as Error).message).toMatch(/^the connection to model us\.amazon\.nova-micro-v1:0 failed/);
    expectNoCredential(error);
  });
});

describe('Bedrock: model ids', () => {
  it('resolves bedrock: ids, colons of the model id included, and shows no credential', async () => {
    const model = await resolveModel('bedrock:us.anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(model).toBeInstanceOf(BedrockModel);
    expect(model.name).toBe('us.anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(JSON.stringify(model)).toBe('{"system":"bedrock","name":"us.anthropic.claude-sonnet-4-5-20250929-v1:0"}');
    const given = new BedrockModel('amazon.nova-micro-v1:0', { credentials: { accessKeyId: KEY_ID, secretAccessKey: CANARY_KEY } });
    expectNoCredential(JSON.stringify(given), given);
  });

  it('drops reasoning from another provider, and keeps tool ids valid for Converse', async () => {
    const history: ModelMessage[] = [
      ...userPrompt('What is the capital of France?'),
      {
        kind: 'response',
        parts: [
          { kind: 'thinking', content: 'Look it up.', signature: 'sig', provider: 'anthropic' },
          { kind: 'tool-call', toolName: 'get_capital', args: '{"country":"France"}', toolCallId: 'call:openai/1' },
        ],
        modelName: 'claude',
        timestamp: '',
        usage: { inputTokens: 1, outputTokens: 1 },
      },
      { kind: 'request', parts: [{ kind: 'tool-return', toolName: 'get_capital', toolCallId: 'call:openai/1', content: 'Paris', timestamp: '' }] },
    ];
    const params: ModelRequestParameters = { ...noTools, functionTools: [{ name: 'get_capital', kind: 'function', parametersJsonSchema: { type: 'object' } }] };
    await withReplay([loadCassette('bedrock/test_bedrock_model.yaml')[0]!], async (server) => {
      await bedrockModel(server, 'us.amazon.nova-micro-v1:0').request(history, undefined, params);
      const messages = (server.requests[0]!.body as { messages: { content: { toolUse?: { toolUseId: string }; toolResult?: { toolUseId: string } }[] }[] })
        .messages;
      expect(messages[1]!.content).toEqual([{ toolUse: { toolUseId: 'call_x3a_openai_x2f_1', name: 'get_capital', input: { country: 'France' } } }]);
      expect(messages[2]!.content[0]!.toolResult!.toolUseId).toBe('call_x3a_openai_x2f_1');
    });
  });
});
