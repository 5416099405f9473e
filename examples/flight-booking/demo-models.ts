/**
 * The scripted models the flight booking runs on without a provider key (FunctionModels from
 * schemantic/testing). Each does what a real model would do with its agent, from what is really in
 * the conversation: the extraction model parses the page text it is given, the search model picks
 * from the flights extract_flights really returned, the seat model reads the user's words. The
 * search model slips once, on purpose: its first proposal overlooks the date, so that the output
 * validator's retry shows.
 */
import { latestInstructions, type ModelMessage, type ResponsePart, type ToolReturnPart } from 'schemantic';
import { FunctionModel, type AgentInfo } from 'schemantic/testing';
import type { FlightDetails, SeatPreference } from '../../generated/types/flight-booking.js';
import { extractedFlights } from './search.js';

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** The text of the latest user prompt of a conversation. */
function lastUserPrompt(messages: readonly ModelMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i]!;
    if (message.kind !== 'request') continue;
    const part = message.parts.findLast((p) => p.kind === 'user-prompt');
    if (part?.kind === 'user-prompt') return typeof part.content === 'string' ? part.content : '';
  }
  return '';
}

/** The first user prompt of a conversation (a booking request). */
function firstUserPrompt(messages: readonly ModelMessage[]): string {
  for (const message of messages) {
    const part = message.kind === 'request' ? message.parts.find((p) => p.kind === 'user-prompt') : undefined;
    if (part?.kind === 'user-prompt') return typeof part.content === 'string' ? part.content : '';
  }
  return '';
}

/** The latest return of a tool in a conversation. */
function lastReturn(messages: readonly ModelMessage[], tool: string): ToolReturnPart | undefined {
  const returns = messages.flatMap((m) =>
    m.kind === 'request' ? m.parts.filter((p): p is ToolReturnPart => p.kind === 'tool-return' && p.toolName === tool) : [],
  );
  return returns.at(-1);
}

/** The name of the output tool that ends with `suffix` (`FlightDetails`, `Failed`...). */
function outputTool(info: AgentInfo, suffix: string): string {
  const tool = info.outputTools.find((t) => t.name.endsWith(suffix));
  if (!tool) throw new Error(`the agent has no output tool for ${suffix}: ${info.outputTools.map((t) => t.name).join(', ')}`);
  return tool.name;
}

function call(toolName: string, args: object, messages: readonly ModelMessage[]): ResponsePart[] {
  return [{ kind: 'tool-call', toolName, args, toolCallId: `${toolName}-${messages.length}` }];
}

/**
 * Reads the flights of a results page such as FLIGHTS_PAGE: each entry's number, price, airport
 * codes and date ("January 10, 2025" becomes 2025-01-10). Entries it cannot read whole are skipped.
 */
export function parseFlightsPage(text: string): FlightDetails[] {
  const flights: FlightDetails[] = [];
  for (const entry of text.split(/^\s*\d+\.\s+(?=Flight\s)/m).slice(1)) {
    const number = /^Flight\s+(\S+)/.exec(entry)?.[1];
    const price = /Price:\s*\$(\d+)/.exec(entry)?.[1];
    const origin = /From:.*\(([A-Z]{3})\)/.exec(entry)?.[1];
    const destination = /To:.*\(([A-Z]{3})\)/.exec(entry)?.[1];
    const date = /Departs:\s*([A-Za-z]+)\s+(\d{1,2}),\s*(\d{4})/.exec(entry);
    const month = date ? MONTHS.indexOf(date[1]!.toLowerCase()) + 1 : 0;
    if (!number || !price || !origin || !destination || !date || month === 0) continue;
    const iso = `${date[3]}-${String(month).padStart(2, '0')}-${date[2]!.padStart(2, '0')}`;
    flights.push({ flight_number: number, price: Number(price), origin, destination, date: iso });
  }
  return flights;
}

/** The extraction agent's model: parses the page text it is given (its user prompt). */
export function extractionDemoModel(): FunctionModel {
  return new FunctionModel((messages, info) => call(outputTool(info, 'final_result'), { response: parseFlightsPage(lastUserPrompt(messages)) }, messages), {
    name: 'flight-extraction-demo',
  });
}

/** The route a search agent's instructions ask for ("from SFO to ANC on 2025-01-10"). */
function requestedRoute(messages: readonly ModelMessage[]): { origin: string; destination: string; date: string } | undefined {
  const match = /from ([A-Z]{3}) to ([A-Z]{3}) on (\d{4}-\d{2}-\d{2})/.exec(latestInstructions(messages) ?? '');
  return match ? { origin: match[1]!, destination: match[2]!, date: match[3]! } : undefined;
}

