/**
 * The flight booking example (examples/flight-booking/), in process: the extraction agent reads
 * the page, the search agent's output validator turns a wrong flight into a retry prompt, the seat
 * agent reads seats (or fails to), the reference's loop buys a ticket, the delegating
 * flight_booking agent does the same, and one Usage with one limit covers every run of a booking.
 */
import { describe, expect, it } from 'vitest';
import { UnexpectedModelBehavior, Usage, type ModelMessage, type RetryPromptPart } from 'schemantic';
import { captureRunMessages, FunctionModel } from 'schemantic/testing';
import { bookFlight, BOOKING_LIMITS, DEFAULT_TRIP, type BookFlightOptions } from '../../examples/flight-booking/booking-loop.js';
import { extractionDemoModel, parseFlightsPage, readSeat, searchDemoModel, seatDemoModel } from '../../examples/flight-booking/demo-models.js';
import { createExtractionAgent } from '../../examples/flight-booking/extraction.js';
import { FLIGHTS_PAGE, flightOnPage } from '../../examples/flight-booking/flights-page.js';
import { scriptedPrompts } from '../../examples/flight-booking/prompts.js';
import { createSearchAgent, validateFlight } from '../../examples/flight-booking/search.js';
import { createSeatAgent } from '../../examples/flight-booking/seat.js';
import { TicketOffice, type FlightDeps } from '../../examples/flight-booking/ticket-office.js';
import type { FlightDetails } from '../../generated/types/flight-booking.js';

const freshDeps = (page = FLIGHTS_PAGE): FlightDeps => ({ webPageText: page, office: new TicketOffice(page) });
const request = 'Find me a flight from SFO to ANC on 2025-01-10';

function retryPrompts(messages: readonly ModelMessage[]): RetryPromptPart[] {
  return messages.flatMap((m) => (m.kind === 'request' ? m.parts.filter((p): p is RetryPromptPart => p.kind === 'retry-prompt') : []));
}

/** A booking loop on the demo models, with these answers; its transcript collected. */
function loopOptions(answers: readonly string[], overrides: Partial<BookFlightOptions> = {}): BookFlightOptions & { lines: string[] } {
  const lines: string[] = [];
  const log = (line: string) => lines.push(line);
  return {
    search: createSearchAgent(searchDemoModel(), extractionDemoModel()),
    seat: createSeatAgent(seatDemoModel()),
    deps: freshDeps(),
    prompts: scriptedPrompts(answers, log),
    trip: DEFAULT_TRIP,
    usage: new Usage(),
    usageLimits: BOOKING_LIMITS,
    log,
    lines,
    ...overrides,
  };
}

