/**
 * `schemantic/define`, the entry point of generated agent modules: its `defineAgent` loads the run
 * machinery on the agent's first use, and the agent it returns behaves as one from the main entry's
 * `defineAgent`. Each scenario runs three ways and must report the same: an agent of the main
 * entry, an agent of `schemantic/define` before the machinery has loaded (a fresh instance of the
 * module, as in a process that has imported only generated code), and one after.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  Agent,
  agent,
  AgentRun,
  defineAgent as mainDefineAgent,
  defineTool,
  StreamedRun,
  UserError,
  VERSION,
  type AgentSpec,
  type ResponsePart,
} from 'schemantic';
import { defineAgent as smallDefineAgent } from 'schemantic/define';
import { captureRunMessages, FunctionModel } from 'schemantic/testing';
import { bankSupportSpec, createBankSupportAgent } from '../../generated/agents/bank-support.js';
import { flightBookingSpec } from '../../generated/agents/flight-booking.js';
import { flightSearchSpec } from '../../generated/agents/flight-search.js';
import { seatPreferenceSpec } from '../../generated/agents/seat-preference.js';
import { masked } from '../helpers/messages.js';

type Define = typeof smallDefineAgent;

/** The lazy `defineAgent` of a fresh instance of its module: the run machinery not loaded yet. */
let instances = 0;
async function beforeLoading(): Promise<Define> {
  const url = `${new URL('../../runtime/define.ts', import.meta.url).pathname}?instance=${++instances}`;
  return ((await import(/* @vite-ignore */ url)) as { defineAgent: Define }).defineAgent;
}

const ways: [string, () => Promise<Define>][] = [
  ['schemantic', async () => mainDefineAgent],
  ['schemantic/define, before loading', beforeLoading],
  ['schemantic/define, loaded', async () => smallDefineAgent],
];

beforeAll(async () => {
  // The shared instance of schemantic/define: its machinery loads on a first use.
  await smallDefineAgent(bankSupportSpec, bankOptions()).run('?', { context: { customer_name: 'Ann' } });
});

/** Calls the balance tool, then answers through the output tool. */
function bankModel(advice = 'All good.'): FunctionModel {
  return new FunctionModel((messages): ResponsePart[] => {
    const step = messages.filter((m) => m.kind === 'response').length;
    if (step === 0) return [{ kind: 'tool-call', toolName: 'customer_balance', args: { include_pending: true }, toolCallId: 'c1' }];
    return [{ kind: 'tool-call', toolName: 'final_result', args: { support_advice: advice, block_card: false, risk: 1 }, toolCallId: 'f1' }];
  });
}

/** The bank agent's model and balance tool (deps: the balance). */
function bankOptions() {
  return {
    model: bankModel(),
    tools: { customerBalance: (ctx: { deps: { balance: number } | undefined }) => `$${(ctx.deps?.balance ?? 0).toFixed(2)}` },
  };
}

const context = { customer_name: 'Ann' };

/** Runs `scenario` each of the three ways; returns the reports, by way. */
async function eachWay(scenario: (define: Define) => Promise<unknown>): Promise<Record<string, unknown>> {
  const reports: Record<string, unknown> = {};
  for (const [name, define] of ways) reports[name] = masked(await scenario(await define()));
  return reports;
}

/** Expects every way to report what the main entry's agent reports. */
function expectSame(reports: Record<string, unknown>): void {
  const main = reports['schemantic'];
  expect(main).toBeDefined();
  for (const [name, report] of Object.entries(reports)) expect([name, report]).toEqual([name, main]);
}

/** What a failure reports: its class (UserError or not) and message. */
async function failure(fn: () => unknown): Promise<{ userError: boolean; message: string } | 'no error'> {
  try {
    await fn();
    return 'no error';
  } catch (err) {
    return { userError: err instanceof UserError, message: (err as Error).message };
  }
}

