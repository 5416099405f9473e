/**
 * The search agent (flight_search in schemas/flight-booking.yaml): finds the cheapest flight for
 * the route and date in its context. Its extract_flights tool hands the page to the extraction
 * agent, on the same usage and limits, so the requests of both agents count against one budget.
 * Its output validator is plain code: a flight on another route or date (or one that
 * extract_flights never returned) goes back to the model as a retry prompt saying what is wrong.
 */
import { ModelRetry, type ModelLike, type ModelMessage, type RunContext, type ToolReturnPart } from 'schemantic';
import { createFlightSearchAgent, type FlightSearchAgent, type FlightSearchContext, type FlightSearchOutput } from '../../generated/agents/flight-search.js';
import type { FlightDetails } from '../../generated/types/flight-booking.js';
import { createExtractionAgent } from './extraction.js';
import type { FlightDeps } from './ticket-office.js';

/** The flights the latest extract_flights call of a conversation returned (none before the first). */
export function extractedFlights(messages: readonly ModelMessage[]): FlightDetails[] {
  const returns = messages.flatMap((m) =>
    m.kind === 'request' ? m.parts.filter((p): p is ToolReturnPart => p.kind === 'tool-return' && p.toolName === 'extract_flights') : [],
  );
  const latest = returns.at(-1)?.content;
  return Array.isArray(latest) ? (latest as FlightDetails[]) : [];
}

/** Is this search output a flight (not NoFlightFound)? */
export function isFlight(output: FlightSearchOutput): output is FlightDetails {
  return 'flight_number' in output;
}

/** The search agent's output validator: the flight must match the requested route and date, and come from the page. */
export function validateFlight(ctx: RunContext<FlightDeps, FlightSearchContext>, output: FlightSearchOutput): FlightSearchOutput {
  if (!isFlight(output)) return output;
  const wanted = ctx.context;
  const errors: string[] = [];
  if (output.origin !== wanted.origin) errors.push(`Flight should have origin ${wanted.origin}, not ${output.origin}`);
  if (output.destination !== wanted.destination) errors.push(`Flight should have destination ${wanted.destination}, not ${output.destination}`);
  if (output.date !== wanted.date) errors.push(`Flight should be on ${wanted.date}, not ${output.date}`);
  // The route and date may be right and the flight still invented: it must be one extract_flights returned.
  const extracted = extractedFlights(ctx.messages).find((f) => f.flight_number === output.flight_number);
  if (extracted === undefined) errors.push(`Flight ${output.flight_number} is not one of the flights extract_flights returned`);
  else if (extracted.price !== output.price) errors.push(`Flight ${output.flight_number} costs $${extracted.price}, not $${output.price}`);
  if (errors.length > 0) {
    ctx.deps.trace?.(`The search agent proposed ${output.flight_number}; the output validator turned it down and asked again: ${errors.join('; ')}.`);
    throw new ModelRetry(errors.join('\n'));
  }
  return output;
}

/** The search agent on `model`, its extract_flights tool running the extraction agent on `extractionModel`. */
export function createSearchAgent(model: ModelLike, extractionModel: ModelLike): FlightSearchAgent<FlightDeps> {
  const extraction = createExtractionAgent(extractionModel);
  return createFlightSearchAgent<FlightDeps>({
    model,
    tools: {
      extractFlights: async (ctx) => {
        // The parent's usage object and limits: the extraction's requests count toward the booking's budget.
        const result = await extraction.run(ctx.deps.webPageText, {
          deps: ctx.deps,
          usage: ctx.usage,
          ...(ctx.usageLimits ? { usageLimits: ctx.usageLimits } : {}),
          ...(ctx.signal ? { signal: ctx.signal } : {}),
        });
        ctx.deps.trace?.(`The search agent called extract_flights: the extraction agent read ${result.output.length} flights off the page.`);
        return result.output;
      },
    },
    outputValidators: [validateFlight],
  });
}
