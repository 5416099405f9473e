/**
 * The schema-first version of the booking loop: the flight_booking agent of
 * schemas/flight-booking.yaml, whose model calls the search and seat agents as tools (delegation)
 * and then buy_tickets. The delegates run with the booking run's deps, usage and limits (the
 * definition's `usage_limits: { requests: 15 }`), so the whole tree of runs shares one budget.
 * There is no one to ask here: the user's request says everything up front.
 */
import { ModelRetry, type AgentStreamEvent, type ModelLike, type RunContext, type Usage, type UsageLimits } from 'schemantic';
import {
  createFlightBookingAgent,
  type FlightBookingAgent,
  type FlightBookingContext,
  type FlightBookingToolArgs,
} from '../../generated/agents/flight-booking.js';
import type { Booking } from '../../generated/types/flight-booking.js';
import { describeFlight } from './booking-loop.js';
import { createSearchAgent } from './search.js';
import { createSeatAgent } from './seat.js';
import { TicketError, type FlightDeps, type Purchase } from './ticket-office.js';

/** The request of the default `--agent` run. */
export const DEFAULT_BOOKING_REQUEST = 'Book me the cheapest flight from SFO to ANC on 2025-01-10. I would like a window seat in row 1.';

/** The model of each agent of the booking. */
export interface BookingModels {
  readonly booking: ModelLike;
  readonly search: ModelLike;
  readonly extraction: ModelLike;
  readonly seat: ModelLike;
}

/**
 * The booking agent's output validator: the booking it answers with must be the ticket bought in
 * this booking (same confirmation, flight and seat), never one the model made up or misremembers.
 */
export function checkBooking(ctx: RunContext<FlightDeps, FlightBookingContext>, booking: Booking): Booking {
  const bought = ctx.deps.office.purchases.find((p) => p.confirmation === booking.confirmation);
  if (bought === undefined)
    throw new ModelRetry(`No ticket was bought with confirmation ${JSON.stringify(booking.confirmation)}: call buy_tickets, then answer with what it bought.`);
  if (!sameBooking(bought, booking)) {
    throw new ModelRetry(
      `Confirmation ${bought.confirmation} is for ${describeFlight(bought.flight)}, seat ${bought.seat.row}${bought.seat.seat}: answer with that flight and seat.`,
    );
  }
  return booking;
}

/** Whether a booking says what a purchase bought (the fields of the schemas, compared one by one). */
function sameBooking(bought: Purchase, booking: Booking): boolean {
  const flightKeys = ['flight_number', 'price', 'origin', 'destination', 'date'] as const;
  return flightKeys.every((k) => bought.flight[k] === booking.flight[k]) && bought.seat.row === booking.seat.row && bought.seat.seat === booking.seat.seat;
}

/** The flight_booking agent, with its two delegates and the buy_tickets handler. */
export function createBookingAgent(models: BookingModels): FlightBookingAgent<FlightDeps> {
  return createFlightBookingAgent<FlightDeps>({
    model: models.booking,
    outputValidators: [checkBooking],
    tools: {
      buyTickets: (ctx, { flight, seat }) => {
        // One booking, one ticket (the deps are the booking's): a second call, in the same response or later, buys nothing.
        const earlier = ctx.deps.office.purchases[0];
        if (earlier !== undefined)
          throw new ModelRetry(`A ticket was already bought for this booking (confirmation ${earlier.confirmation}): answer with that booking.`);
        try {
          return ctx.deps.office.buy(flight, seat);
        } catch (error) {
          // A refusal the model can act on (pick a flight that is really for sale) goes back to it.
          if (error instanceof TicketError) throw new ModelRetry(error.message);
          throw error;
        }
      },
    },
    agents: { flightSearch: createSearchAgent(models.search, models.extraction), seatPreference: createSeatAgent(models.seat) },
  });
}

/** What the booking agent does, in words, as it happens: the events of its run (delegates' steps come through `trace`). */
export function describeBookingEvent(event: AgentStreamEvent<FlightBookingToolArgs>): string | undefined {
  if (event.kind === 'function-tool-call') return `The booking agent calls ${event.toolName} with ${JSON.stringify(event.args)}.`;
  if (event.kind !== 'function-tool-result') return undefined;
  const part = event.result;
  if (part.kind === 'tool-return') return `  ${event.toolName} returned ${JSON.stringify(part.content)}.`;
  const why = typeof part.content === 'string' ? part.content : JSON.stringify(part.content);
  return `  ${event.toolName} was refused and sent back to the model: ${why.split('\n')[0]}`;
}

/** What {@link bookWithAgent} needs. */
export interface BookWithAgentOptions {
  readonly agent: FlightBookingAgent<FlightDeps>;
  readonly deps: FlightDeps;
  readonly request: string;
  /** Shared with the delegated runs; its totals are the whole booking's. */
  readonly usage: Usage;
  /** Over the definition's limits (15 requests): a test lowers them. */
  readonly usageLimits?: UsageLimits;
  readonly log: (line: string) => void;
}

/** Runs the booking agent on a request; its errors (UsageLimitExceeded...) are thrown as they are. */
export async function bookWithAgent(options: BookWithAgentOptions): Promise<Booking> {
  const { agent, deps, request, usage, usageLimits, log } = options;
  log(`Asking the booking agent: ${request}`);
  const result = await agent.run(request, {
    deps,
    usage,
    ...(usageLimits ? { usageLimits } : {}),
    eventHandler: (event) => {
      const line = describeBookingEvent(event);
      if (line !== undefined) log(line);
    },
  });
  const booking = result.output;
  log(`Booked: ${describeFlight(booking.flight)}, seat ${booking.seat.row}${booking.seat.seat}. Confirmation code: ${booking.confirmation}`);
  return booking;
}
