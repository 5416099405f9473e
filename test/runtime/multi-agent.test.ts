/**
 * Multi-agent applications: delegation declared in the definitions (the generated flight booking
 * example) and by hand, passing deps and usage; programmatic hand-off with history and usage.
 */
import { describe, expect, it } from 'vitest';
import { agent, Usage, UserError, type ModelMessage, type ResponsePart } from 'schemantic';
import { FunctionModel, TestModel } from 'schemantic/testing';
import { createFlightBookingAgent } from '../../generated/agents/flight-booking.js';
import { createFlightExtractionAgent } from '../../generated/agents/flight-extraction.js';
import { createFlightSearchAgent, type FlightSearchDelegateArgs } from '../../generated/agents/flight-search.js';
import { createSeatPreferenceAgent } from '../../generated/agents/seat-preference.js';

interface Deps {
  webPageText: string;
  bought: string[];
}

const flight = { flight_number: 'AK456', price: 370, origin: 'SFO', destination: 'ANC', date: '2025-01-10' };

function flightAgents() {
  const extraction = createFlightExtractionAgent<Deps>({ model: new TestModel({ customOutputArgs: { response: [flight] } }) });
  const extracted: unknown[] = [];
  const search = createFlightSearchAgent<Deps>({
    model: new TestModel(),
    tools: {
      extractFlights: async (ctx) => {
        // Programmatic delegation from a handler, with the parent's usage.
        const result = await extraction.run(ctx.deps.webPageText, { deps: ctx.deps, usage: ctx.usage });
        extracted.push(...result.output);
        return result.output;
      },
    },
  });
  const seat = createSeatPreferenceAgent<Deps>({ model: new TestModel({ customOutputArgs: { row: 1, seat: 'A' } }) });
  return { extraction, search, seat, extracted };
}

describe('delegation declared in the definitions', () => {
  it('runs the delegate agents as tools, with the parent deps, typed arguments and shared usage', async () => {
    const { search, seat, extracted } = flightAgents();
    const delegateCalls: FlightSearchDelegateArgs[] = [];
    const bookingModel = new FunctionModel((messages, info) => {
      const step = messages.filter((m) => m.kind === 'response').length;
      if (step === 0) {
        expect(info.functionTools.map((t) => t.name).sort()).toEqual(['buy_tickets', 'flight_search', 'seat_preference']);
        const args: FlightSearchDelegateArgs = { prompt: 'Cheapest SFO to ANC', context: { origin: 'SFO', destination: 'ANC', date: '2025-01-10' } };
        delegateCalls.push(args);
        return [
          { kind: 'tool-call', toolName: 'flight_search', args, toolCallId: 'd1' },
          { kind: 'tool-call', toolName: 'seat_preference', args: { prompt: 'A window seat in the front' }, toolCallId: 'd2' },
        ];
      }
      if (step === 1) return [{ kind: 'tool-call', toolName: 'buy_tickets', args: { flight, seat: { row: 1, seat: 'A' } }, toolCallId: 'b1' }];
      return [{ kind: 'tool-call', toolName: 'final_result', args: { flight, seat: { row: 1, seat: 'A' }, confirmation: 'OK-1' }, toolCallId: 'f1' }];
    });
    const booking = createFlightBookingAgent<Deps>({
      model: bookingModel,
      tools: { buyTickets: async (ctx, { flight: f }) => (ctx.deps.bought.push(f.flight_number), 'OK-1') },
      agents: { flightSearch: search, seatPreference: seat },
    });
    const deps: Deps = { webPageText: '1. Flight SFO-AK456 ...', bought: [] };
    const result = await booking.run('Book me a flight', { deps });

    expect(result.output.confirmation).toBe('OK-1');
    expect(deps.bought).toEqual(['AK456']);
    expect(extracted).toEqual([flight]);
    const returns = result.allMessages()[2]!;
    expect(returns.kind === 'request' && returns.parts.map((p) => p.kind === 'tool-return' && p.toolName)).toEqual(['flight_search', 'seat_preference']);
    expect(returns.kind === 'request' && (returns.parts[1] as { content: unknown }).content).toEqual({ row: 1, seat: 'A' });
    // booking: 3 requests; search: 2 (tool call, output); extraction: 1; seat: 1.
    expect(result.usage().requests).toBe(7);
  });

  it('refuses to build an agent without its delegates or handlers', () => {
    const { search } = flightAgents();
    // @ts-expect-error seatPreference is missing
    expect(() => createFlightBookingAgent<Deps>({ tools: { buyTickets: () => 'x' }, agents: { flightSearch: search } })).toThrow(UserError);
    expect(() =>
      // @ts-expect-error buyTickets is missing
      createFlightBookingAgent<Deps>({ tools: {}, agents: { flightSearch: search, seatPreference: search } }),
    ).toThrow('schemas/flight-booking.yaml#/agents/flight_booking: no handler for tool buy_tickets: pass tools.buyTickets');
  });

  it('sends invalid delegate arguments back as a retry prompt', async () => {
    const { search, seat } = flightAgents();
    let step = 0;
    const model = new FunctionModel((): ResponsePart[] | string =>
      step++ === 0
        ? [{ kind: 'tool-call', toolName: 'flight_search', args: { prompt: 'x', context: { origin: 'sfo' } }, toolCallId: 'd' }]
        : [{ kind: 'tool-call', toolName: 'final_result', args: { flight, seat: { row: 2, seat: 'B' }, confirmation: 'c' }, toolCallId: 'f' }],
    );
    const result = await createFlightBookingAgent<Deps>({
      model,
      tools: { buyTickets: () => 'x' },
      agents: { flightSearch: search, seatPreference: seat },
    }).run('book', { deps: { webPageText: '', bought: [] } });
    const retry = result.allMessages()[2]!;
    expect(retry.kind === 'request' && retry.parts[0]!.kind).toBe('retry-prompt');
    expect(JSON.stringify(retry)).toContain('/context/origin');
  });
});

