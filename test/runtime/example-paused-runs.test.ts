/**
 * examples/paused-runs.ts: the HTTP example's store of paused runs loses nothing when a resume is
 * refused before it starts, and does not put a run back once its resume did something.
 */
import { describe, expect, it } from 'vitest';
import { agent, ContractChangedError, defineTool, type AgentRunEvent, type PausedRun } from 'schemantic';
import { FunctionModel } from 'schemantic/testing';
import { PausedRuns } from '../../examples/paused-runs.js';

const obj = { type: 'object', properties: { amount: { type: 'number' } }, required: ['amount'], additionalProperties: false };

async function paused(): Promise<PausedRun> {
  const refunds = agent({ name: 'refunds', tools: [defineTool({ name: 'refund', parameters: obj, needsApproval: true, handler: () => 'ok' })] });
  const model = new FunctionModel(() => [{ kind: 'tool-call', toolName: 'refund', args: { amount: 5 }, toolCallId: 'r1' }]);
  return (await refunds.run('refund', { model })).paused()!;
}

async function drain(events: AsyncIterable<AgentRunEvent<unknown>>): Promise<unknown> {
  try {
    for await (const _ of events) void _;
    return undefined;
  } catch (err) {
    return err;
  }
}

describe('the example server keeps paused runs', () => {
  it('puts a run back when its resume is refused before it starts (a changed contract)', async () => {
    const runs = new PausedRuns();
    const state = await paused();
    await drain(
      runs.keeping(
        'run:1',
        (async function* () {
          yield { kind: 'run-result', result: { paused: () => state } } as unknown as AgentRunEvent<unknown>;
        })(),
      ),
    );
    const taken = (await runs.take('run:1', () => ({ approvals: { r1: true } })))!;
    expect(await runs.take('run:1', () => undefined)).toBeUndefined();
    // The agent now requires a parameter the pending call does not have: the resume is refused.
    const changed = agent({
      name: 'refunds',
      tools: [
        defineTool({
          name: 'refund',
          parameters: { ...obj, properties: { ...obj.properties, why: { type: 'string' } }, required: ['amount', 'why'] },
          needsApproval: true,
          handler: () => 'ok',
        }),
      ],
    });
    const error = await drain(
      runs.keeping('run:2', changed.resumeStreamEvents(taken.paused, taken.answers, { model: new FunctionModel(() => 'x') }), {
        key: 'run:1',
        paused: taken.paused,
      }),
    );
    expect(error).toBeInstanceOf(ContractChangedError);
    expect((await runs.take('run:1', () => undefined))?.paused).toEqual(state);
  });

  it('does not put a run back once its resume produced events (an approved call may have run)', async () => {
    const runs = new PausedRuns();
    const state = await paused();
    const failing = (async function* () {
      yield { kind: 'function-tool-call' } as unknown as AgentRunEvent<unknown>;
      throw new Error('provider down');
    })();
    expect(await drain(runs.keeping('run:2', failing, { key: 'run:1', paused: state }))).toEqual(new Error('provider down'));
    expect(await runs.take('run:1', () => undefined)).toBeUndefined();
  });
});
