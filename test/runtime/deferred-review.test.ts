/**
 * Deferred tools against hostile or careless input: what a model, a browser or a damaged store can
 * send a paused run and its resume. Each is refused with a typed error before anything runs, or
 * handled as the reference does; nothing is lost or run twice.
 */
import { describe, expect, it } from 'vitest';
import {
  agent,
  ApprovalRequired,
  DeferredToolRequests,
  defineTool,
  PausedRunError,
  readPausedRun,
  UnexpectedModelBehavior,
  UserError,
  type ModelMessage,
  type PausedRun,
} from 'schemantic';
import { FunctionModel } from 'schemantic/testing';

const obj = (properties: Record<string, unknown>, required: string[] = Object.keys(properties)) => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
});

type Call = { toolName: string; args: object | string; toolCallId: string };

/** The calls of the first response, then text naming what the model read in the last request. */
function scripted(calls: Call[], seen: ModelMessage[][] = []) {
  return new FunctionModel((messages) => {
    seen.push(structuredClone([...messages]));
    if (messages.length === 1) return calls.map((c) => ({ kind: 'tool-call' as const, ...c }));
    const last = messages[messages.length - 1]!;
    const read =
      last.kind === 'request'
        ? last.parts.map((p) =>
            p.kind === 'tool-return' ? `${p.toolCallId}=${JSON.stringify(p.content)}` : p.kind === 'user-prompt' ? `prompt:${String(p.content)}` : p.kind,
          )
        : [];
    return `done: ${read.join('; ')}`;
  });
}

/** Never called: a resume refused before it starts sends nothing. */
function silent() {
  let sent = 0;
  return { model: new FunctionModel(() => (sent++, 'never')), sent: () => sent };
}

function shop(log: string[] = [], balance: () => unknown = () => '$10') {
  return agent<undefined, string>({
    name: 'shop',
    tools: [
      defineTool<{ amount: number; currency?: string }, string>({
        name: 'refund',
        parameters: {
          type: 'object',
          properties: { amount: { type: 'number', minimum: 0 }, currency: { type: 'string', default: 'EUR' } },
          required: ['amount'],
          additionalProperties: false,
        },
        needsApproval: true,
        handler: (_ctx, { amount, currency }) => (log.push(`refund ${amount} ${currency}`), `refunded ${amount} ${currency}`),
      }),
      defineTool<{ q: string }, unknown>({ name: 'quote', parameters: obj({ q: { type: 'string' } }), external: true }),
      defineTool<Record<string, never>, unknown>({ name: 'balance', parameters: obj({}), handler: () => (log.push('balance'), balance()) }),
    ],
  });
}

const REFUND_AND_QUOTE: Call[] = [
  { toolName: 'refund', args: { amount: 1 }, toolCallId: 'r1' },
  { toolName: 'quote', args: { q: 'flight' }, toolCallId: 'q1' },
];

async function paused(calls: Call[] = REFUND_AND_QUOTE, log: string[] = []): Promise<PausedRun> {
  return (await shop(log).run('go', { model: scripted(calls) })).paused()!;
}

