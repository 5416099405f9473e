/**
 * Model settings on the wire: each official SDK, pointed at a local replay server, sends what the
 * request mapping wrote for `topK`, `logitBias`, `extraBody` and `providerOptions` (the SDKs drop
 * nothing on the way), against recorded traffic where a recording exists (Gemini's `topK` and
 * `labels`, Bedrock's guardrail, performance configuration and Claude's `top_k`) and fixtures
 * written from the documented shapes elsewhere (`written-*`, see the cassettes' README). Every
 * exchange is used, the bodies are snapshotted, and no key shows anywhere.
 */
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { describe, expect, it } from 'vitest';
import { BedrockModel } from 'schemantic/bedrock';
import { GoogleModel } from 'schemantic/google';
import { anthropicModel, CANARY_KEY, expectNoCanary, noTools, openaiModel, sentBodies, userPrompt, withReplay } from './harness.js';
import { loadCassette, type Exchange, type ReplayServer } from './replay-server.js';
import type { ModelMessage } from 'schemantic';

const cassette = (name: string) => loadCassette(`settings/${name}`);

/** The conversation the recordings were made with: instructions and one question. */
function withInstructions(question: string): ModelMessage[] {
  return [
    {
      kind: 'request',
      parts: [
        { kind: 'system-prompt', content: 'You are a helpful chatbot.', timestamp: '' },
        { kind: 'user-prompt', content: question, timestamp: '' },
      ],
    },
  ];
}

function googleModel(server: ReplayServer, modelName: string): GoogleModel {
  return GoogleModel.connect(modelName, { apiKey: CANARY_KEY, baseURL: server.url, maxRetries: 0 });
}

/** A Bedrock model signing with test credentials (the secret is the canary), over HTTP/1.1 to the replay server. */
function bedrockModel(server: ReplayServer, modelId: string): BedrockModel {
  return BedrockModel.connect(modelId, {
    region: 'us-east-1',
    endpoint: server.url,
    credentials: { accessKeyId: 'AKIDSCHEMANTICTEST01', secretAccessKey: CANARY_KEY },
    maxRetries: 0,
    clientConfig: { requestHandler: new NodeHttpHandler() },
  });
}

/** A Vertex AI recording replayed at the Gemini API's path: the `generateContent` bodies are the same on both. */
function atGeminiPath(exchanges: Exchange[], modelName: string): Exchange[] {
  return exchanges.map((e) => ({ ...e, request: { ...e.request, path: `/v1beta/models/${modelName}:generateContent` } }));
}