describe('an agent of schemantic/define', () => {
  it('runs as one of the main entry: output, messages, usage', async () => {
    const reports = await eachWay(async (define) => {
      const agent = define(bankSupportSpec, bankOptions());
      const result = await agent.run('Balance?', { deps: { balance: 12.5 }, context });
      return { name: agent.name, spec: agent.spec === bankSupportSpec, output: result.output, messages: result.allMessages(), usage: result.usage() };
    });
    expectSame(reports);
    expect(reports['schemantic']).toMatchObject({ name: 'bank_support', spec: true, output: { support_advice: 'All good.' }, usage: { requests: 2 } });
  });

  it('streams as one of the main entry: before reading, the output filling in, the result', async () => {
    const reports = await eachWay(async (define) => {
      const run = define(bankSupportSpec, bankOptions()).runStream('Balance?', { deps: { balance: 3 }, context });
      const before = { usage: run.usage(), all: run.allMessages(), new: run.newMessages(), json: JSON.parse(run.allMessagesJson()) as unknown };
      const partials: unknown[] = [];
      for await (const partial of run.outputStream()) partials.push(structuredClone(partial));
      const again = await failure(async () => {
        for await (const _ of run.textStream());
      });
      return {
        before,
        partials,
        again,
        output: await run.output(),
        messages: run.newMessages(),
        json: JSON.parse(run.allMessagesJson()) as unknown,
        usage: run.usage(),
      };
    });
    expectSame(reports);
    expect(reports['schemantic']).toMatchObject({ before: { all: [], json: { version: 1, messages: [] } }, again: { userError: true } });
  });

  it('streams text and responses, and leaving a stream early closes the run, as the main entry', async () => {
    const spec: AgentSpec<string, undefined> = { runtime: `^${VERSION}`, name: 'talker', tools: [], delegates: [], output: { kind: 'text' } };
    const model = () => new FunctionModel(() => 'Once upon a time.');
    const reports = await eachWay(async (define) => {
      const texts: string[] = [];
      const first = define(spec, { model: model() }).runStream('Story?');
      for await (const text of first.textStream({ delta: true })) texts.push(text);
      const responses: unknown[] = [];
      for await (const response of define(spec, { model: model() }).runStream('Story?').responses()) responses.push(response.parts);
      const left = define(spec, { model: model() }).runStream('Story?');
      for await (const _ of left.textStream()) break;
      return { texts, result: (await first.result()).output, responses, left: left.allMessages() };
    });
    expectSame(reports);
  });

  it('steps through a run as the main entry (iter, next, stream, events)', async () => {
    const reports = await eachWay(async (define) => {
      const agent = define(bankSupportSpec, bankOptions());
      const run = agent.iter('Balance?', { context });
      const first = run.nextNode;
      const kinds: string[] = [];
      for await (const node of run) kinds.push(node.kind);
      const stepped = agent.iter('Balance?', { context });
      const nodes = [stepped.nextNode.kind, (await stepped.next()).kind];
      const streamed: string[] = [];
      for await (const event of stepped.stream()) streamed.push(event.kind);
      const events: string[] = [];
      for await (const event of define(bankSupportSpec, bankOptions()).runStreamEvents('Balance?', { context })) events.push(event.kind);
      return { first, kinds, result: run.result?.output, nodes, next: stepped.nextNode.kind, messages: await stepped.messages(), streamed, events };
    });
    expectSame(reports);
    expect(reports['schemantic']).toMatchObject({ kinds: ['user-prompt', 'model-request', 'call-tools', 'model-request', 'call-tools', 'end'] });
  });

  it('takes overrides as the main entry: model, deps, instructions, tools, nested, and only inside', async () => {
    const reports = await eachWay(async (define) => {
      const agent = define(bankSupportSpec, bankOptions());
      const other = define(bankSupportSpec, bankOptions());
      const balance = defineTool<{ include_pending: boolean }, string>({
        name: 'customer_balance',
        parameters: { type: 'object', properties: { include_pending: { type: 'boolean' } } },
        handler: () => 'overridden',
      });
      const inside = await agent.override({ model: bankModel('Overridden.'), deps: { balance: 7 }, instructions: 'Replaced.' }, async () => {
        const nested = await other.override({ tools: [balance] }, async () => [await agent.run('?', { context }), await other.run('?', { context })]);
        return nested.map((r) => ({ output: r.output, messages: r.allMessages() }));
      });
      const outside = await agent.run('?', { context });
      return { inside, outside: outside.output };
    });
    expectSame(reports);
    expect(reports['schemantic']).toMatchObject({ inside: [{ output: { support_advice: 'Overridden.' } }, { output: { support_advice: 'All good.' } }] });
  });

  it('is seen by captureRunMessages, and runs as a delegate', async () => {
    const reports = await eachWay(async (define) => {
      const captured = await captureRunMessages(() => define(bankSupportSpec, bankOptions()).run('?', { context }));
      const agents = (d: Define) => ({
        flightSearch: d(flightSearchSpec, { model: new FunctionModel(() => 'unused'), tools: { extractFlights: () => [] } }),
        seatPreference: d(seatPreferenceSpec, { model: new FunctionModel(() => [seatAnswer]) }),
      });
      const booking = (d: Define) => d(flightBookingSpec, { model: bookingModel(), tools: { buyTickets: () => 'OK-1' }, agents: agents(define) });
      // Delegates of this way, under an agent of this way and under one of schemantic/define.
      const same = await booking(define).run('Book');
      const small = await booking(smallDefineAgent).run('Book');
      return { captured: captured.messages, same: same.allMessages(), small: small.output, usage: same.usage() };
    });
    expectSame(reports);
    expect(reports['schemantic']).toMatchObject({ small: { confirmation: 'OK-1' }, usage: { requests: 3 } });
  });

  it('returns stand-ins from iter and runStream until the machinery has loaded, then the real runs', async () => {
    const fresh = (await beforeLoading())(bankSupportSpec, bankOptions());
    expect(fresh.iter('?', { context }) instanceof AgentRun).toBe(false);
    expect(fresh.runStream('?', { context }) instanceof StreamedRun).toBe(false);
    const loaded = smallDefineAgent(bankSupportSpec, bankOptions());
    expect(loaded.iter('?', { context }) instanceof AgentRun).toBe(true);
    expect(loaded.runStream('?', { context }) instanceof StreamedRun).toBe(true);
  });

  it("is not instanceof Agent, yet the main entry's defineAgent and agent() take it as a delegate", async () => {
    const seat = smallDefineAgent(seatPreferenceSpec, { model: new FunctionModel(() => [seatAnswer]) });
    expect(seat instanceof Agent).toBe(false);
    const search = smallDefineAgent(flightSearchSpec, { model: new FunctionModel(() => 'unused'), tools: { extractFlights: () => [] } });
    const booking = mainDefineAgent(flightBookingSpec, {
      model: bookingModel(),
      tools: { buyTickets: () => 'OK-1' },
      agents: { flightSearch: search, seatPreference: seat },
    });
    expect((await booking.run('Book')).output).toMatchObject({ confirmation: 'OK-1' });
    // Anything else is still refused, with the same words by both entries.
    for (const define of [mainDefineAgent, smallDefineAgent]) {
      expect(() =>
        define(flightBookingSpec, { tools: { buyTickets: () => 'x' }, agents: { flightSearch: { spec: {} }, seatPreference: seat } } as never),
      ).toThrow('no agent for delegate flight_search: pass agents.flightSearch');
    }
    const model = new FunctionModel((messages): ResponsePart[] | string =>
      messages.length === 1 ? [{ kind: 'tool-call', toolName: 'seat_preference', args: { prompt: 'Window' }, toolCallId: 'd' }] : 'Seat 1A.',
    );
    const result = await agent({ name: 'concierge', model, delegates: [seat] }).run('A seat?');
    expect(result.output).toBe('Seat 1A.');
    expect(result.allMessages()[2]).toMatchObject({ parts: [{ kind: 'tool-return', toolName: 'seat_preference', content: { row: 1, seat: 'A' } }] });
  });
});