describe('tool call ids a paused run matches answers by', () => {
  it('must be unique: a model repeating an id cannot have one approval run two calls', async () => {
    const log: string[] = [];
    const twins: Call[] = [
      { toolName: 'refund', args: { amount: 1 }, toolCallId: 'x' },
      { toolName: 'refund', args: { amount: 9999 }, toolCallId: 'x' },
    ];
    const error = await shop(log)
      .run('go', { model: scripted(twins) })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnexpectedModelBehavior);
    expect((error as Error).message).toMatch(/tool call ids .*"x"/);
    expect(log).toEqual([]);
  });

  it('must be unique across the response: a call that ran cannot answer a deferred call of the same id', async () => {
    const log: string[] = [];
    const shared: Call[] = [
      { toolName: 'balance', args: {}, toolCallId: 'same' },
      { toolName: 'refund', args: { amount: 5 }, toolCallId: 'same' },
    ];
    await expect(shop(log).run('go', { model: scripted(shared) })).rejects.toThrow(UnexpectedModelBehavior);
  });

  it('are checked in a stored paused run too: duplicates are refused before anything runs', async () => {
    const stored = structuredClone(await paused()) as { -readonly [K in keyof PausedRun]: PausedRun[K] };
    const response = stored.history.messages[1]!;
    if (response.kind === 'response') response.parts.push({ kind: 'tool-call', toolName: 'refund', args: { amount: 9999 }, toolCallId: 'r1' });
    const log: string[] = [];
    const { model, sent } = silent();
    const error = await shop(log)
      .resume(stored, { approvals: { r1: true } }, { model })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PausedRunError);
    expect((error as Error).message).toContain('"r1"');
    expect([log, sent()]).toEqual([[], 0]);
  });
});

describe('approveAll', () => {
  it('approves calls whose ids are names of Object.prototype', () => {
    const call = (toolCallId: string) => ({ toolName: 'refund', toolCallId, args: {} });
    const requests = new DeferredToolRequests([call('constructor'), call('__proto__'), call('toString')], []);
    const results = requests.results({ approveAll: true });
    expect(Object.keys(results.approvals!).sort()).toEqual(['__proto__', 'constructor', 'toString']);
    expect(Object.values(results.approvals!)).toEqual([true, true, true]);
  });
});

describe('the results of a resume', () => {
  const cases: [string, unknown, RegExp][] = [
    ['approvals that are not an object', { approvals: 5 }, /approvals/],
    ['approvals as an array', { approvals: [true] }, /approvals/],
    ['calls that are null', { calls: null }, /calls/],
    ['a misspelt field (its decisions would be dropped)', { approval: { r1: true } }, /unknown fields: approval/],
    ['an array', [], /must be an object/],
  ];
  for (const [what, results, message] of cases) {
    it(`refuses ${what}`, async () => {
      const log: string[] = [];
      const { model, sent } = silent();
      const error = await shop(log)
        .resume(await paused(), results as never, { model })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UserError);
      expect((error as Error).message).toMatch(message);
      expect([log, sent()]).toEqual([[], 0]);
    });
  }

  const circular: Record<string, unknown> = {};
  circular['self'] = circular;
  let deep: unknown = 1;
  for (let i = 0; i < 20_000; i++) deep = [deep];
  const values: [string, unknown][] = [
    ['a bigint', { price: 10n }],
    ['a function', { price: 1, format: () => 'x' }],
    ['a circular object', circular],
    ['a value nested 20,000 levels deep', deep],
  ];
  for (const [what, value] of values) {
    it(`refuses an external result that is not JSON (${what}) before an approved call runs`, async () => {
      const log: string[] = [];
      const { model, sent } = silent();
      const error = await shop(log)
        .resume(await paused(), { approvals: { r1: true }, calls: { q1: value } }, { model })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UserError);
      expect((error as Error).message).toMatch(/the result for call q1 .*is not JSON/);
      expect([log, sent()]).toEqual([[], 0]);
    });
  }

  it('refuses other arguments that are not JSON', async () => {
    const log: string[] = [];
    const { model, sent } = silent();
    const error = await shop(log)
      .resume(await paused(), { approvals: { r1: { approved: true, overrideArgs: { amount: 1, currency: Symbol('EUR') } } } }, { model })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(/overrideArgs .*not JSON/);
    expect([log, sent()]).toEqual([[], 0]);
  });

  it("are read, not changed: the defaults the validator fills in reach the handler, not the caller's objects", async () => {
    const log: string[] = [];
    const overrideArgs = { amount: 2 };
    const quote = { price: 3 };
    const results = { approvals: { r1: { approved: true as const, overrideArgs } }, calls: { q1: quote } };
    const done = await shop(log).resume(await paused(), results, { model: scripted(REFUND_AND_QUOTE) });
    expect(done.output).toBe('done: r1="refunded 2 EUR"; q1={"price":3}');
    expect(log).toEqual(['refund 2 EUR']);
    expect(overrideArgs).toEqual({ amount: 2 });
  });
});

