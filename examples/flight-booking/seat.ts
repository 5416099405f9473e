/**
 * The seat preference agent (seat_preference in schemas/flight-booking.yaml) and the reference's
 * find_seat loop: ask the user for a seat, let the agent read it, and ask again (keeping the
 * conversation, so the agent sees the earlier attempts) until it comes back with a real seat.
 */
import type { ModelLike, ModelMessage, Usage, UsageLimits } from 'schemantic';
import { createSeatPreferenceAgent, type SeatPreferenceAgent, type SeatPreferenceOutput } from '../../generated/agents/seat-preference.js';
import type { SeatPreference } from '../../generated/types/flight-booking.js';
import type { Prompts } from './prompts.js';
import type { FlightDeps } from './ticket-office.js';

/** The seat preference agent on `model`. */
export function createSeatAgent(model: ModelLike): SeatPreferenceAgent<FlightDeps> {
  return createSeatPreferenceAgent<FlightDeps>({ model });
}

/** Is this seat agent output a seat (not Failed)? */
export function isSeat(output: SeatPreferenceOutput): output is SeatPreference {
  return 'row' in output && 'seat' in output;
}

/** What {@link findSeat} needs. */
export interface FindSeatOptions {
  readonly agent: SeatPreferenceAgent<FlightDeps>;
  readonly deps: FlightDeps;
  readonly prompts: Prompts;
  /** The booking's usage, shared with every other run of it. */
  readonly usage: Usage;
  readonly usageLimits: UsageLimits;
  /** Where to say what happens. */
  readonly log: (line: string) => void;
}

/** Asks for a seat until the agent reads one; undefined when the user's input ends first. */
export async function findSeat(options: FindSeatOptions): Promise<SeatPreference | undefined> {
  const { agent, deps, prompts, usage, usageLimits, log } = options;
  let messageHistory: ModelMessage[] | undefined;
  for (;;) {
    const answer = await prompts.ask('What seat would you like? ');
    if (answer === undefined) return undefined;
    const result = await agent.run(answer, { deps, usage, usageLimits, ...(messageHistory ? { messageHistory } : {}) });
    if (isSeat(result.output)) {
      log(`The seat agent read: row ${result.output.row}, seat ${result.output.seat}.`);
      return result.output;
    }
    const reason = result.output.reason ? ` (${result.output.reason})` : '';
    log(`The seat agent could not read a seat from that${reason}. Please try again.`);
    messageHistory = result.allMessages();
  }
}
