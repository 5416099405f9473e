/**
 * The flight booking example's two ways of booking, in process: the reference's loop (search,
 * ask, seat until read, buy) and the delegating flight_booking agent of the definitions. Both
 * share one Usage across every run of the booking, and both stop before buying anything when the
 * booking goes over its request limit.
 */
import { describe, expect, it } from 'vitest';
import { UnexpectedModelBehavior, Usage, UsageLimitExceeded } from 'schemantic';
import { FunctionModel } from 'schemantic/testing';
import { bookWithAgent, createBookingAgent, DEFAULT_BOOKING_REQUEST, type BookingModels } from '../../examples/flight-booking/booking-agent.js';
import { bookFlight, BOOKING_LIMITS, DEFAULT_TRIP, type BookFlightOptions } from '../../examples/flight-booking/booking-loop.js';
import { bookingDemoModel, extractionDemoModel, searchDemoModel, seatDemoModel } from '../../examples/flight-booking/demo-models.js';
import { FLIGHTS_PAGE } from '../../examples/flight-booking/flights-page.js';
import { SCRIPTED_ANSWERS, scriptedPrompts } from '../../examples/flight-booking/prompts.js';
import { createSearchAgent } from '../../examples/flight-booking/search.js';
import { createSeatAgent } from '../../examples/flight-booking/seat.js';
import { TicketError, TicketOffice, type FlightDeps } from '../../examples/flight-booking/ticket-office.js';

/** A booking loop on the demo models, with these answers; its transcript (and the agents' traces) collected. */
function loop(answers: readonly string[], overrides: Partial<BookFlightOptions> = {}): BookFlightOptions & { lines: string[] } {
  const lines: string[] = [];
  const log = (line: string) => lines.push(line);
  const deps: FlightDeps = { webPageText: FLIGHTS_PAGE, office: new TicketOffice(FLIGHTS_PAGE), trace: log };
  return {
    search: createSearchAgent(searchDemoModel(), extractionDemoModel()),
    seat: createSeatAgent(seatDemoModel()),
    deps,
    prompts: scriptedPrompts(answers, log),
    trip: DEFAULT_TRIP,
    usage: new Usage(),
    usageLimits: BOOKING_LIMITS,
    log,
    lines,
    ...overrides,
  };
}

const demoModels = (): BookingModels => ({ booking: bookingDemoModel(), search: searchDemoModel(), extraction: extractionDemoModel(), seat: seatDemoModel() });

describe('flight booking: the reference loop', () => {
  it('the scripted answers search again, buy, fail a seat, then buy seat 1A on SW-102, in 7 requests of one usage', async () => {
    const options = loop(SCRIPTED_ANSWERS);
    const outcome = await bookFlight(options);
    expect(outcome).toEqual({
      status: 'bought',
      purchase: {
        flight: { flight_number: 'SW-102', price: 318, origin: 'SFO', destination: 'ANC', date: '2025-01-10' },
        seat: { row: 1, seat: 'A' },
        confirmation: 'SKY-SW-102-1A',
      },
    });
    expect(options.deps.office.purchases).toHaveLength(1);
    expect(options.lines).toEqual([
      'Searching: Find me a flight from SFO to ANC on 2025-01-10.',
      'The search agent called extract_flights: the extraction agent read 11 flights off the page.',
      'The search agent proposed SW-117; the output validator turned it down and asked again: Flight should be on 2025-01-10, not 2025-01-11.',
      'Flight found: NA-244, SFO to ANC on 2025-01-10, $279.',
      'Buy this flight? (y = buy, n = search again, q = quit) n',
      'Searching again, in the same conversation: the search agent is told "Please suggest another flight".',
      'Flight found: SW-102, SFO to ANC on 2025-01-10, $318.',
      'Buy this flight? (y = buy, n = search again, q = quit) y',
      'What seat would you like? window seat please',
      'The seat agent could not read a seat from that (no row given). Please try again.',
      'What seat would you like? row 1 seat A',
      'The seat agent read: row 1, seat A.',
      'Purchasing flight SW-102, SFO to ANC on 2025-01-10, $318, seat 1A...',
      'Bought. Confirmation code: SKY-SW-102-1A',
    ]);
    // 4 for the first search (extraction included), 1 for the second, 2 seat attempts.
    expect(options.usage.requests).toBe(7);
    expect(options.usage.totalTokens).toBeGreaterThan(0);
  });

  it('an unknown answer is asked again; quitting, or input ending, buys nothing', async () => {
    const quit = loop(['maybe', 'q']);
    expect(await bookFlight(quit)).toEqual({ status: 'stopped', why: 'the user quit' });
    expect(quit.lines).toContain('"maybe" is not an answer here: type y, n or q.');
    const ended = loop(['y', 'no idea']);
    expect(await bookFlight(ended)).toEqual({ status: 'stopped', why: 'no more answers' });
    expect([...quit.deps.office.purchases, ...ended.deps.office.purchases]).toEqual([]);
  });

  it('searching past the last flight ends with NoFlightFound', async () => {
    const options = loop(['n', 'n', 'n']);
    expect(await bookFlight(options)).toEqual({ status: 'no-flight', reason: 'no other flight from SFO to ANC on 2025-01-10 on the page' });
  });

  it('the 15-request limit covers the whole booking: unreadable seats use it up and the booking stops before buying', async () => {
    const options = loop(['n', 'n', 'y', ...Array.from({ length: 20 }, () => 'somewhere nice')]);
    const error = await bookFlight(options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageLimitExceeded);
    expect(error).toMatchObject({ limit: 'requests', value: 16, max: 15 });
    // Searches 4 + 1 + 1, then 9 seat attempts: the 10th would be the 16th request of the booking.
    expect(options.usage.requests).toBe(15);
    expect(options.lines.filter((l) => l.startsWith('What seat would you like?'))).toHaveLength(10);
    expect(options.deps.office.purchases).toEqual([]);
  });

  it("the extraction agent's request counts on the search's usage: a limit of 1 stops inside the extract_flights tool", async () => {
    const options = loop(['y', 'row 1 seat A'], { usageLimits: { requests: 1 } });
    await expect(bookFlight(options)).rejects.toMatchObject({ name: 'UsageLimitExceeded', limit: 'requests', value: 2, max: 1 });
    expect(options.usage.requests).toBe(1);
    expect(options.lines).not.toContain('The search agent called extract_flights: the extraction agent read 11 flights off the page.');
  });
});

