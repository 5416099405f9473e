/**
 * `schemantic/dbos` in one process: DBOS launched in the test process on a fresh PostgreSQL
 * database (scripts/test-postgres.sh), durable agents on FunctionModel. What a durable run
 * records and returns, its ids, approvals and external calls answered by workflow id (from this
 * process and through a DBOSClient), the approval timeout, queues, and the API's misuse errors.
 * Crashes and recoveries are in crash-recovery.test.ts; several workers in scale-out.test.ts.
 */
import { DBOS, DBOSClient } from '@dbos-inc/dbos-sdk';
import { agent, DeferredToolRequests, ModelAPIError, ModelHTTPError, UsageLimitExceeded, UserError, type ModelMessage, type RunContext } from 'schemantic';
import { dbosAgent, durableRunHandle, enqueueRun, pendingRequests, sendResults, type DbosAgent, type PendingRequests } from 'schemantic/dbos';
import { FunctionModel } from 'schemantic/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, quietLogger, type TestDatabase } from '../../helpers/postgres.js';

let db: TestDatabase;
let client: DBOSClient;

/** What the model function and the handlers saw, by workflow id. */
const modelCalls = new Map<string, number>();
const handlerContexts: { runId: string | undefined; toolCallId: string | undefined; deps: unknown }[] = [];

function countCall(): void {
  const id = DBOS.workflowID ?? 'outside';
  modelCalls.set(id, (modelCalls.get(id) ?? 0) + 1);
}

/** Responses since the conversation's last user prompt: the model's turns in this run. */
function turns(messages: readonly ModelMessage[]): number {
  const start = messages.findLastIndex((m) => m.kind === 'request' && m.parts.some((p) => p.kind === 'user-prompt'));
  return messages.slice(start).filter((m) => m.kind === 'response').length;
}

function lastReturn(messages: readonly ModelMessage[]): unknown {
  const last = messages.at(-1);
  const part = last?.kind === 'request' ? last.parts.find((p) => p.kind === 'tool-return') : undefined;
  return part?.kind === 'tool-return' ? part.content : undefined;
}

/** One tool call, then text built from its return. */
const lookup = agent<{ prefix: string }, string>({
  name: 'lookup',
  model: new FunctionModel((messages) => {
    countCall();
    if (turns(messages) === 0) return [{ kind: 'tool-call', toolName: 'find', args: { q: 'dbos' }, toolCallId: `call_${Math.random().toString(36).slice(2)}` }];
    return `found: ${String(lastReturn(messages))}`;
  }),
  tools: [
    {
      name: 'find',
      parameters: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] },
      handler: (ctx: RunContext<{ prefix: string }, undefined>, args: { q: string }) => {
        handlerContexts.push({ runId: ctx.runId, toolCallId: ctx.toolCallId, deps: ctx.deps });
        return `${ctx.deps.prefix}${args.q}`;
      },
    },
  ],
});

/**
 * Calls refund (needs approval) and then, once that is answered, asks the browser for the
 * temperature (an external tool); a second refund when told to in the prompt; then text saying
 * what each returned.
 */
const desk = agent({
  name: 'desk',
  model: new FunctionModel((messages) => {
    countCall();
    const responses = messages.filter((m) => m.kind === 'response').length;
    const prompt = JSON.stringify(messages[0]);
    const id = `call_${responses}_${Math.random().toString(36).slice(2)}`;
    if (responses === 0) return [{ kind: 'tool-call', toolName: 'refund', args: { amount: 30 }, toolCallId: id }];
    if (responses === 1 && prompt.includes('twice')) return [{ kind: 'tool-call', toolName: 'refund', args: { amount: 5 }, toolCallId: id }];
    if (responses === 1 && prompt.includes('temperature')) return [{ kind: 'tool-call', toolName: 'temperature', args: { city: 'Paris' }, toolCallId: id }];
    const returns = messages
      .flatMap((m) => (m.kind === 'request' ? m.parts : []))
      .flatMap((p) => (p.kind === 'tool-return' ? [JSON.stringify(p.content)] : []));
    return `done: ${returns.join(' | ')}`;
  }),
  tools: [
    {
      name: 'refund',
      parameters: { type: 'object', properties: { amount: { type: 'number' } }, required: ['amount'] },
      needsApproval: true,
      handler: (_ctx: unknown, args: { amount: number }) => ({ refunded: args.amount }),
    },
    { name: 'temperature', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }, external: true },
  ],
});

