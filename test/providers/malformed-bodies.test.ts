/**
 * Malformed answers with status 200, played by the replay server to the real SDK clients: a
 * truncated JSON body, `{}`, a text body, an error object where a completion should be, `choices: null`,
 * `tool_calls` that is not an array, a tool call without `function` (OpenAI Chat, plain and
 * streamed), and `content: null`, `{}`, truncated JSON (Anthropic, plain and streamed). Each ends
 * as a ModelAPIError that says what was wrong (with the provider's own message when it sent one),
 * never a bare TypeError or SyntaxError, and a FallbackModel moves on to the next model.
 */
import { describe, expect, it } from 'vitest';
import { collectStream, FallbackModel, ModelAPIError, responseText, type Model, type ModelResponse } from 'schemantic';
import { anthropicModel, expectNoCanary, noTools, openaiModel, userPrompt, withReplay } from './harness.js';
import { loadCassette, loadSse, type Exchange, type Reply } from './replay-server.js';
import type { ReplayServer } from './replay-server.js';

const prompt = userPrompt('What is the capital of France?');
const openaiText = loadCassette('openai/test_openai_instructions.yaml')[0]!;
const anthropicText = loadCassette('anthropic/test_anthropic_model_instructions.yaml')[0]!;
const openaiPath = { method: 'POST', path: '/v1/chat/completions' };
const anthropicPath = { method: 'POST', path: '/v1/messages' };

/** A body written byte for byte as JSON (the replay server's `sse` reply with another content type). */
const rawJson = (text: string): Reply => ({ kind: 'sse', headers: { 'content-type': 'application/json' }, text });
const json = (body: unknown): Reply => ({ kind: 'json', status: 200, body });
/** What a proxy may put in front of the API: the SDKs hand a body that is not JSON over as a string. */
const textBody: Reply = { kind: 'sse', headers: { 'content-type': 'text/plain' }, text: 'upstream connect error' };
/** An OpenAI stream of these `data:` lines (objects are JSON-encoded), ended by `[DONE]`. */
const openaiSse = (...lines: unknown[]): Reply => ({
  kind: 'sse',
  text: [...lines.map((l) => `data: ${typeof l === 'string' ? l : JSON.stringify(l)}\n\n`), 'data: [DONE]\n\n'].join(''),
});
/** An Anthropic stream of these events (`[event, data]`; objects are JSON-encoded). */
const anthropicSse = (...events: [string, unknown][]): Reply => ({
  kind: 'sse',
  text: events.map(([event, data]) => `event: ${event}\ndata: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`).join(''),
});

