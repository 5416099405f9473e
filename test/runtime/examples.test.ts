/**
 * Every generated example agent runs end to end on TestModel: its tools get valid arguments, its
 * handlers' returns pass their schemas, and its output passes the output schema.
 */
import { describe, expect, it } from 'vitest';
import { MemoryGraphStore, type ModelMessage } from 'schemantic';
import { TestModel } from 'schemantic/testing';
import { createBankSupportAgent } from '../../generated/agents/bank-support.js';
import { createDocSearchAgent } from '../../generated/agents/doc-search.js';
import { createFlightBookingAgent } from '../../generated/agents/flight-booking.js';
import { createFlightExtractionAgent } from '../../generated/agents/flight-extraction.js';
import { createFlightSearchAgent } from '../../generated/agents/flight-search.js';
import { createSeatPreferenceAgent } from '../../generated/agents/seat-preference.js';
import { createSqlGenAgent } from '../../generated/agents/sql-gen.js';
import { createWeatherAgent } from '../../generated/agents/weather.js';
import { createWhalesAgent } from '../../generated/agents/whales.js';
import { validateOutput as validateWhales } from '../../generated/validators/agents/whales.js';
import { createAskQuestionAgent } from '../../generated/agents/ask-question.js';
import { createEvaluateAnswerAgent } from '../../generated/agents/evaluate-answer.js';
import { createQuestionGraph } from '../../generated/graphs/question.js';
import { askDemoModel, evaluateDemoModel } from '../../examples/question-demo-models.js';
import { freshQuestionState, questionHandlers } from '../../examples/question-graph-handlers.js';

const model = () => new TestModel({ seed: 11 });

function toolNamesCalled(messages: readonly ModelMessage[]): string[] {
  return messages.flatMap((m) => (m.kind === 'response' ? m.parts.filter((p) => p.kind === 'tool-call').map((p) => (p as { toolName: string }).toolName) : []));
}