describe('flight booking: the delegating flight_booking agent', () => {
  it('delegates to flight_search and seat_preference, buys, and its usage includes the delegated runs', async () => {
    const lines: string[] = [];
    const log = (line: string) => lines.push(line);
    const deps: FlightDeps = { webPageText: FLIGHTS_PAGE, office: new TicketOffice(FLIGHTS_PAGE), trace: log };
    const usage = new Usage();
    const booking = await bookWithAgent({ agent: createBookingAgent(demoModels()), deps, request: DEFAULT_BOOKING_REQUEST, usage, log });
    expect(booking).toEqual({
      flight: { flight_number: 'NA-244', price: 279, origin: 'SFO', destination: 'ANC', date: '2025-01-10' },
      seat: { row: 1, seat: 'A' },
      confirmation: 'SKY-NA-244-1A',
    });
    expect(deps.office.purchases.map((p) => p.confirmation)).toEqual(['SKY-NA-244-1A']);
    const steps = lines.filter((l) => l.startsWith('The '));
    expect(steps).toEqual([
      expect.stringMatching(
        /^The booking agent calls flight_search with \{"prompt":.*"context":\{"origin":"SFO","destination":"ANC","date":"2025-01-10"\}\}\.$/,
      ),
      'The search agent called extract_flights: the extraction agent read 11 flights off the page.',
      'The search agent proposed SW-117; the output validator turned it down and asked again: Flight should be on 2025-01-10, not 2025-01-11.',
      'The booking agent calls seat_preference with {"prompt":"I would like a window seat in row 1."}.',
      expect.stringMatching(/^The booking agent calls buy_tickets with/),
    ]);
    // The booking's own 4 requests, the search's 3, the extraction's 1 and the seat's 1: one usage.
    expect(usage.requests).toBe(9);
  });

  it('over its request limit, the booking stops inside a delegate and nothing is bought', async () => {
    const deps: FlightDeps = { webPageText: FLIGHTS_PAGE, office: new TicketOffice(FLIGHTS_PAGE) };
    const usage = new Usage();
    const run = bookWithAgent({
      agent: createBookingAgent(demoModels()),
      deps,
      request: DEFAULT_BOOKING_REQUEST,
      usage,
      usageLimits: { requests: 5 },
      log: () => {},
    });
    await expect(run).rejects.toThrow(UsageLimitExceeded);
    expect(usage.requests).toBe(5);
    expect(deps.office.purchases).toEqual([]);
  });

  it('a booking model that buys a flight the page does not sell is refused, and fails clearly without a purchase', async () => {
    const invented = { flight_number: 'ZZ-1', price: 5, origin: 'SFO', destination: 'ANC', date: '2025-01-10' };
    const rogue = new FunctionModel((messages) => [
      { kind: 'tool-call', toolName: 'buy_tickets', args: { flight: invented, seat: { row: 2, seat: 'B' } }, toolCallId: `b${messages.length}` },
    ]);
    const lines: string[] = [];
    const deps: FlightDeps = { webPageText: FLIGHTS_PAGE, office: new TicketOffice(FLIGHTS_PAGE) };
    const run = bookWithAgent({
      agent: createBookingAgent({ ...demoModels(), booking: rogue }),
      deps,
      request: 'Buy anything',
      usage: new Usage(),
      log: (l) => lines.push(l),
    });
    await expect(run).rejects.toThrow(UnexpectedModelBehavior);
    expect(lines).toContain('  buy_tickets was refused and sent back to the model: cannot sell this ticket: flight ZZ-1 is not on the page');
    expect(deps.office.purchases).toEqual([]);
    // The office itself refuses a misdescribed flight and a seat sold twice.
    const office = new TicketOffice(FLIGHTS_PAGE);
    const real = { flight_number: 'NA-244', price: 279, origin: 'SFO', destination: 'ANC', date: '2025-01-10' };
    expect(() => office.buy({ ...real, date: '2025-01-11' }, { row: 1, seat: 'A' })).toThrow('flight NA-244 does not depart on 2025-01-11');
    office.buy(real, { row: 1, seat: 'A' });
    expect(() => office.buy(real, { row: 1, seat: 'A' })).toThrow(TicketError);
  });
});