const seatAnswer: ResponsePart = { kind: 'tool-call', toolName: 'final_result_SeatPreference', args: { row: 1, seat: 'A' }, toolCallId: 's' };
const flight = { flight_number: 'AK456', price: 80, origin: 'SFO', destination: 'ANC', date: '2025-01-10' };

function bookingModel(): FunctionModel {
  return new FunctionModel((messages): ResponsePart[] => {
    const step = messages.filter((m) => m.kind === 'response').length;
    if (step === 0) return [{ kind: 'tool-call', toolName: 'seat_preference', args: { prompt: 'Window' }, toolCallId: 'd1' }];
    return [{ kind: 'tool-call', toolName: 'final_result', args: { flight, seat: { row: 1, seat: 'A' }, confirmation: 'OK-1' }, toolCallId: 'f1' }];
  });
}

describe('errors of an agent of schemantic/define', () => {
  it('when defined: the same UserErrors as the main entry', async () => {
    const reports = await eachWay(async (define) => ({
      handler: await failure(() => define(bankSupportSpec, { tools: {} } as never)),
      notFunction: await failure(() => define(bankSupportSpec, { tools: { customerBalance: 'x' } } as never)),
      runtime: await failure(() => define({ ...bankSupportSpec, runtime: '^9.0.0' }, bankOptions())),
      delegate: await failure(() => define(flightBookingSpec, { tools: { buyTickets: () => 'x' }, agents: { flightSearch: {} } } as never)),
      missing: await failure(() => define(flightBookingSpec, { tools: { buyTickets: () => 'x' }, agents: {} } as never)),
    }));
    expectSame(reports);
    expect(reports['schemantic']).toMatchObject({
      handler: { userError: true, message: 'schemas/bank-support.yaml#/agents/bank_support: no handler for tool customer_balance: pass tools.customerBalance' },
      runtime: { userError: true },
      delegate: { userError: true, message: expect.stringContaining('no agent for delegate flight_search: pass agents.flightSearch') },
    });
  });

  it('when run or overridden: the same errors as the main entry', async () => {
    const reports = await eachWay(async (define) => {
      const noModel = define({ ...bankSupportSpec, model: undefined }, { tools: bankOptions().tools });
      const agent = define(bankSupportSpec, bankOptions());
      const failing = define(bankSupportSpec, { ...bankOptions(), tools: { customerBalance: () => Promise.reject(new Error('db down')) } });
      const tool = defineTool({ name: 't', parameters: { type: 'object' }, handler: () => 1 });
      return {
        noModel: await failure(() => noModel.run('?', { context })),
        context: await failure(() => agent.run('?', { context: { customer_name: 1 } as never })),
        handler: await failure(() => failing.run('?', { context })),
        streamed: await failure(() => failing.runStream('?', { context }).output()),
        // The main entry's override throws; before loading, the lazy agent's rejects (see runtime/define.ts).
        override: await failure(async () => agent.override({ tools: [tool, tool] }, async () => 1)),
        outputTool: await failure(() => agent.override({ tools: [{ ...tool, name: 'final_result' }] }, () => agent.run('?', { context }))),
      };
    });
    expectSame(reports);
    expect(reports['schemantic']).toMatchObject({
      noModel: { userError: true, message: expect.stringContaining('no model') },
      context: { userError: true },
      handler: { userError: false, message: 'db down' },
      override: { userError: true, message: 'agent bank_support: two override tools are named t' },
    });
  });
});

describe('generated factories', () => {
  it('define their agents through schemantic/define, typed as Agent, with every public member', async () => {
    const agent = createBankSupportAgent(bankOptions());
    const main = mainDefineAgent(bankSupportSpec, bankOptions());
    const members = (o: object) =>
      Object.getOwnPropertyNames(Object.getPrototypeOf(o))
        .filter((m) => ['constructor', 'prepareRun', 'overrideTools', 'prepare', 'build', 'loaded', 'load', 'resumedRun', 'streamEventsOf'].indexOf(m) < 0)
        .sort();
    expect(members(agent)).toEqual(members(main));
    expect((await agent.run('?', { context })).output).toEqual((await main.run('?', { context })).output);
  });
});