describe('the shipped examples, on TestModel', () => {
  it('weather: calls both tools and answers with their results', async () => {
    const agent = createWeatherAgent({
      model: model(),
      tools: {
        getLatLng: (_ctx, { location_description }) => ({ lat: 51.5, lng: location_description.length % 2 === 0 ? -0.1 : 0.1 }),
        getWeather: (_ctx, { lat, lng }) => ({ temperature: '21 °C', description: `Sunny at ${lat.toFixed(1)},${lng.toFixed(1)}` }),
      },
    });
    const result = await agent.run('What is the weather like in London?', { context: { user_name: 'Ann' } });
    const output: string = result.output;
    expect(JSON.parse(output)).toMatchObject({ get_lat_lng: { lat: 51.5 }, get_weather: { temperature: '21 °C' } });
    expect(result.allMessages()[0]).toMatchObject({ parts: [{ kind: 'user-prompt' }], instructions: expect.stringContaining('The user is Ann.') });
  });

  it('bank support: deps reach the tool, and the output carries a risk level', async () => {
    const db = { balances: new Map([[123, 123.45]]) };
    const agent = createBankSupportAgent<{ customerId: number; db: typeof db }>({
      model: model(),
      tools: { customerBalance: (ctx, { include_pending }) => `$${(ctx.deps.db.balances.get(ctx.deps.customerId)! + (include_pending ? 1 : 0)).toFixed(2)}` },
    });
    const result = await agent.run('What is my balance?', { deps: { customerId: 123, db }, context: { customer_name: 'John' } });
    expect(result.output.risk).toBeGreaterThanOrEqual(0);
    expect(result.output.risk).toBeLessThanOrEqual(10);
    expect(typeof result.output.block_card).toBe('boolean');
    expect(toolNamesCalled(result.allMessages())).toEqual(['customer_balance', 'final_result']);
  });

  it('SQL generation: the output is one of the union members', async () => {
    const agent = createSqlGenAgent({ model: model() });
    const result = await agent.run('show me logs from yesterday', {
      context: { db_schema: 'CREATE TABLE records (...)', today: '2025-01-10', examples: [{ request: 'all', response: 'SELECT *' }] },
    });
    expect('sql_query' in result.output || 'error_message' in result.output).toBe(true);
    expect(toolNamesCalled(result.allMessages())[0]).toMatch(/^final_result_(Success|InvalidRequest)$/);
  });

  it('flight booking: the booking agent delegates to the search and seat agents', async () => {
    const extraction = createFlightExtractionAgent({ model: model() });
    const search = createFlightSearchAgent({
      model: model(),
      tools: { extractFlights: async (ctx) => (await extraction.run('page', { usage: ctx.usage })).output },
    });
    const seat = createSeatPreferenceAgent({ model: model() });
    const booking = createFlightBookingAgent({ model: model(), tools: { buyTickets: () => 'CONF-1' }, agents: { flightSearch: search, seatPreference: seat } });
    const result = await booking.run('Book me a flight from SFO to ANC');
    expect(result.output.flight.origin).toMatch(/^[A-Z]{3}$/);
    // TestModel calls every tool at once (function tools first, then delegates), then answers.
    expect(toolNamesCalled(result.allMessages())).toEqual(['buy_tickets', 'flight_search', 'seat_preference', 'final_result']);
    // booking 2 (all tools, then output) + search 2 (extract_flights, then output) + extraction 1 + seat 1.
    expect(result.usage().requests).toBe(6);
  });

  it('documentation search: three tools over document chunks', async () => {
    const chunk = { url: 'https://ai.pydantic.dev/api/agent/', title: 'run_stream Function Parameters', content: '...' };
    const agent = createDocSearchAgent({
      model: model(),
      tools: {
        retrieveRelevantDocumentation: (_ctx, { user_query, limit }) =>
          Array.from({ length: Math.min(limit ?? 5, 2) }, () => ({ ...chunk, content: user_query })),
        listDocumentationPages: () => [chunk.url],
        getPageContent: (_ctx, { url }) => `# ${url}`,
      },
    });
    const result = await agent.run('How do I stream?', { context: { site: { name: 'PydanticAI', root_url: 'https://ai.pydantic.dev/' } } });
    expect(Object.keys(JSON.parse(result.output))).toEqual(['retrieve_relevant_documentation', 'list_documentation_pages', 'get_page_content']);
  });

  it('stream whales: an array output', async () => {
    const result = await createWhalesAgent({ model: model() }).run('Generate me details of 5 species of Whale.');
    expect(Array.isArray(result.output)).toBe(true);
    expect(validateWhales(result.output)).toBe(true);
  });

  it('question graph: runs its agents, waits for the answer, and resumes to the end on the demo models', async () => {
    const graph = createQuestionGraph(questionHandlers);
    const said: string[] = [];
    const deps = {
      ask: createAskQuestionAgent({ model: askDemoModel }),
      evaluate: createEvaluateAnswerAgent({ model: evaluateDemoModel }),
      say: (line: string) => said.push(line),
    };
    const persistence = new MemoryGraphStore();
    const started = await graph.run({ state: freshQuestionState(), deps, persistence });
    expect(started).toMatchObject({ status: 'waiting', waitingAt: { node: 'answer', input: { question: 'What is the capital of France?' } } });
    const wrong = await graph.resume(started.runId, { deps, persistence, reply: 'Lyon' });
    expect(wrong).toMatchObject({ status: 'waiting', waitingAt: { input: { question: 'What is 1 + 1?' } } });
    expect(said).toEqual(['Comment: Lyon is not the capital of France.']);
    const right = await graph.resume(started.runId, { deps, persistence, reply: 'two' });
    expect(right).toMatchObject({ status: 'ended', output: 'Well done, 1 + 1 = 2' });
    expect(right.history.map((h) => h.node)).toEqual(['ask', 'answer', 'evaluate', 'reprimand', 'ask', 'answer', 'evaluate']);
    // The agents' conversations are in the state: two questions asked (a request and its answer
    // each), two answers judged (a request, the output tool's call, and its return each).
    expect(right.state.ask_conversation?.messages).toHaveLength(4);
    expect(right.state.evaluate_conversation?.messages).toHaveLength(6);
  });

  it('types runs: context and deps are required where the definitions need them', () => {
    const weather = createWeatherAgent({ tools: { getLatLng: () => ({ lat: 0, lng: 0 }), getWeather: () => ({ temperature: '', description: '' }) } });
    // @ts-expect-error the weather agent needs its context (user_name)
    void (() => weather.run('hi'));
    // @ts-expect-error user_name must be a string
    void (() => weather.run('hi', { context: { user_name: 1 } }));
    expect(weather.name).toBe('weather');
  });
});
