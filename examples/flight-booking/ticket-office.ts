/**
 * The booking site's ticket office: the one place where money would be spent. It sells only
 * flights that are on its page as they are written there, and remembers what it sold, so that the
 * example (and its tests) can tell whether anything was bought.
 */
import type { FlightDetails, SeatPreference } from '../../generated/types/flight-booking.js';
import { flightOnPage } from './flights-page.js';

/** A ticket bought. */
export interface Purchase {
  readonly flight: FlightDetails;
  readonly seat: SeatPreference;
  /** The booking confirmation code. */
  readonly confirmation: string;
}

/** Refused purchase: the flight is not sold as described, or the seat is already taken. */
export class TicketError extends Error {
  override readonly name = 'TicketError';
}

/** Sells the flights of one page. */
export class TicketOffice {
  /** Every ticket bought, in order. */
  readonly purchases: Purchase[] = [];

  /** @param page the text of the page whose flights are for sale */
  constructor(private readonly page: string) {}

  /** Buys a ticket and returns its confirmation code; throws TicketError when the flight is not for sale as described. */
  buy(flight: FlightDetails, seat: SeatPreference): string {
    const problems = flightOnPage(this.page, flight);
    if (problems.length > 0) throw new TicketError(`cannot sell this ticket: ${problems.join('; ')}`);
    const taken = this.purchases.some((p) => p.flight.flight_number === flight.flight_number && p.seat.row === seat.row && p.seat.seat === seat.seat);
    if (taken) throw new TicketError(`seat ${seat.row}${seat.seat} on flight ${flight.flight_number} is already sold`);
    // A code that reads back what was bought; a real site would issue a random record locator.
    const confirmation = `SKY-${flight.flight_number}-${seat.row}${seat.seat}`;
    this.purchases.push({ flight, seat, confirmation });
    return confirmation;
  }
}

/**
 * What every agent of the booking gets as `ctx.deps`. The booking agent hands its deps to the
 * agents it delegates to, so they all share this one type.
 */
export interface FlightDeps {
  /** The text of the booking site's results page, which the extraction agent reads. */
  readonly webPageText: string;
  /** Where tickets are bought. */
  readonly office: TicketOffice;
  /** Hears what happens inside the agents' tools and validators, to tell the user (delegated runs included). */
  readonly trace?: (line: string) => void;
}
