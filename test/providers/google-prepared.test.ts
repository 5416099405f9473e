/**
 * The Gemini adapter and the generator's Gemini variants, on recorded Gemini API traffic: a spec
 * that brings a variant (`geminiSchema`, `geminiParameters`) has it sent as it is, with no
 * request-time warning (the generator warned, located); a hand-written agent, which has none, still
 * gets its schemas put into Gemini's subset at request time, each keyword dropped a warning.
 */
import { describe, expect, it } from 'vitest';
import { agent, defineAgent, defineTool, VERSION, type AgentSpec, type ToolSpec, type Validator } from 'schemantic';
import { GoogleModel } from 'schemantic/google';
import { CANARY_KEY, sentBodies, withReplay } from './harness.js';
import { loadCassette, type ReplayServer } from './replay-server.js';

const googleModel = (server: ReplayServer) => GoogleModel.connect('gemini-2.0-flash', { apiKey: CANARY_KEY, baseURL: server.url, maxRetries: 0 });
const cassette = (name: string) => loadCassette(`google/${name}`);
type Body = { generationConfig?: Record<string, unknown>; tools?: { functionDeclarations: { name: string; parametersJsonSchema: unknown }[] }[] };
const body = (server: ReplayServer, i: number) => server.requests[i]!.body as Body;
const keywordWarnings = (messages: readonly unknown[]) =>
  messages.flatMap((m) => (m as { warnings?: string[] }).warnings ?? []).filter((w) => w.includes('JSON Schema keyword'));

/** A validator that takes anything: these tests are about what is sent. */
const pass = ((_: unknown) => true) as Validator<never>;

/** The city output as written (with keywords Gemini drops), and the variant the generator made of it. */
const cityOutput = {
  type: 'object',
  properties: { city: { type: 'string', pattern: '^[A-Z]' }, country: { type: 'string', minLength: 1 } },
  required: ['city', 'country'],
};
// The title marks it as the prepared one: computed at request time, it would have none.
const cityVariant = {
  type: 'object',
  title: 'PreparedCity',
  properties: { city: { type: 'string' }, country: { type: 'string' } },
  required: ['city', 'country'],
};

function citySpec(mode: 'native' | 'tool', tools: AgentSpec['tools'] = []): AgentSpec {
  return {
    runtime: `^${VERSION}`,
    name: 'city',
    validators: () => Promise.resolve({ validateOutput: pass }),
    tools,
    delegates: [],
    output: {
      kind: 'structured',
      mode,
      allowsText: false,
      members: [{ toolName: 'final_result', schema: cityOutput, geminiSchema: cityVariant, validator: 'validateOutput' }],
    },
  };
}

describe('Google Gemini: the generator’s schema variants', () => {
  it('sends an output member’s prepared variant as responseJsonSchema, with no request-time warning', async () => {
    await withReplay(cassette('test_google_native_output.yaml'), async (server) => {
      const result = await defineAgent(citySpec('native'), { model: googleModel(server) }).run('What is the largest city in Mexico?');
      expect(result.output).toEqual({ city: 'Mexico City', country: 'Mexico' });
      expect(body(server, 0).generationConfig!['responseJsonSchema']).toEqual(cityVariant);
      expect(keywordWarnings(result.allMessages())).toEqual([]);
      await expect(sentBodies(server)).toMatchFileSnapshot('./__snapshots__/google-prepared-native-output.json');
    });
  });

  it('sends a tool’s and an output tool’s prepared variants as their parametersJsonSchema', async () => {
    const tool: ToolSpec = {
      name: 'get_user_country',
      parameters: { type: 'object', properties: {}, maxProperties: 0 },
      geminiParameters: { type: 'object', properties: {}, description: 'Prepared by the generator.' },
      validators: () => Promise.resolve({ validateArgs: pass }),
    };
    await withReplay(cassette('test_google_tool_output.yaml'), async (server) => {
      const spec = citySpec('tool', [{ key: 'getUserCountry', tool }]);
      const result = await defineAgent(spec, { model: googleModel(server), tools: { getUserCountry: () => 'Mexico' } }).run(
        'What is the largest city in the user country?',
      );
      const declarations = body(server, 0).tools![0]!.functionDeclarations;
      expect(declarations.map((d) => [d.name, d.parametersJsonSchema])).toEqual([
        ['get_user_country', tool.geminiParameters],
        ['final_result', cityVariant],
      ]);
      expect(keywordWarnings(result.allMessages())).toEqual([]);
    });
  });

  it('still puts a hand-written agent’s schemas into Gemini’s subset at request time, warning of each keyword dropped', async () => {
    const userCountry = defineTool({
      name: 'get_user_country',
      parameters: { type: 'object', properties: {}, maxProperties: 0 },
      handler: () => 'Mexico',
    });
    await withReplay(cassette('test_google_tool_output.yaml'), async (server) => {
      const result = await agent({ name: 'geo', model: googleModel(server), tools: [userCountry], output: cityOutput }).run(
        'What is the largest city in the user country?',
      );
      const declarations = body(server, 0).tools![0]!.functionDeclarations;
      expect(declarations.map((d) => d.parametersJsonSchema)).toEqual([
        { type: 'object', properties: {} },
        { type: 'object', properties: { city: { type: 'string' }, country: { type: 'string' } }, required: ['city', 'country'] },
      ]);
      // Each request of the run says it again (the first one shown).
      expect(keywordWarnings(result.allMessages().slice(0, 2))).toEqual([
        expect.stringContaining('keyword maxProperties'),
        expect.stringContaining('keyword minLength'),
        expect.stringContaining('keyword pattern'),
      ]);
    });
  });
});