describe('flight booking: reading the page', () => {
  it('the extraction agent returns the flights the page really shows, and a page with one more flight gives one more', async () => {
    const agent = createExtractionAgent(extractionDemoModel());
    const result = await agent.run(FLIGHTS_PAGE, { deps: freshDeps() });
    expect(result.output).toHaveLength(11);
    expect(result.output.map((f) => f.flight_number)).toContain('NA-244');
    expect(result.output.find((f) => f.flight_number === 'SW-117')).toEqual({
      flight_number: 'SW-117',
      price: 205,
      origin: 'SFO',
      destination: 'ANC',
      date: '2025-01-11',
    });
    for (const flight of result.output) expect(flightOnPage(FLIGHTS_PAGE, flight)).toEqual([]);
    // Nothing is hard-coded: an entry added to the page is read too.
    const longer = `${FLIGHTS_PAGE}\n12. Flight QX-900\n   Price: $99\n   From: Portland International Airport (PDX)\n   To: Ted Stevens Anchorage International Airport (ANC)\n   Departs: March 3, 2025\n`;
    const more = await agent.run(longer, { deps: freshDeps(longer) });
    expect(more.output.at(-1)).toEqual({ flight_number: 'QX-900', price: 99, origin: 'PDX', destination: 'ANC', date: '2025-03-03' });
    expect(parseFlightsPage('no flights here')).toEqual([]);
  });

  it('an extracted flight that is not on the page goes back to the extraction model, and one that keeps inventing fails the search', async () => {
    const invented: FlightDetails = { flight_number: 'ZZ-999', price: 1, origin: 'SFO', destination: 'ANC', date: '2025-01-10' };
    let calls = 0;
    const onceWrong = new FunctionModel((_messages, info) => {
      calls += 1;
      const page = parseFlightsPage(FLIGHTS_PAGE);
      const flights = calls === 1 ? [...page, invented, { ...page[0]!, price: 1000 }] : page;
      return [{ kind: 'tool-call', toolName: info.outputTools[0]!.name, args: { response: flights }, toolCallId: `x${calls}` }];
    });
    const result = await createExtractionAgent(onceWrong).run(FLIGHTS_PAGE, { deps: freshDeps() });
    expect(result.output).toHaveLength(11);
    const [retry] = retryPrompts(result.allMessages());
    expect(retry?.content).toContain('flight ZZ-999 is not on the page');
    expect(retry?.content).toContain('flight SW-102 does not cost $1000 on the page');

    const alwaysWrong = new FunctionModel((_m, info) => [
      { kind: 'tool-call', toolName: info.outputTools[0]!.name, args: { response: [invented] }, toolCallId: 'x' },
    ]);
    const options = loopOptions(['y', 'row 1 seat A'], { search: createSearchAgent(searchDemoModel(), alwaysWrong) });
    await expect(bookFlight(options)).rejects.toThrow(UnexpectedModelBehavior);
    expect(options.deps.office.purchases).toEqual([]);
  });
});

describe('flight booking: the search agent and its output validator', () => {
  it('a flight on the wrong date becomes a retry prompt naming the date, and the model then picks the right flight', async () => {
    const usage = new Usage();
    const search = createSearchAgent(searchDemoModel(), extractionDemoModel());
    const result = await search.run(request, { deps: freshDeps(), context: DEFAULT_TRIP, usage, usageLimits: BOOKING_LIMITS });
    expect(result.output).toEqual({ flight_number: 'NA-244', price: 279, origin: 'SFO', destination: 'ANC', date: '2025-01-10' });
    const messages = result.allMessages();
    const proposals = messages.flatMap((m) =>
      m.kind === 'response' ? m.parts.filter((p) => p.kind === 'tool-call' && p.toolName === 'final_result_FlightDetails') : [],
    );
    expect(proposals.map((p) => (p as { args: { flight_number: string } }).args.flight_number)).toEqual(['SW-117', 'NA-244']);
    const [retry, ...others] = retryPrompts(messages);
    expect(others).toEqual([]);
    expect(retry).toMatchObject({ toolName: 'final_result_FlightDetails' });
    expect(retry?.content).toContain('Flight should be on 2025-01-10, not 2025-01-11');
    // Search: extract call, wrong flight, right flight; plus the extraction agent's request, counted on the same usage.
    expect(usage.requests).toBe(4);
    expect(result.usage().requests).toBe(4);
  });

  it('names every mismatch: origin, destination, date, a flight extract_flights never returned, a changed price', () => {
    const ctx = { context: DEFAULT_TRIP, deps: freshDeps(), messages: [] } as unknown as Parameters<typeof validateFlight>[0];
    const wrong = { flight_number: 'PX-318', price: 402, origin: 'SEA', destination: 'JNU', date: '2025-01-20' };
    expect(() => validateFlight(ctx, wrong)).toThrow(
      'Flight should have origin SFO, not SEA\nFlight should have destination ANC, not JNU\nFlight should be on 2025-01-10, not 2025-01-20\nFlight PX-318 is not one of the flights extract_flights returned',
    );
    const extracted: ModelMessage[] = [
      {
        kind: 'request',
        parts: [{ kind: 'tool-return', toolName: 'extract_flights', toolCallId: 'e', content: parseFlightsPage(FLIGHTS_PAGE), timestamp: '' }],
      },
    ];
    const withPage = { ...ctx, messages: extracted } as typeof ctx;
    expect(() => validateFlight(withPage, { flight_number: 'NA-244', price: 10, origin: 'SFO', destination: 'ANC', date: '2025-01-10' })).toThrow(
      'Flight NA-244 costs $279, not $10',
    );
    expect(validateFlight(withPage, { flight_number: 'NA-244', price: 279, origin: 'SFO', destination: 'ANC', date: '2025-01-10' })).toMatchObject({
      flight_number: 'NA-244',
    });
    expect(validateFlight(ctx, { reason: 'none' })).toEqual({ reason: 'none' });
  });

  it('"Please suggest another flight" continues the conversation: the next cheapest flight, then NoFlightFound', async () => {
    const usage = new Usage();
    const search = createSearchAgent(searchDemoModel(), extractionDemoModel());
    const deps = freshDeps();
    const outputs: unknown[] = [];
    let history: ModelMessage[] | undefined;
    for (let i = 0; i < 4; i++) {
      const result = await search.run(request, { deps, context: DEFAULT_TRIP, usage, ...(history ? { messageHistory: history } : {}) });
      outputs.push(result.output);
      history = result.allMessages({ outputToolReturnContent: 'Please suggest another flight' });
    }
    expect(outputs.map((o) => (o as { flight_number?: string }).flight_number)).toEqual(['NA-244', 'SW-102', 'AK-501', undefined]);
    expect(outputs[3]).toEqual({ reason: 'no other flight from SFO to ANC on 2025-01-10 on the page' });
    const told = history!.flatMap((m) =>
      m.kind === 'request' ? m.parts.filter((p) => p.kind === 'tool-return' && p.toolName.startsWith('final_result')) : [],
    );
    expect(told.map((p) => (p as { content: unknown }).content)).toContain('Please suggest another flight');
    // The page is read once: later searches reuse the flights already in the conversation.
    expect(usage.requests).toBe(7);
  });
});