/** A tool call's arguments as an object (a history read back from JSON may hold them as text). */
function argsOf(args: string | object): Record<string, unknown> {
  if (typeof args !== 'string') return args as Record<string, unknown>;
  try {
    return JSON.parse(args) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** Flight numbers the search agent proposed so far in the conversation (turned down or not). */
function proposedFlights(messages: readonly ModelMessage[]): Set<unknown> {
  const numbers = messages.flatMap((m) =>
    m.kind === 'response'
      ? m.parts.flatMap((p) => (p.kind === 'tool-call' && p.toolName.endsWith('FlightDetails') ? [argsOf(p.args)['flight_number']] : []))
      : [],
  );
  return new Set(numbers);
}

/**
 * The search agent's model: calls extract_flights, then proposes the cheapest flight on the route
 * and date that it has not proposed yet ("Please suggest another flight" gets the next one), and
 * NoFlightFound when none is left. Its very first proposal overlooks the date, as a hurried model
 * might; the output validator catches it.
 */
export function searchDemoModel(): FunctionModel {
  return new FunctionModel(
    (messages, info) => {
      const route = requestedRoute(messages);
      if (!route) return 'I do not know which route to search.';
      if (!lastReturn(messages, 'extract_flights')) return call('extract_flights', {}, messages);
      const onRoute = extractedFlights(messages)
        .filter((f) => f.origin === route.origin && f.destination === route.destination)
        .sort((a, b) => a.price - b.price);
      const proposed = proposedFlights(messages);
      const slip = proposed.size === 0 ? onRoute.find((f) => f.date !== route.date) : undefined;
      if (slip && slip.price < (onRoute.find((f) => f.date === route.date)?.price ?? Infinity)) {
        return call(outputTool(info, 'FlightDetails'), slip, messages);
      }
      const next = onRoute.find((f) => f.date === route.date && !proposed.has(f.flight_number));
      if (next) return call(outputTool(info, 'FlightDetails'), next, messages);
      return call(
        outputTool(info, 'NoFlightFound'),
        { reason: `no other flight from ${route.origin} to ${route.destination} on ${route.date} on the page` },
        messages,
      );
    },
    { name: 'flight-search-demo' },
  );
}

/**
 * Reads a seat from what the user wrote: a row ("row 12", or "12C") and a seat letter ("seat C",
 * "12C", or "window" for A and "aisle" for C); "leg room" without a row means row 1. Anything it
 * cannot read whole comes back with the reason.
 */
export function readSeat(text: string): SeatPreference | { reason: string } {
  const combined = /\b(\d{1,3})\s*([A-F])\b/i.exec(text);
  const rowText = /\brow\s*(\d{1,3})\b/i.exec(text)?.[1] ?? combined?.[1] ?? (/\bleg\s*room\b/i.test(text) ? '1' : undefined);
  let letter = /\bseat\s+([A-F])\b/i.exec(text)?.[1] ?? combined?.[2];
  if (letter === undefined && /\bwindow\b/i.test(text)) letter = 'A';
  if (letter === undefined && /\baisle\b/i.test(text)) letter = 'C';
  if (rowText === undefined) return { reason: 'no row given' };
  const row = Number(rowText);
  if (row < 1 || row > 30) return { reason: `there is no row ${row}: rows go from 1 to 30` };
  if (letter === undefined) return { reason: 'no seat letter (A to F) or window/aisle given' };
  return { row, seat: letter.toUpperCase() as SeatPreference['seat'] };
}

/** The seat preference agent's model: {@link readSeat} on the latest user prompt. */
export function seatDemoModel(): FunctionModel {
  return new FunctionModel(
    (messages, info) => {
      const seat = readSeat(lastUserPrompt(messages));
      return call(outputTool(info, 'row' in seat ? 'SeatPreference' : 'Failed'), seat, messages);
    },
    { name: 'seat-preference-demo' },
  );
}

/**
 * The booking agent's model (the delegating flight_booking agent): reads the route and the seat
 * request from the user's request, calls flight_search, then seat_preference, then buy_tickets,
 * and answers with the booking. When a delegate comes back empty-handed it says so in text, which
 * the Booking output does not allow: the run then fails with the reason in its error.
 */
export function bookingDemoModel(): FunctionModel {
  return new FunctionModel(
    (messages, info) => {
      const request = firstUserPrompt(messages);
      const route = /from ([A-Z]{3}) to ([A-Z]{3}) on (\d{4}-\d{2}-\d{2})/.exec(request);
      if (!route) return 'Please tell me the route and date, as in "from SFO to ANC on 2025-01-10".';
      const [, origin, destination, date] = route;
      const found = lastReturn(messages, 'flight_search');
      if (!found)
        return call(
          'flight_search',
          { prompt: `Find the cheapest flight from ${origin} to ${destination} on ${date}.`, context: { origin, destination, date } },
          messages,
        );
      const flight = found.content as Partial<FlightDetails> & { reason?: string };
      if (flight.flight_number === undefined) return `No flight found: ${flight.reason ?? 'no reason given'}.`;
      const seatWords = request.split(/(?<=[.;!?])\s+/).filter((s) => /\b(seat|row|window|aisle|leg\s*room)\b/i.test(s));
      const seatReturn = lastReturn(messages, 'seat_preference');
      if (!seatReturn) return call('seat_preference', { prompt: seatWords.join(' ') || request }, messages);
      const seat = seatReturn.content as Partial<SeatPreference> & { reason?: string };
      if (seat.row === undefined) return `I could not read a seat from the request: ${seat.reason ?? 'no reason given'}.`;
      const bought = lastReturn(messages, 'buy_tickets');
      if (!bought) return call('buy_tickets', { flight, seat }, messages);
      return call(outputTool(info, 'final_result'), { flight, seat, confirmation: String(bought.content) }, messages);
    },
    { name: 'flight-booking-demo' },
  );
}
