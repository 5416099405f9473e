/**
 * npm run example:flight-booking — the reference's flight booking, on schemas/flight-booking.yaml.
 *
 * A search agent finds a flight from SFO to ANC on 2025-01-10 on a booking site's page: its
 * extract_flights tool has an extraction agent read the page, and its output validator sends a
 * flight on the wrong route or date back to the model. The user buys the flight or asks for
 * another; then a seat agent reads the seat they want, asking again until it can; then the ticket
 * is bought. One Usage and one limit (15 model requests) cover every run of every agent.
 *
 * By default the user's answers are scripted and the agents run on scripted models
 * (demo-models.ts): no key, no network. OPENAI_API_KEY or ANTHROPIC_API_KEY (or SCHEMANTIC_MODEL)
 * runs them on a provider.
 */
import { parseArgs } from 'node:util';
import { UnexpectedModelBehavior, Usage, UsageLimitExceeded, type ModelLike, type UsageLimits } from 'schemantic';
import { flightBookingSpec } from '../../generated/agents/flight-booking.js';
import { providerModel } from '../provider-model.js';
import { createBookingAgent, bookWithAgent, DEFAULT_BOOKING_REQUEST, type BookingModels } from './booking-agent.js';
import { BOOKING_LIMITS, bookFlight, DEFAULT_TRIP } from './booking-loop.js';
import { bookingDemoModel, extractionDemoModel, searchDemoModel, seatDemoModel } from './demo-models.js';
import { FLIGHTS_PAGE } from './flights-page.js';
import { SCRIPTED_ANSWERS, scriptedPrompts, stdinPrompts, type Prompts } from './prompts.js';
import { createSearchAgent } from './search.js';
import { createSeatAgent } from './seat.js';
import { TicketOffice, type FlightDeps } from './ticket-office.js';

const HELP = `Usage: npm run example:flight-booking -- [options]

Books a flight from SFO to ANC on 2025-01-10 on a fake booking site. The search agent
finds it (its extract_flights tool has the extraction agent read the page), the seat
preference agent reads the seat you want; with --agent, the flight_booking agent calls
both as tools and buys the ticket itself.

Options:
  --interactive        answer the questions yourself, on stdin (one answer a line)
                       (with --agent: type the booking request)
  --agent              let the flight_booking agent run the whole booking (delegation)
  --request-limit N    the booking's budget of model requests (default 15)
  --help               this text

Without a provider key the agents run on scripted models and the answers are scripted:
  search again, buy, "window seat please" (no row: asked again), "row 1 seat A".`;

/** The models of the agents, and a line saying why. */
function pickModels(): { models: BookingModels; why: string } {
  const { id, reason } = providerModel();
  if (id !== undefined) return { models: { booking: id, search: id, extraction: id, seat: id }, why: `The agents run on ${reason}.` };
  const models: Record<keyof BookingModels, ModelLike> = {
    booking: bookingDemoModel(),
    search: searchDemoModel(),
    extraction: extractionDemoModel(),
    seat: seatDemoModel(),
  };
  return { models, why: 'The agents run on scripted models (set OPENAI_API_KEY or ANTHROPIC_API_KEY to use a provider).' };
}

function parseLimit(text: string | undefined): UsageLimits | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`--request-limit ${text}: give a whole number of requests, 1 or more`);
  return { requests: n };
}

/** Runs the example; resolves to the exit code. */
async function main(argv: readonly string[]): Promise<number> {
  let values: { interactive?: boolean; agent?: boolean; 'request-limit'?: string; help?: boolean };
  let limits: UsageLimits | undefined;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { interactive: { type: 'boolean' }, agent: { type: 'boolean' }, 'request-limit': { type: 'string' }, help: { type: 'boolean' } },
    }));
    limits = parseLimit(values['request-limit']);
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const log = (line: string) => console.log(line);
  const { models, why } = pickModels();
  log(why);
  const deps: FlightDeps = { webPageText: FLIGHTS_PAGE, office: new TicketOffice(FLIGHTS_PAGE), trace: log };
  // One usage object for the whole booking: every run adds its requests and tokens to it.
  const usage = new Usage();
  const usageLimits = limits ?? BOOKING_LIMITS;
  const prompts: Prompts = values.interactive ? stdinPrompts() : scriptedPrompts(SCRIPTED_ANSWERS, log);
  let code = 0;
  try {
    if (values.agent) {
      log('Mode: the flight_booking agent runs the booking, calling flight_search, seat_preference and buy_tickets as tools.\n');
      const request = values.interactive ? await prompts.ask('What should the booking agent book? ') : DEFAULT_BOOKING_REQUEST;
      if (!request) log('No request given: nothing was booked.');
      else await bookWithAgent({ agent: createBookingAgent(models), deps, request, usage, ...(limits ? { usageLimits: limits } : {}), log });
    } else {
      log(`Mode: the booking loop (search, ask, seat, buy), as in the reference, within ${usageLimits.requests} model requests.\n`);
      const search = createSearchAgent(models.search, models.extraction);
      const seat = createSeatAgent(models.seat);
      await bookFlight({ search, seat, deps, prompts, trip: DEFAULT_TRIP, usage, usageLimits, log });
    }
  } catch (error) {
    const bought = deps.office.purchases.length === 0 ? 'Nothing was bought.' : 'A ticket had been bought before it stopped.';
    if (error instanceof UsageLimitExceeded) {
      log(`\nStopped: the booking went over its usage limit (${error.limit}: ${error.value} > ${error.max}). ${bought}`);
      code = 1;
    } else if (error instanceof UnexpectedModelBehavior) {
      log(`\nStopped: a model kept answering wrongly (${error.message}). ${bought}`);
      code = 1;
    } else throw error;
  } finally {
    prompts.close();
  }
  const limit = values.agent && !limits ? `the agent definition's limit: ${flightBookingSpec.usageLimits?.requests}` : `limit ${usageLimits.requests}`;
  log(
    `\nUsage of the whole booking, all agents together: ${usage.requests} model requests (${limit}), ${usage.toolCalls} tool call${usage.toolCalls === 1 ? '' : 's'}, ` +
      `${usage.totalTokens} tokens (${usage.inputTokens} in, ${usage.outputTokens} out).`,
  );
  log(`Tickets bought: ${deps.office.purchases.length}.`);
  return code;
}

process.exitCode = await main(process.argv.slice(2));
