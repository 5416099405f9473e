/**
 * `npm run example:flight-booking` as a user runs it: a child process from the repository root,
 * without provider keys (so its agents run on their scripted models), its transcript and exit code
 * asserted; with --agent, with answers piped to --interactive, over a lowered request limit, and
 * with bad options.
 */
import { describe, expect, it } from 'vitest';
import { runNpmScript } from '../helpers/example-process.js';

/** Runs the npm script with `args`, `input` on its stdin, and no provider configured. */
const runExample = (args: readonly string[], input = '') => runNpmScript('example:flight-booking', args, { input });

describe('npm run example:flight-booking', () => {
  it('runs the scripted booking: a validator retry, a second search, a seat asked twice, a ticket bought', async () => {
    const ran = await runExample([]);
    expect(ran.stderr).toBe('');
    expect(ran.code).toBe(0);
    const lines = ran.stdout.split('\n');
    for (const line of [
      'The agents run on scripted models (set OPENAI_API_KEY or ANTHROPIC_API_KEY to use a provider).',
      'The search agent proposed SW-117; the output validator turned it down and asked again: Flight should be on 2025-01-10, not 2025-01-11.',
      'Flight found: NA-244, SFO to ANC on 2025-01-10, $279.',
      'Buy this flight? (y = buy, n = search again, q = quit) n',
      'Flight found: SW-102, SFO to ANC on 2025-01-10, $318.',
      'The seat agent could not read a seat from that (no row given). Please try again.',
      'The seat agent read: row 1, seat A.',
      'Bought. Confirmation code: SKY-SW-102-1A',
      'Tickets bought: 1.',
    ])
      expect(lines).toContain(line);
    expect(ran.stdout).toMatch(/Usage of the whole booking, all agents together: 7 model requests \(limit 15\), 1 tool call, \d+ tokens/);
  });

  it("--agent: the flight_booking agent delegates and buys, within the definition's limit", async () => {
    const ran = await runExample(['--agent']);
    expect(ran.code).toBe(0);
    expect(ran.stdout).toContain('The booking agent calls flight_search with');
    expect(ran.stdout).toContain('  seat_preference returned {"row":1,"seat":"A"}.');
    expect(ran.stdout).toContain('Booked: NA-244, SFO to ANC on 2025-01-10, $279, seat 1A. Confirmation code: SKY-NA-244-1A');
    expect(ran.stdout).toMatch(/9 model requests \(the agent definition's limit: 15\)/);
  });

  it('--interactive reads the answers from stdin, asks again after an unknown answer, and stops at the end of the input', async () => {
    const bought = await runExample(['--interactive'], 'perhaps\ny\nby the window\nrow 3 seat F\n');
    expect(bought.code).toBe(0);
    expect(bought.stdout).toContain('Buy this flight? (y = buy, n = search again, q = quit) perhaps');
    expect(bought.stdout).toContain('"perhaps" is not an answer here: type y, n or q.');
    expect(bought.stdout).toContain('Bought. Confirmation code: SKY-NA-244-3F');
    const ended = await runExample(['--interactive'], 'y\n');
    expect(ended.code).toBe(0);
    expect(ended.stdout).toContain('Stopped (no more answers) before a seat was chosen: nothing was bought.');
    expect(ended.stdout).toContain('Tickets bought: 0.');
    const agent = await runExample(['--agent', '--interactive'], 'Book me the cheapest flight from SFO to ANC on 2025-01-10. Aisle seat in row 14.\n');
    expect(agent.code).toBe(0);
    expect(agent.stdout).toContain('Confirmation code: SKY-NA-244-14C');
  });

  it('over a lowered request limit it stops before buying and exits 1; bad options exit 2', async () => {
    const limited = await runExample(['--request-limit', '5']);
    expect(limited.code).toBe(1);
    expect(limited.stdout).toContain('Stopped: the booking went over its usage limit (requests: 6 > 5). Nothing was bought.');
    expect(limited.stdout).toContain('Tickets bought: 0.');
    const bad = await runExample(['--request-limit', 'lots']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--request-limit lots: give a whole number of requests, 1 or more');
    const unknown = await runExample(['--bogus']);
    expect(unknown.code).toBe(2);
    const help = await runExample(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--interactive');
    expect(help.stdout).toContain('--agent');
  });
});
