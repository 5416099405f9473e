/**
 * The reference's booking loop, in code: the search agent proposes a flight, the user buys it or
 * asks for another (the search continues the same conversation, told "Please suggest another
 * flight"), then the seat loop runs until a seat is read, and the ticket is bought. Every run of
 * every agent adds to one Usage under one set of limits, so the whole booking has one budget.
 */
import type { ModelMessage, Usage, UsageLimits } from 'schemantic';
import type { FlightSearchAgent, FlightSearchContext } from '../../generated/agents/flight-search.js';
import type { SeatPreferenceAgent } from '../../generated/agents/seat-preference.js';
import type { FlightDetails, SeatPreference } from '../../generated/types/flight-booking.js';
import type { Prompts } from './prompts.js';
import { isFlight } from './search.js';
import { findSeat } from './seat.js';
import type { FlightDeps, Purchase } from './ticket-office.js';

/** The trip of the example, as the reference's: San Francisco to Anchorage on 10 January 2025. */
export const DEFAULT_TRIP: FlightSearchContext = { origin: 'SFO', destination: 'ANC', date: '2025-01-10' };

/** The reference's budget: at most 15 model requests for the whole booking, all agents together. */
export const BOOKING_LIMITS: UsageLimits = { requests: 15 };

/** How a booking ended. */
export type BookingOutcome =
  | { readonly status: 'bought'; readonly purchase: Purchase }
  | { readonly status: 'no-flight'; readonly reason: string }
  | { readonly status: 'stopped'; readonly why: string };

/** What {@link bookFlight} needs. */
export interface BookFlightOptions {
  readonly search: FlightSearchAgent<FlightDeps>;
  readonly seat: SeatPreferenceAgent<FlightDeps>;
  readonly deps: FlightDeps;
  readonly prompts: Prompts;
  readonly trip: FlightSearchContext;
  /** The one usage object of the booking, passed to every run (and by them to the extraction agent). */
  readonly usage: Usage;
  readonly usageLimits: UsageLimits;
  /** Where to say what happens. */
  readonly log: (line: string) => void;
}

/** A flight in one line. */
export function describeFlight(flight: FlightDetails): string {
  return `${flight.flight_number}, ${flight.origin} to ${flight.destination} on ${flight.date}, $${flight.price}`;
}

/** Asks whether to buy until the answer is one the loop knows; undefined when the input ends. */
async function askToBuy(prompts: Prompts, log: (line: string) => void): Promise<'buy' | 'search' | 'quit' | undefined> {
  for (;;) {
    const answer = await prompts.ask('Buy this flight? (y = buy, n = search again, q = quit) ');
    if (answer === undefined) return undefined;
    const word = answer.trim().toLowerCase();
    if (['y', 'yes', 'buy'].includes(word)) return 'buy';
    if (['n', 'no', 's', 'search', 'search again', ''].includes(word)) return 'search';
    if (['q', 'quit'].includes(word)) return 'quit';
    log(`"${answer}" is not an answer here: type y, n or q.`);
  }
}

/** The buy_tickets step: the one place where money is spent. */
export function buyTickets(deps: FlightDeps, flight: FlightDetails, seat: SeatPreference, log: (line: string) => void): Purchase {
  log(`Purchasing flight ${describeFlight(flight)}, seat ${seat.row}${seat.seat}...`);
  const confirmation = deps.office.buy(flight, seat);
  log(`Bought. Confirmation code: ${confirmation}`);
  return deps.office.purchases.at(-1)!;
}

/**
 * Runs the booking to its end. Errors of the runs (a UsageLimitExceeded when the budget runs out,
 * an UnexpectedModelBehavior when a model keeps answering wrongly) are thrown as they are, before
 * anything is bought.
 */
export async function bookFlight(options: BookFlightOptions): Promise<BookingOutcome> {
  const { search, seat, deps, prompts, trip, usage, usageLimits, log } = options;
  const request = `Find me a flight from ${trip.origin} to ${trip.destination} on ${trip.date}`;
  let messageHistory: ModelMessage[] | undefined;
  for (;;) {
    log(messageHistory ? 'Searching again, in the same conversation: the search agent is told "Please suggest another flight".' : `Searching: ${request}.`);
    const result = await search.run(request, { deps, context: trip, usage, usageLimits, ...(messageHistory ? { messageHistory } : {}) });
    if (!isFlight(result.output)) {
      const reason = result.output.reason ?? 'no reason given';
      log(`No flight found: ${reason}.`);
      return { status: 'no-flight', reason };
    }
    const flight = result.output;
    log(`Flight found: ${describeFlight(flight)}.`);
    const answer = await askToBuy(prompts, log);
    if (answer === undefined || answer === 'quit') {
      const why = answer === undefined ? 'no more answers' : 'the user quit';
      log(`Stopped (${why}): nothing was bought.`);
      return { status: 'stopped', why };
    }
    if (answer === 'buy') {
      const chosen = await findSeat({ agent: seat, deps, prompts, usage, usageLimits, log });
      if (chosen === undefined) {
        log('Stopped (no more answers) before a seat was chosen: nothing was bought.');
        return { status: 'stopped', why: 'no more answers' };
      }
      return { status: 'bought', purchase: buyTickets(deps, flight, chosen, log) };
    }
    // The same conversation goes on: the output tool's return tells the model to look again.
    messageHistory = result.allMessages({ outputToolReturnContent: 'Please suggest another flight' });
  }
}
