/**
 * The extraction agent (flight_extraction in schemas/flight-booking.yaml): reads every flight off
 * the page text it is given. Its output validator checks each flight against the page, so that a
 * model that invents a flight (or misreads a price or a date) is told what it got wrong and tries
 * again, instead of passing a made-up flight on to the search.
 */
import { ModelRetry, type ModelLike, type RunContext } from 'schemantic';
import { createFlightExtractionAgent, type FlightExtractionAgent } from '../../generated/agents/flight-extraction.js';
import type { FlightDetails } from '../../generated/types/flight-booking.js';
import { flightOnPage } from './flights-page.js';
import type { FlightDeps } from './ticket-office.js';

/** Rejects (with ModelRetry) extracted flights that the page, which is the run's prompt, does not show. */
export function checkExtractedFlights(ctx: RunContext<FlightDeps, undefined>, flights: FlightDetails[]): FlightDetails[] {
  const page = typeof ctx.prompt === 'string' ? ctx.prompt : '';
  const problems = flights.flatMap((flight) => flightOnPage(page, flight));
  const seen = new Set<string>();
  for (const flight of flights) {
    if (seen.has(flight.flight_number)) problems.push(`flight ${flight.flight_number} is listed twice`);
    seen.add(flight.flight_number);
  }
  if (problems.length > 0) throw new ModelRetry(`Only list flights exactly as the page shows them: ${problems.join('; ')}.`);
  return flights;
}

/** The extraction agent on `model`. */
export function createExtractionAgent(model: ModelLike): FlightExtractionAgent<FlightDeps> {
  return createFlightExtractionAgent<FlightDeps>({ model, outputValidators: [checkExtractedFlights] });
}