describe('a prompt sent with a resume', () => {
  it('is kept when the run pauses again, and reaches the model with the answers that follow', async () => {
    const refunds = shop();
    const seen: ModelMessage[][] = [];
    const first = await refunds.run('go', { model: scripted(REFUND_AND_QUOTE) });
    const second = await refunds.resume(first.paused()!, { approvals: { r1: true } }, { model: scripted(REFUND_AND_QUOTE, seen), prompt: 'and quickly' });
    expect(DeferredToolRequests.isInstance(second.output)).toBe(true);
    // Stored and read back: the prompt travels in the paused state.
    const stored = readPausedRun(JSON.stringify(second.paused()));
    const third = await refunds.resume(stored, { calls: { q1: { price: 1 } } }, { model: scripted(REFUND_AND_QUOTE, seen), prompt: 'thanks' });
    expect(third.output).toBe('done: r1="refunded 1 EUR"; q1={"price":1}; prompt:and quickly; prompt:thanks');
    expect(seen).toHaveLength(1);
  });
});

describe('a paused state', () => {
  it('is plain JSON even when a tool returned more than JSON (a Date, a method): what a store would keep', async () => {
    const log: string[] = [];
    const calls: Call[] = [
      { toolName: 'balance', args: {}, toolCallId: 'b1' },
      { toolName: 'refund', args: { amount: 1 }, toolCallId: 'r1' },
    ];
    const result = await shop(log, () => ({ at: new Date(0), format: () => '$10' })).run('go', { model: scripted(calls) });
    const state = result.paused()!;
    expect(JSON.stringify(state.history.messages.at(-1))).toContain('"content":{"at":"1970-01-01T00:00:00.000Z"}');
    expect(readPausedRun(JSON.stringify(state))).toEqual(state);
  });

  it('that cannot be written as JSON fails the run with a typed error', async () => {
    const calls: Call[] = [
      { toolName: 'balance', args: {}, toolCallId: 'b1' },
      { toolName: 'refund', args: { amount: 1 }, toolCallId: 'r1' },
    ];
    const error = await shop([], () => ({ cents: 10n }))
      .run('go', { model: scripted(calls) })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PausedRunError);
    expect((error as Error).message).toMatch(/not JSON/);
  });
});

describe('a stored paused run that does not hold together', () => {
  type Mutable = { -readonly [K in keyof PausedRun]: PausedRun[K] };
  const forgeries: [string, (run: Mutable) => void, RegExp][] = [
    [
      'a request naming another tool than its call (the user would approve one tool, and another would run)',
      (run) => {
        (run.requests.approvals[0] as { toolName: string }).toolName = 'balance';
      },
      /"r1" \(tool balance\), which is not a call of its last model response/,
    ],
    [
      'a request for a call its history answered already',
      (run) => {
        run.requests = { approvals: [...run.requests.approvals, { toolName: 'balance', toolCallId: 'b1', args: {} }], calls: run.requests.calls };
      },
      /"b1" .*answered already/,
    ],
    [
      'a call listed twice',
      (run) => {
        run.requests = { approvals: run.requests.approvals, calls: [...run.requests.calls, ...run.requests.calls] };
      },
      /lists call "q1" twice/,
    ],
    [
      'a pending tool missing from its contract (its changes would go unchecked)',
      (run) => {
        const tools: Record<string, unknown> = { ...run.contract.tools };
        delete tools['refund'];
        run.contract = { ...run.contract, tools: tools as PausedRun['contract']['tools'] };
      },
      /contract/,
    ],
    [
      'a contract entry that is not a tool contract',
      (run) => {
        run.contract = { ...run.contract, tools: { ...run.contract.tools, refund: null as never } };
      },
      /contract/,
    ],
    [
      'a contract whose fingerprint is not its own',
      (run) => {
        run.contract = { ...run.contract, tools: { ...run.contract.tools, refund: { parameters: { type: 'object' } } } };
      },
      /fingerprint/,
    ],
  ];
  for (const [what, forge, message] of forgeries) {
    it(`is refused: ${what}`, async () => {
      const calls: Call[] = [{ toolName: 'balance', args: {}, toolCallId: 'b1' }, ...REFUND_AND_QUOTE];
      const stored = structuredClone(await paused(calls)) as Mutable;
      forge(stored);
      expect(() => readPausedRun(JSON.stringify(stored))).toThrow(PausedRunError);
      const log: string[] = [];
      const { model, sent } = silent();
      const error = await shop(log)
        .resume(stored, { approvals: { r1: true } }, { model })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PausedRunError);
      expect((error as Error).message).toMatch(message);
      expect([log, sent()]).toEqual([[], 0]);
    });
  }
});