/** A handler's own error, with a field of its own. */
class PaymentDeclined extends Error {
  readonly code = 'card_declined';
  constructor(message: string) {
    super(message);
    this.name = 'PaymentDeclined';
  }
}

/** Calls `pay`, whose handler throws PaymentDeclined. */
const payer = agent({
  name: 'payer',
  model: new FunctionModel(() => [{ kind: 'tool-call', toolName: 'pay', args: {}, toolCallId: 'call_pay' }]),
  tools: [
    {
      name: 'pay',
      parameters: { type: 'object', properties: {} },
      handler: () => {
        throw new PaymentDeclined('the card was declined');
      },
    },
  ],
});

/** A provider that answers 429, counting the requests it got. */
let throttledRequests = 0;
const throttled = agent({
  name: 'throttled',
  model: new FunctionModel(() => {
    throttledRequests++;
    throw new ModelHTTPError(429, 'gpt-test', { error: { message: 'Rate limit reached' } });
  }),
});

let durableLookup: DbosAgent<{ prefix: string }, string, undefined>;
let durableDesk: DbosAgent<undefined, string, undefined>;
let hastyDesk: DbosAgent<undefined, string, undefined>;
let durablePayer: DbosAgent<undefined, string, undefined>;
let durableThrottled: DbosAgent<undefined, string, undefined>;
let retryingThrottled: DbosAgent<undefined, string, undefined>;
let startBeforeLaunch: unknown;

/** Waits until the run waits for decisions (round `round`). */
async function waitForPending(workflowId: string, round = 1): Promise<PendingRequests> {
  for (;;) {
    const pending = await durableDesk.pending(workflowId);
    if (pending && pending.round === round) return pending;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  db = await freshDatabase('dbos_agent');
  durableLookup = await dbosAgent(lookup, { deps: { prefix: 'result for ' } });
  durableDesk = await dbosAgent(desk);
  hastyDesk = await dbosAgent(desk, { name: 'desk-hasty', approvalTimeoutSeconds: 1 });
  durablePayer = await dbosAgent(payer);
  durableThrottled = await dbosAgent(throttled);
  retryingThrottled = await dbosAgent(throttled, { name: 'throttled-retrying', modelStep: { retriesAllowed: true, maxAttempts: 2, intervalSeconds: 0.01 } });
  startBeforeLaunch = await durableLookup.run('too early').catch((e: unknown) => e);
  DBOS.setConfig({ name: 'schemantic-dbos-agent-test', applicationVersion: 'test', systemDatabaseUrl: db.url, logLevel: 'error' });
  await DBOS.launch();
  await DBOS.registerQueue('runs', { minPollingIntervalMs: 100 });
  client = await DBOSClient.create({ systemDatabaseUrl: db.url, applicationName: 'schemantic-dbos-agent-test', logger: quietLogger });
});

afterAll(async () => {
  await client?.destroy();
  await DBOS.shutdown({ deregister: true });
  await db?.drop();
});

describe('a durable run', () => {
  it('runs the agent as a workflow: the contract, each model request and each tool call are its steps', async () => {
    const result = await durableLookup.run('Look it up', { workflowId: 'lookup-1' });
    expect(result.workflowId).toBe('lookup-1');
    expect(result.output).toBe('found: result for dbos');
    expect(result.usage()).toMatchObject({ requests: 2, toolCalls: 1 });
    const steps = (await DBOS.listWorkflowSteps('lookup-1'))!.map((s) => s.name);
    const callId = handlerContexts.at(-1)!.toolCallId;
    expect(steps).toEqual(['schemantic:contract', 'model:1', `tool:find:${callId}`, 'model:2']);
    // The messages are a plain run's: prompt, call, return, answer.
    expect(result.allMessages().map((m) => m.kind)).toEqual(['request', 'response', 'request', 'response']);
    expect(JSON.parse(result.allMessagesJson()).messages).toHaveLength(4);
  });

  it("gives handlers the workflow id as ctx.runId, the model's call id as ctx.toolCallId, and the process's deps", async () => {
    await durableLookup.run('Look it up', { workflowId: 'lookup-ids' });
    const seen = handlerContexts.at(-1)!;
    expect(seen.runId).toBe('lookup-ids');
    expect(seen.toolCallId).toMatch(/^call_/);
    expect(seen.deps).toEqual({ prefix: 'result for ' });
  });

  it('runs once per workflow id: starting it again gives the same result, with no model request sent again', async () => {
    const first = await durableLookup.run('Look it up', { workflowId: 'lookup-once' });
    const again = await durableLookup.run('Look it up', { workflowId: 'lookup-once' });
    expect(again.output).toBe(first.output);
    expect(modelCalls.get('lookup-once')).toBe(2);
  });

  it('continues a conversation: its new messages follow the history it was given', async () => {
    const first = await durableLookup.run('Look it up', { workflowId: 'lookup-history-1' });
    const next = await durableLookup.run('Again', { workflowId: 'lookup-history-2', messageHistory: first.allMessagesJson() });
    expect(next.allMessages()).toHaveLength(8);
    expect(next.newMessages()).toHaveLength(4);
    expect(next.newMessages()[0]).toMatchObject({ kind: 'request', parts: [{ kind: 'user-prompt', content: 'Again' }] });
  });

  it('takes a run from a queue, enqueued in this process or through a DBOSClient', async () => {
    const here = await durableLookup.enqueue('Look it up', { queue: 'runs', workflowId: 'queued-here' });
    const there = await enqueueRun<string>(client, { agent: 'lookup', queue: 'runs' }, 'Look it up', { workflowId: 'queued-there' });
    expect((await here.result()).output).toBe('found: result for dbos');
    expect((await there.result()).output).toBe('found: result for dbos');
    expect(await there.status()).toBe('SUCCESS');
  });
});