describe('flight booking: seats', () => {
  it('reads rows and seats from words, and gives reasons for what it cannot read', async () => {
    expect(readSeat('row 1 seat A')).toEqual({ row: 1, seat: 'A' });
    expect(readSeat('window seat row 1')).toEqual({ row: 1, seat: 'A' });
    expect(readSeat('12c please')).toEqual({ row: 12, seat: 'C' });
    expect(readSeat('an aisle seat in row 20')).toEqual({ row: 20, seat: 'C' });
    expect(readSeat('somewhere with extra leg room, by the window')).toEqual({ row: 1, seat: 'A' });
    expect(readSeat('window seat please')).toEqual({ reason: 'no row given' });
    expect(readSeat('row 45 seat B')).toEqual({ reason: 'there is no row 45: rows go from 1 to 30' });
    expect(readSeat('row 7')).toEqual({ reason: 'no seat letter (A to F) or window/aisle given' });
    const agent = createSeatAgent(seatDemoModel());
    expect((await agent.run('window seat please', { deps: freshDeps() })).output).toEqual({ reason: 'no row given' });
    expect((await agent.run('row 3 seat F', { deps: freshDeps() })).output).toEqual({ row: 3, seat: 'F' });
  });

  it('a malformed seat reply (row 45, seat Z) is a retry prompt, then a clear failure, and nothing is bought', async () => {
    const malformed = new FunctionModel((_m, info) => [
      { kind: 'tool-call', toolName: info.outputTools[0]!.name, args: { row: 45, seat: 'Z' }, toolCallId: 's' },
    ]);
    const seatRun = await captureRunMessages(() => createSeatAgent(malformed).run('row 45 seat Z', { deps: freshDeps() }));
    expect(seatRun.error).toBeInstanceOf(UnexpectedModelBehavior);
    expect(retryPrompts(seatRun.messages)[0]).toMatchObject({
      toolName: 'final_result_SeatPreference',
      content: [
        { path: '/row', message: 'must be <= 30' },
        { path: '/seat', message: expect.stringContaining('must be equal to one of the allowed values') },
      ],
    });
    const options = loopOptions(['y', 'row 1 seat A'], { seat: createSeatAgent(malformed) });
    await expect(bookFlight(options)).rejects.toThrow('exceeded the maximum of 1 retries for the output of agent seat_preference');
    expect(options.deps.office.purchases).toEqual([]);
  });
});