describe('settings through the official SDKs', () => {
  it('Gemini: topK goes into generationConfig', async () => {
    await withReplay(cassette('test_google_model_top_k.yaml'), async (server) => {
      const response = await googleModel(server, 'gemini-3.1-flash-lite').request(withInstructions('What is the capital of France?'), { topK: 40 }, noTools);
      expect(response.parts.filter((p) => p.kind === 'text')).toEqual([{ kind: 'text', content: 'The capital of France is Paris.' }]);
      expect(response.warnings).toBeUndefined();
      expect(server.requests[0]!.body).toMatchObject({ generationConfig: { topK: 40 } });
      await expect(sentBodies(server)).toMatchFileSnapshot('./__snapshots__/settings-google-top-k.json');
      expectNoCanary(response, sentBodies(server));
    });
  });

  it('Gemini: providerOptions.google.labels go on the request', async () => {
    await withReplay(atGeminiPath(cassette('test_google_model_vertex_labels.yaml'), 'gemini-2.0-flash'), async (server) => {
      const response = await googleModel(server, 'gemini-2.0-flash').request(
        withInstructions('What is the capital of France?'),
        { providerOptions: { google: { labels: { environment: 'test', team: 'analytics' } } } },
        noTools,
      );
      expect(response.parts).toEqual([{ kind: 'text', content: 'The capital of France is Paris.\n' }]);
      expect(server.requests[0]!.body).toMatchObject({ labels: { environment: 'test', team: 'analytics' } });
      await expect(sentBodies(server)).toMatchFileSnapshot('./__snapshots__/settings-google-labels.json');
      expectNoCanary(response, sentBodies(server));
    });
  });

  it('Bedrock: providerOptions.bedrock.guardrailConfig is sent, and the trace comes back', async () => {
    await withReplay(cassette('test_bedrock_model_guardrail_config.yaml'), async (server) => {
      const response = await bedrockModel(server, 'us.amazon.nova-micro-v1:0').request(
        withInstructions('What is the capital of France?'),
        { providerOptions: { bedrock: { guardrailConfig: { guardrailIdentifier: 'xbgw7g293v7o', guardrailVersion: 'DRAFT', trace: 'enabled' } } } },
        noTools,
      );
      expect(response.parts[0]).toMatchObject({ kind: 'text', content: expect.stringMatching(/^The capital of France is Paris\./) });
      expect(server.requests[0]!.body).toEqual({
        messages: [{ role: 'user', content: [{ text: 'What is the capital of France?' }] }],
        system: [{ text: 'You are a helpful chatbot.' }],
        guardrailConfig: { guardrailIdentifier: 'xbgw7g293v7o', guardrailVersion: 'DRAFT', trace: 'enabled' },
      });
      await expect(sentBodies(server)).toMatchFileSnapshot('./__snapshots__/settings-bedrock-guardrail.json');
      expectNoCanary(response, sentBodies(server));
    });
  });

  it('Bedrock: providerOptions.bedrock.performanceConfig asks for optimised latency', async () => {
    await withReplay(cassette('test_bedrock_model_performance_config.yaml'), async (server) => {
      const response = await bedrockModel(server, 'us.amazon.nova-pro-v1:0').request(
        withInstructions('What is the capital of France?'),
        { providerOptions: { bedrock: { performanceConfig: { latency: 'optimized' } } } },
        noTools,
      );
      expect(response.usage).toEqual({ inputTokens: 13, outputTokens: 67 });
      expect(server.requests[0]!.body).toMatchObject({ performanceConfig: { latency: 'optimized' } });
      await expect(sentBodies(server)).toMatchFileSnapshot('./__snapshots__/settings-bedrock-performance.json');
      expectNoCanary(response, sentBodies(server));
    });
  });

  it("Bedrock: topK on Claude is Anthropic's top_k among the model's own fields", async () => {
    await withReplay(cassette('test_bedrock_top_k_anthropic_variant.yaml'), async (server) => {
      const response = await bedrockModel(server, 'us.anthropic.claude-sonnet-4-5-20250929-v1:0').request(
        userPrompt('Reply with the single word: ok'),
        { topK: 20 },
        noTools,
      );
      expect(response.parts).toEqual([{ kind: 'text', content: 'ok' }]);
      expect(response.warnings).toBeUndefined();
      expect(server.requests[0]!.body).toEqual({
        messages: [{ role: 'user', content: [{ text: 'Reply with the single word: ok' }] }],
        additionalModelRequestFields: { top_k: 20 },
      });
      expectNoCanary(response, sentBodies(server));
    });
  });

  it('OpenAI chat: logitBias and providerOptions.openai (user, serviceTier, store) are sent', async () => {
    await withReplay(cassette('written-openai-chat-logit-bias.yaml'), async (server) => {
      const response = await openaiModel(server, 'gpt-4o').request(
        userPrompt('Answer in one word: is Paris in France?'),
        { logitBias: { '13022': 10, '3160': -100 }, providerOptions: { openai: { user: 'user-1', serviceTier: 'priority', store: false } } },
        noTools,
      );
      expect(response.parts).toEqual([{ kind: 'text', content: 'Yes' }]);
      expect(response.warnings).toBeUndefined();
      expect(server.requests[0]!.body).toEqual({
        model: 'gpt-4o',
        messages: [{ role: 'user', content: 'Answer in one word: is Paris in France?' }],
        logit_bias: { '13022': 10, '3160': -100 },
        user: 'user-1',
        service_tier: 'priority',
        store: false,
      });
      await expect(sentBodies(server)).toMatchFileSnapshot('./__snapshots__/settings-openai-chat-logit-bias.json');
      expectNoCanary(
        response,
        sentBodies(server),
        server.requests.map((r) => r.body),
      );
    });
  });

  it('Anthropic: providerOptions.anthropic and extraBody are sent; penalties warn instead of vanishing', async () => {
    await withReplay(cassette('written-anthropic-provider-options.yaml'), async (server) => {
      const response = await anthropicModel(server, 'claude-sonnet-4-5').request(
        withInstructions('What is the capital of France?'),
        {
          providerOptions: { anthropic: { userId: 'user-1', serviceTier: 'standard_only', cacheInstructions: '1h' } },
          extraBody: { inference_geo: 'us' },
          presencePenalty: 0.5,
          frequencyPenalty: 0.5,
        },
        noTools,
      );
      expect(response.parts).toEqual([{ kind: 'text', content: 'The capital of France is Paris.' }]);
      expect(response.warnings).toEqual([
        'anthropic does not support presencePenalty; it is ignored',
        'anthropic does not support frequencyPenalty; it is ignored',
      ]);
      expect(server.requests[0]!.body).toEqual({
        model: 'claude-sonnet-4-5',
        max_tokens: 4096,
        messages: [{ role: 'user', content: [{ type: 'text', text: 'What is the capital of France?' }] }],
        system: [{ type: 'text', text: 'You are a helpful chatbot.', cache_control: { type: 'ephemeral', ttl: '1h' } }],
        metadata: { user_id: 'user-1' },
        service_tier: 'standard_only',
        inference_geo: 'us',
      });
      await expect(sentBodies(server)).toMatchFileSnapshot('./__snapshots__/settings-anthropic-provider-options.json');
      expectNoCanary(response, sentBodies(server));
    });
  });
});