describe('a durable run that needs approval', () => {
  it('waits for the decision, sent by workflow id; a denial reaches the model', async () => {
    const handle = await durableDesk.start('Refund me', { workflowId: 'desk-deny' });
    const pending = await waitForPending('desk-deny');
    expect(pending.requests.approvals).toMatchObject([{ toolName: 'refund', args: { amount: 30 } }]);
    expect(pending.expiresAt.getTime()).toBeGreaterThan(Date.now() + 6 * 24 * 3600 * 1000);
    expect(await handle.status()).toBe('PENDING');
    const id = pending.requests.approvals[0]!.toolCallId;
    await durableDesk.sendResults('desk-deny', { approvals: { [id]: { approved: false, message: 'Not this month.' } } });
    expect((await handle.result()).output).toBe('done: "Not this month."');
    expect(await durableDesk.pending('desk-deny')).toBeUndefined();
  });

  it('checks decisions against what the run waits on', async () => {
    const handle = await durableDesk.start('Refund me', { workflowId: 'desk-checked' });
    const pending = await waitForPending('desk-checked');
    await expect(durableDesk.sendResults('desk-checked', { approvals: { call_unknown: true } })).rejects.toThrow(
      'decisions for calls that wait for no approval: call_unknown',
    );
    await expect(durableDesk.sendResults('lookup-1', { approvals: {} })).rejects.toThrow('durable run lookup-1 is not waiting for decisions');
    await sendResults('desk-checked', pending.requests.results({ approveAll: true }), client);
    expect((await handle.result()).output).toBe('done: {"refunded":30}');
  });

  it('pauses again within the same workflow, each pause a round of its own', async () => {
    const handle = await durableDesk.start('Refund me twice', { workflowId: 'desk-twice' });
    const first = await waitForPending('desk-twice', 1);
    await durableDesk.sendResults('desk-twice', first.requests.results({ approveAll: true }));
    const second = await waitForPending('desk-twice', 2);
    expect(second.requests.approvals).toMatchObject([{ toolName: 'refund', args: { amount: 5 } }]);
    // Read through a DBOSClient, as a web server that does not run the agent would.
    const seen = await pendingRequests('desk-twice', client);
    expect(seen?.round).toBe(2);
    await sendResults('desk-twice', seen!.requests.results({ approveAll: true }), client);
    const result = await handle.result();
    expect(result.output).toBe('done: {"refunded":30} | {"refunded":5}');
    expect(result.usage()).toMatchObject({ requests: 3, toolCalls: 2 });
  });

  it("takes an external call's result from the caller", async () => {
    const handle = await durableDesk.start('Refund me, then the temperature', { workflowId: 'desk-external' });
    const first = await waitForPending('desk-external', 1);
    await durableDesk.sendResults('desk-external', first.requests.results({ approveAll: true }));
    const second = await waitForPending('desk-external', 2);
    expect(second.requests.calls).toMatchObject([{ toolName: 'temperature', args: { city: 'Paris' } }]);
    await durableDesk.sendResults('desk-external', { calls: { [second.requests.calls[0]!.toolCallId]: { celsius: 21 } } });
    expect((await handle.result()).output).toBe('done: {"refunded":30} | {"celsius":21}');
  });

  it('stops waiting at the timeout, ending with the requests and a paused run that a new durable run resumes', async () => {
    const result = await hastyDesk.run('Refund me', { workflowId: 'desk-timeout' });
    expect(DeferredToolRequests.isInstance(result.output)).toBe(true);
    const requests = result.output as unknown as DeferredToolRequests;
    expect(requests.approvals).toMatchObject([{ toolName: 'refund' }]);
    expect(await hastyDesk.pending('desk-timeout')).toBeUndefined();
    const paused = result.paused()!;
    expect(paused.requests.approvals).toHaveLength(1);
    const resumed = await hastyDesk.resume(paused, requests.results({ approveAll: true }), { workflowId: 'desk-timeout-resumed' });
    const done = await resumed.result();
    expect(done.output).toBe('done: {"refunded":30}');
    expect(modelCalls.get('desk-timeout-resumed')).toBe(1);
  });
});

