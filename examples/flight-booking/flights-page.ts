/**
 * The fake booking site of the flight booking example: the text of its search results page, as a
 * browser would show it, and the check that a flight someone claims to have read is really on it.
 *
 * In a real application this text would be downloaded (perhaps by another agent navigating the
 * site). The extraction agent reads it; nothing else in the example knows the flights in advance.
 */
import type { FlightDetails } from '../../generated/types/flight-booking.js';

/** The results page: eleven flights in January 2025, a few of them on the requested route. */
export const FLIGHTS_PAGE = `Skyway Fares - search results
All fares one way, in US dollars, taxes included.

1. Flight SW-102
   Price: $318
   From: San Francisco International Airport (SFO)
   To: Ted Stevens Anchorage International Airport (ANC)
   Departs: January 10, 2025

2. Flight SW-117
   Price: $205
   From: San Francisco International Airport (SFO)
   To: Ted Stevens Anchorage International Airport (ANC)
   Departs: January 11, 2025

3. Flight NA-230
   Price: $342
   From: San Francisco International Airport (SFO)
   To: Fairbanks International Airport (FAI)
   Departs: January 10, 2025

4. Flight NA-244
   Price: $279
   From: San Francisco International Airport (SFO)
   To: Ted Stevens Anchorage International Airport (ANC)
   Departs: January 10, 2025

5. Flight PX-310
   Price: $189
   From: Seattle-Tacoma International Airport (SEA)
   To: Ted Stevens Anchorage International Airport (ANC)
   Departs: January 10, 2025

6. Flight PX-318
   Price: $402
   From: San Francisco International Airport (SFO)
   To: Juneau International Airport (JNU)
   Departs: January 20, 2025

7. Flight AK-501
   Price: $365
   From: San Francisco International Airport (SFO)
   To: Ted Stevens Anchorage International Airport (ANC)
   Departs: January 10, 2025

8. Flight GL-615
   Price: $140
   From: Chicago O'Hare International Airport (ORD)
   To: Miami International Airport (MIA)
   Departs: January 12, 2025

9. Flight GL-622
   Price: $171
   From: Boston Logan International Airport (BOS)
   To: Denver International Airport (DEN)
   Departs: January 10, 2025

10. Flight RX-700
   Price: $226
   From: Los Angeles International Airport (LAX)
   To: Ted Stevens Anchorage International Airport (ANC)
   Departs: January 9, 2025

11. Flight SW-133
   Price: $299
   From: Oakland International Airport (OAK)
   To: Ted Stevens Anchorage International Airport (ANC)
   Departs: January 10, 2025
`;

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** A calendar date (YYYY-MM-DD) as the page writes it ("January 10, 2025"), or undefined if it is not a date. */
export function pageDate(isoDate: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!match) return undefined;
  const month = MONTHS[Number(match[2]) - 1];
  return month === undefined ? undefined : `${month} ${Number(match[3])}, ${match[1]}`;
}

/**
 * What is wrong with a flight someone says they read on `page` (empty when it is there as
 * described): the flight number must head an entry, and that entry must state the same price,
 * airports and date. Written as plain text searches, independently of any parser, so that it can
 * catch a model (or a parser) that invents or mixes up flights.
 */
export function flightOnPage(page: string, flight: FlightDetails): string[] {
  // The entry runs from its "Flight <number>" heading to the next heading (or the end).
  const entries = page.split(/^\s*\d+\.\s+(?=Flight\s)/m);
  const entry = entries.find((e) => e.startsWith(`Flight ${flight.flight_number}\n`) || e.startsWith(`Flight ${flight.flight_number}\r\n`));
  if (entry === undefined) return [`flight ${flight.flight_number} is not on the page`];
  const problems: string[] = [];
  if (!entry.includes(`Price: $${flight.price}\n`)) problems.push(`flight ${flight.flight_number} does not cost $${flight.price} on the page`);
  if (!new RegExp(`^\\s*From: .*\\(${flight.origin}\\)`, 'm').test(entry)) problems.push(`flight ${flight.flight_number} does not leave from ${flight.origin}`);
  if (!new RegExp(`^\\s*To: .*\\(${flight.destination}\\)`, 'm').test(entry))
    problems.push(`flight ${flight.flight_number} does not fly to ${flight.destination}`);
  const date = pageDate(flight.date);
  if (date === undefined || !entry.includes(`Departs: ${date}`)) problems.push(`flight ${flight.flight_number} does not depart on ${flight.date}`);
  return problems;
}