const serverError = { error: { message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error' } };
const completion = (message: object) => ({
  id: 'chatcmpl-x',
  object: 'chat.completion',
  created: 0,
  model: 'gpt-4o',
  choices: [{ index: 0, finish_reason: 'tool_calls', message: { role: 'assistant', content: null, refusal: null, ...message } }],
  usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
});
const chunk = (delta: object, finish: string | null = null) => ({
  id: 'chatcmpl-x',
  object: 'chat.completion.chunk',
  created: 0,
  model: 'gpt-4o',
  choices: [{ index: 0, delta, finish_reason: finish }],
});
const roleChunk = chunk({ role: 'assistant', content: null });
const anthropicMessage = anthropicText.response.kind === 'json' ? (anthropicText.response.body as Record<string, unknown>) : {};
const messageStart = {
  type: 'message_start',
  message: {
    id: 'msg_1',
    type: 'message',
    role: 'assistant',
    content: [],
    model: 'claude-3-opus',
    stop_reason: null,
    usage: { input_tokens: 1, output_tokens: 1 },
  },
};

const malformed = (what: string) => `model %s answered with a malformed response: ${what}`;
const providerSaid = (message: string) => `model %s answered with an error: ${message}`;
const badJson = /^model \S+ answered with malformed JSON: /;

interface Case {
  name: string;
  reply: Reply;
  /** The error's message (`%s` the model name), or a pattern. */
  message: string | RegExp;
}

const openaiPlain: Case[] = [
  { name: 'a truncated JSON body', reply: rawJson('{"id":"chatcmpl-x","object":"chat.completion","choices":[{"index":0,"mess'), message: badJson },
  { name: '{}', reply: json({}), message: malformed('choices is not an array') },
  { name: 'a text body', reply: textBody, message: malformed('the body is not an object') },
  { name: 'an error object', reply: json(serverError), message: providerSaid(serverError.error.message) },
  { name: 'choices: null', reply: json({ ...completion({}), choices: null }), message: malformed('choices is not an array') },
  {
    name: 'tool_calls that is not an array',
    reply: json(completion({ tool_calls: { id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } } })),
    message: malformed('choices[0].message.tool_calls is not an array'),
  },
  {
    name: 'a tool call without function',
    reply: json(completion({ tool_calls: [{ id: 'call_1', type: 'function' }] })),
    message: malformed('choices[0].message.tool_calls[0].function is not an object'),
  },
];

const openaiStreamed: Case[] = [
  {
    name: 'a truncated JSON chunk',
    reply: { kind: 'sse', text: `data: ${JSON.stringify(roleChunk)}\n\ndata: {"id":"chatcmpl-x","choices":[{"in\n\n` },
    message: badJson,
  },
  { name: '{}', reply: openaiSse({}), message: 'the stream from model %s ended before the model finished' },
  { name: 'an error object', reply: openaiSse(roleChunk, serverError), message: providerSaid(serverError.error.message) },
  { name: 'choices: null', reply: openaiSse({ ...roleChunk, choices: null }), message: 'the stream from model %s ended before the model finished' },
  {
    name: 'tool_calls that is not an array',
    reply: openaiSse(roleChunk, chunk({ tool_calls: { index: 0, id: 'call_1', type: 'function', function: { name: 'f', arguments: '' } } })),
    message: malformed('choices[0].delta.tool_calls is not an array'),
  },
  {
    name: 'a tool call without function',
    reply: openaiSse(roleChunk, chunk({ tool_calls: [{ index: 0, id: 'call_1', type: 'function' }] }), chunk({}, 'tool_calls')),
    message: malformed('tool call 0 starts without a function'),
  },
];

const anthropicPlain: Case[] = [
  { name: 'a truncated JSON body', reply: rawJson('{"id":"msg_1","type":"message","content":[{"type":"te'), message: badJson },
  { name: '{}', reply: json({}), message: malformed('content is not an array') },
  { name: 'a text body', reply: textBody, message: malformed('the body is not an object') },
  { name: 'content: null', reply: json({ ...anthropicMessage, content: null }), message: malformed('content is not an array') },
  { name: 'an error object', reply: json({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }), message: providerSaid('Overloaded') },
];

const anthropicStreamed: Case[] = [
  { name: 'a truncated JSON event', reply: anthropicSse(['message_start', '{"type":"message_start","message":{"id":"msg_1","con']), message: badJson },
  { name: '{}', reply: anthropicSse(['message_start', {}]), message: malformed('an event without a type') },
  {
    name: 'a message_start without its message',
    reply: anthropicSse(['message_start', { type: 'message_start', message: null }]),
    message: malformed('message_start.message is not an object'),
  },
  {
    name: 'a content block that is null',
    reply: anthropicSse(['message_start', messageStart], ['content_block_start', { type: 'content_block_start', index: 0, content_block: null }]),
    message: malformed('content_block_start.content_block is not an object'),
  },
];

/** The request a case makes: plain, or streamed and collected. */
type Call = (model: Model) => Promise<ModelResponse>;
const plain: Call = (model) => model.request(prompt, undefined, noTools);
const streamed: Call = (model) => collectStream(model.requestStream(prompt, undefined, noTools));

interface Suite {
  title: string;
  cases: Case[];
  call: Call;
  path: Exchange['request'];
  model: (server: ReplayServer, name: string) => Model;
  modelName: string;
  /** A good answer for the model tried next, and its text. */
  good: Exchange;
  goodText: string;
}

const suites: Suite[] = [
  {
    title: 'OpenAI Chat, plain',
    cases: openaiPlain,
    call: plain,
    path: openaiPath,
    model: (server, name) => openaiModel(server, name),
    modelName: 'gpt-4o',
    good: openaiText,
    goodText: 'The capital of France is Paris.',
  },
  {
    title: 'OpenAI Chat, streamed',
    cases: openaiStreamed,
    call: streamed,
    path: openaiPath,
    model: (server, name) => openaiModel(server, name),
    modelName: 'gpt-4o',
    good: { request: openaiPath, response: { kind: 'sse', text: loadSse('openai/openai-chat-stream-text.sse') } },
    goodText: "I'm unable to provide real-time weather updates.",
  },
  {
    title: 'Anthropic, plain',
    cases: anthropicPlain,
    call: plain,
    path: anthropicPath,
    model: (server, name) => anthropicModel(server, name),
    modelName: 'claude-3-opus-latest',
    good: anthropicText,
    goodText: 'The capital of France is Paris.',
  },
  {
    title: 'Anthropic, streamed',
    cases: anthropicStreamed,
    call: streamed,
    path: anthropicPath,
    model: (server, name) => anthropicModel(server, name),
    modelName: 'claude-3-opus-latest',
    good: { request: anthropicPath, response: { kind: 'sse', text: loadSse('anthropic/anthropic-stream-text.sse') } },
    goodText: 'Hello there!',
  },
];

describe.each(suites)('$title', (suite) => {
  it.each(suite.cases)('$name ends as a ModelAPIError that says so', async ({ reply, message }) => {
    await withReplay([{ request: suite.path, response: reply }], async (server) => {
      const error = await suite.call(suite.model(server, suite.modelName)).catch((e: unknown) => e);
      expect(ModelAPIError.isInstance(error), String(error)).toBe(true);
      const text = (error as Error).message;
      if (typeof message === 'string') expect(text).toBe(message.replace('%s', suite.modelName));
      else expect(text).toMatch(message);
      expect((error as ModelAPIError).modelName).toBe(suite.modelName);
      expectNoCanary(error);
    });
  });

  it.each(suite.cases)('$name: a FallbackModel answers with the next model', async ({ reply }) => {
    await withReplay([{ request: suite.path, response: reply }, suite.good], async (server) => {
      const model = new FallbackModel([suite.model(server, suite.modelName), suite.model(server, `${suite.modelName}-next`)]);
      const response = await suite.call(model);
      expect(responseText(response).startsWith(suite.goodText.slice(0, 12))).toBe(true);
      expect(server.requests).toHaveLength(2);
    });
  });
});