/** The error `promise` rejects with. */
function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('a durable run that fails', () => {
  it("keeps a provider's ModelHTTPError, in the process that ran it and wherever it is read by id", async () => {
    const ran = await rejection(durableThrottled.run('Hello', { workflowId: 'throttled-1' }));
    const readHere = await rejection(durableThrottled.handle('throttled-1').result());
    const readThere = await rejection(durableRunHandle(client, 'throttled-1').result());
    for (const error of [ran, readHere, readThere]) {
      expect(ModelHTTPError.isInstance(error)).toBe(true);
      expect(ModelAPIError.isInstance(error)).toBe(true);
      expect(error).toBeInstanceOf(ModelHTTPError);
      expect(error).toMatchObject({ name: 'ModelHTTPError', status: 429, modelName: 'gpt-test', body: { error: { message: 'Rate limit reached' } } });
      expect((error as Error).message).toBe('model gpt-test answered HTTP 429');
    }
    expect((readThere as Error).stack).toBe((readHere as Error).stack);
  });

  it('keeps UsageLimitExceeded and its figures when read through a DBOSClient', async () => {
    await rejection(durableLookup.run('Look it up', { workflowId: 'lookup-limited', usageLimits: { requests: 1 } }));
    const error = await rejection(durableRunHandle(client, 'lookup-limited').result());
    expect(UsageLimitExceeded.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ limit: 'requests', value: 2, max: 1 });
  });

  it("gives a handler's own error back as DBOS records it: its name, message and fields, not its class", async () => {
    const ran = await rejection(durablePayer.run('Pay', { workflowId: 'payer-1' }));
    expect(ran).toBeInstanceOf(PaymentDeclined);
    const read = await rejection(durableRunHandle(client, 'payer-1').result());
    expect(read).toBeInstanceOf(Error);
    expect(read).not.toBeInstanceOf(PaymentDeclined);
    expect(read).toMatchObject({ name: 'PaymentDeclined', message: 'the card was declined', code: 'card_declined' });
  });

  it("throws the last attempt's error once a step's retries are used up (not DBOS's summary of them)", async () => {
    const before = throttledRequests;
    const ran = await rejection(retryingThrottled.run('Hello', { workflowId: 'throttled-retrying-1' }));
    expect(throttledRequests - before).toBe(2);
    expect(ModelHTTPError.isInstance(ran)).toBe(true);
    expect(ModelHTTPError.isInstance(await rejection(durableRunHandle(client, 'throttled-retrying-1').result()))).toBe(true);
  });
});

describe('misuse', () => {
  it('refuses to start a run before DBOS.launch()', () => {
    expect(UserError.isInstance(startBeforeLaunch)).toBe(true);
    expect((startBeforeLaunch as Error).message).toBe('agent lookup: launch DBOS (DBOS.launch()) before starting durable runs');
  });

  it('refuses to make a durable agent after DBOS.launch()', async () => {
    await expect(dbosAgent(lookup, { deps: { prefix: '' } })).rejects.toThrow(
      'agent lookup: make durable agents before DBOS.launch(): DBOS recovers only the workflows registered when it launches',
    );
  });

  it('takes a model id, not a Model object, for a run (its input is stored as JSON)', async () => {
    await expect(durableLookup.run('x', { model: new FunctionModel(() => 'x') as unknown as string })).rejects.toThrow(
      'a durable run takes a model id (a string): give a Model object to the agent itself',
    );
  });
});