describe('delegation by hand and programmatic hand-off', () => {
  it('delegates to a hand-written agent and continues with another agent on the same history and usage', async () => {
    const joker = agent({ name: 'joker', description: 'Tells jokes.', model: new FunctionModel(() => 'Why did the chicken cross the road?') });
    let step = 0;
    const host = agent({
      name: 'host',
      model: new FunctionModel((): ResponsePart[] | string =>
        step++ === 0 ? [{ kind: 'tool-call', toolName: 'joker', args: { prompt: 'a joke' }, toolCallId: 'j' }] : 'Here is one.',
      ),
      delegates: [joker],
    });
    const usage = new Usage();
    const first = await host.run('Entertain me', { usage });
    expect((first.allMessages()[2] as { parts: { content: unknown }[] }).parts[0]!.content).toBe('Why did the chicken cross the road?');

    const critic = agent({ name: 'critic', model: new FunctionModel((messages: readonly ModelMessage[]) => `I read ${messages.length} messages.`) });
    const second = await critic.run('Was it funny?', { messageHistory: first.allMessages(), usage });
    expect(second.output).toBe('I read 5 messages.');
    expect(second.usage().requests).toBe(4);
  });

  it('passes a delegate a context whose schema has $defs, with its references intact', async () => {
    const context = {
      type: 'object',
      properties: { city: { $ref: '#/$defs/City' } },
      required: ['city'],
      $defs: { City: { type: 'string', enum: ['Paris', 'Oslo'] } },
    };
    const guide = agent<undefined, string, { city: string }>({
      name: 'guide',
      context,
      model: new FunctionModel((_m, info) => `context ok: ${String(info.outputTools.length)}`),
    });
    const seen: unknown[] = [];
    let step = 0;
    const host = agent({
      name: 'host',
      model: new FunctionModel((_messages, info): ResponsePart[] | string => {
        seen.push(info.functionTools[0]!.parametersJsonSchema);
        const city = step === 0 ? 'Rome' : 'Oslo';
        return step++ < 2 ? [{ kind: 'tool-call', toolName: 'guide', args: { prompt: 'sights?', context: { city } }, toolCallId: `g${step}` }] : 'done';
      }),
      delegates: [guide],
    });
    const result = await host.run('Plan a trip');
    expect(seen[0]).toMatchObject({
      properties: { context: { properties: { city: { $ref: '#/$defs/City' } } } },
      $defs: { City: { enum: ['Paris', 'Oslo'] } },
    });
    expect((seen[0] as { properties: { context: object } }).properties.context).not.toHaveProperty('$defs');
    const parts = result.allMessages().flatMap((m) => (m.kind === 'request' ? m.parts : []));
    // Rome is not a City: a retry prompt at the context's path; Oslo reaches the delegate.
    expect(parts.find((p) => p.kind === 'retry-prompt')).toMatchObject({ toolName: 'guide', content: [{ path: '/context/city' }] });
    expect(parts.find((p) => p.kind === 'tool-return' && p.toolName === 'guide')).toMatchObject({ content: 'context ok: 0' });
  });
});