describe('a handler that asks for approval again once approved', () => {
  it('pauses the run again on that call (as the reference does), keeping the answers of the other calls', async () => {
    const signedOff = new Set<string>();
    const log: string[] = [];
    const bank = agent<undefined, string>({
      name: 'bank',
      tools: [
        defineTool<{ amount: number }, string>({
          name: 'transfer',
          parameters: obj({ amount: { type: 'number' } }),
          handler: (ctx, { amount }) => {
            if (!ctx.toolCallApproved) throw new ApprovalRequired({ metadata: { stage: 'clerk' } });
            // A large transfer needs a manager's sign-off too, recorded by the app.
            if (amount > 100 && !signedOff.has(ctx.toolCallId!)) throw new ApprovalRequired({ metadata: { stage: 'manager' } });
            return (log.push(`transfer ${amount}`), `sent ${amount}`);
          },
        }),
      ],
    });
    const calls: Call[] = [
      { toolName: 'transfer', args: { amount: 5 }, toolCallId: 't1' },
      { toolName: 'transfer', args: { amount: 500 }, toolCallId: 't2' },
    ];
    const first = await bank.run('go', { model: scripted(calls) });
    const second = await bank.resume(first.paused()!, { approvals: { t1: true, t2: true } }, { model: scripted(calls) });
    expect(log).toEqual(['transfer 5']);
    const again = second.output as unknown as DeferredToolRequests;
    expect(DeferredToolRequests.isInstance(again)).toBe(true);
    expect(again.approvals).toEqual([{ toolName: 'transfer', toolCallId: 't2', args: { amount: 500 }, metadata: { stage: 'manager' } }]);
    signedOff.add('t2');
    const done = await bank.resume(second.paused()!, { approvals: { t2: true } }, { model: scripted(calls) });
    expect(done.output).toBe('done: t1="sent 5"; t2="sent 500"');
  });
});

describe("an external call's { retry } for a tool that allows no retries", () => {
  it('is refused before an approved call runs (counted, it would end the run once the calls ran)', async () => {
    const log: string[] = [];
    const strict = agent<undefined, string>({
      name: 'strict',
      retries: 0,
      tools: [
        defineTool({ name: 'refund', parameters: obj({}), needsApproval: true, handler: () => (log.push('refund'), 'ok') }),
        defineTool({ name: 'quote', parameters: obj({}), external: true }),
      ],
    });
    const calls: Call[] = [
      { toolName: 'refund', args: {}, toolCallId: 'r1' },
      { toolName: 'quote', args: {}, toolCallId: 'q1' },
    ];
    const first = await strict.run('go', { model: scripted(calls) });
    const { model, sent } = silent();
    const error = await strict
      .resume(first.paused()!, { approvals: { r1: true }, calls: { q1: { retry: 'The page closed.' } } }, { model })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(/q1 .*allows no retries/);
    expect([log, sent()]).toEqual([[], 0]);
  });
});
