/**
 * Review of the delegating flight_booking agent against a hostile booking model: one booking buys
 * one ticket, however many times the model calls buy_tickets, and the booking it answers with must
 * be the ticket really bought (not a confirmation it made up, or another flight or seat).
 */
import { describe, expect, it } from 'vitest';
import { UnexpectedModelBehavior, Usage, type ResponsePart } from 'schemantic';
import { FunctionModel } from 'schemantic/testing';
import { bookWithAgent, createBookingAgent } from '../../examples/flight-booking/booking-agent.js';
import { extractionDemoModel, searchDemoModel, seatDemoModel } from '../../examples/flight-booking/demo-models.js';
import { FLIGHTS_PAGE } from '../../examples/flight-booking/flights-page.js';
import { TicketOffice, type FlightDeps } from '../../examples/flight-booking/ticket-office.js';

const NA_244 = { flight_number: 'NA-244', price: 279, origin: 'SFO', destination: 'ANC', date: '2025-01-10' };
const AK_501 = { flight_number: 'AK-501', price: 365, origin: 'SFO', destination: 'ANC', date: '2025-01-10' };

const buy = (flight: object, row: number, seat: string, id: string): ResponsePart => ({
  kind: 'tool-call',
  toolName: 'buy_tickets',
  args: { flight, seat: { row, seat } },
  toolCallId: id,
});
const answer = (booking: object, id: string): ResponsePart => ({ kind: 'tool-call', toolName: 'final_result', args: booking, toolCallId: id });

/** Runs the booking agent on `model` (the delegates on the demo models); the office, the transcript, and the outcome. */
async function book(model: FunctionModel) {
  const lines: string[] = [];
  const deps: FlightDeps = { webPageText: FLIGHTS_PAGE, office: new TicketOffice(FLIGHTS_PAGE) };
  const agent = createBookingAgent({ booking: model, search: searchDemoModel(), extraction: extractionDemoModel(), seat: seatDemoModel() });
  const outcome = await bookWithAgent({ agent, deps, request: 'Book SFO to ANC on 2025-01-10', usage: new Usage(), log: (l) => lines.push(l) }).then(
    (booking) => ({ booking }),
    (error: unknown) => ({ error }),
  );
  return { office: deps.office, lines, outcome };
}

describe('flight booking agent: a hostile booking model', () => {
  it('buys one ticket per booking when the model calls buy_tickets twice in one response', async () => {
    let turn = 0;
    const model = new FunctionModel(() =>
      turn++ === 0
        ? [buy(NA_244, 1, 'A', 'b1'), buy(AK_501, 2, 'F', 'b2')]
        : [answer({ flight: NA_244, seat: { row: 1, seat: 'A' }, confirmation: 'SKY-NA-244-1A' }, 'o1')],
    );
    const { office } = await book(model);
    expect(office.purchases.map((p) => p.confirmation)).toEqual(['SKY-NA-244-1A']);
  });

  it('buys one ticket per booking when the model buys again in a later response', async () => {
    let turn = 0;
    const model = new FunctionModel(() => {
      turn++;
      if (turn === 1) return [buy(NA_244, 1, 'A', 'b1')];
      if (turn === 2) return [buy(NA_244, 1, 'B', 'b2')];
      return [answer({ flight: NA_244, seat: { row: 1, seat: 'A' }, confirmation: 'SKY-NA-244-1A' }, 'o1')];
    });
    const { office } = await book(model);
    expect(office.purchases.map((p) => p.confirmation)).toEqual(['SKY-NA-244-1A']);
  });

  it('does not report a booking that was never bought', async () => {
    const model = new FunctionModel(() => [answer({ flight: NA_244, seat: { row: 1, seat: 'A' }, confirmation: 'SKY-NA-244-1A' }, 'o1')]);
    const { office, lines, outcome } = await book(model);
    expect(office.purchases).toEqual([]);
    expect(outcome).toEqual({ error: expect.any(UnexpectedModelBehavior) });
    expect(lines.some((l) => l.startsWith('Booked:'))).toBe(false);
  });

  it('does not report another seat than the one bought', async () => {
    let turn = 0;
    const model = new FunctionModel(() =>
      turn++ === 0 ? [buy(NA_244, 1, 'A', 'b1')] : [answer({ flight: NA_244, seat: { row: 2, seat: 'F' }, confirmation: 'SKY-NA-244-1A' }, 'o1')],
    );
    const { office, lines, outcome } = await book(model);
    expect(office.purchases.map((p) => p.confirmation)).toEqual(['SKY-NA-244-1A']);
    expect(outcome).toEqual({ error: expect.any(UnexpectedModelBehavior) });
    expect(lines.some((l) => l.startsWith('Booked:'))).toBe(false);
  });
});
