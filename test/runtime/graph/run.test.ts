/**
 * Graph runs in one process: to the end, node by node with iter(), the history they record, and
 * every check a run makes (the state after each node, a node's input when its predecessor makes
 * it, the output, the steps handlers return, the binding of handlers to the spec).
 */
import { describe, expect, it } from 'vitest';
import {
  defineGraph,
  Graph,
  GraphStepError,
  GraphValidationError,
  MemoryGraphStore,
  readGraphSnapshot,
  UserError,
  type GraphHistoryEntry,
  type GraphNode,
} from 'schemantic';
import { defineGraph as defineLazyGraph } from 'schemantic/define';
import { countGraphSpec, countHandlers, createCountGraph, type CountHandlers, type CountState, type CountStep, type CountDeps } from './graphs.js';

const start = (): CountState => ({ n: 0, trace: [] });
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** The count graph with some handlers replaced. */
function countWith(overrides: Partial<CountHandlers<CountDeps>>) {
  return createCountGraph<CountDeps>({ ...countHandlers, ...overrides });
}

describe('a graph run', () => {
  it('runs to the end with the typed output and the state the nodes left', async () => {
    const graph = createCountGraph(countHandlers);
    expect(graph).toBeInstanceOf(Graph);
    expect(graph.name).toBe('count');
    expect(graph.mermaid).toMatch(/^stateDiagram-v2\n/);
    const state = start();
    const result = await graph.run({ state, deps: { limit: 5 }, input: { by: 1 }, runId: 'run-1' });
    expect(result.status).toBe('ended');
    expect(result.output).toEqual({ total: 5 });
    expect(result.waitingAt).toBeUndefined();
    expect(result.runId).toBe('run-1');
    // The run changes the caller's state in place.
    expect(result.state).toBe(state);
    expect(state).toEqual({ n: 5, trace: ['+1', '+2', '+2'] });
    expect(result.history.map((h) => h.node)).toEqual(['increment', 'check', 'increment', 'check', 'increment', 'check']);
  });

  it('gives each run an id of its own by default', async () => {
    const graph = createCountGraph(countHandlers);
    const [a, b] = await Promise.all([1, 2].map(() => graph.run({ state: start(), deps: { limit: 1 }, input: { by: 1 } })));
    expect(a!.runId).toMatch(/^[0-9a-f-]{36}$/);
    expect(a!.runId).not.toBe(b!.runId);
  });

  it('steps node by node with iter(): each node as it is about to run, then the end', async () => {
    const run = createCountGraph(countHandlers).iter({ state: start(), deps: { limit: 3 }, input: { by: 1 } });
    expect(run.nextNode).toEqual({ kind: 'node', node: 'increment', input: { by: 1 } });
    expect(run.result).toBeUndefined();
    const seen: { node: GraphNode; n: number }[] = [];
    for await (const node of run) seen.push({ node, n: run.state.n });
    expect(seen).toEqual([
      { node: { kind: 'node', node: 'increment', input: { by: 1 } }, n: 0 },
      { node: { kind: 'node', node: 'check' }, n: 1 },
      { node: { kind: 'node', node: 'increment', input: { by: 2 } }, n: 1 },
      { node: { kind: 'node', node: 'check' }, n: 3 },
      { node: { kind: 'end', output: { total: 3 } }, n: 3 },
    ]);
    expect(run.result).toMatchObject({ status: 'ended', output: { total: 3 } });
    expect(run.history).toHaveLength(4);
  });

  it('steps with next(), which returns where the run stands after each node', async () => {
    const run = createCountGraph(countHandlers).iter({ state: start(), deps: { limit: 1 }, input: { by: 1 } });
    expect(await run.next()).toEqual({ kind: 'node', node: 'check' });
    expect(run.state.n).toBe(1);
    expect(await run.next()).toEqual({ kind: 'end', output: { total: 1 } });
    // Once stopped, next() says where.
    expect(await run.next()).toEqual({ kind: 'end', output: { total: 1 } });
    expect((await run.complete()).output).toEqual({ total: 1 });
  });

  it('records each node with its input, its timestamps, a copy of the state after it and where it went', async () => {
    const result = await createCountGraph(countHandlers).run({ state: start(), deps: { limit: 3 }, input: { by: 1 } });
    const history = result.history;
    for (const entry of history) {
      expect(entry.startedAt).toMatch(ISO);
      expect(entry.endedAt).toMatch(ISO);
      expect(entry.endedAt >= entry.startedAt).toBe(true);
    }
    const masked = history.map(({ startedAt: _s, endedAt: _e, ...rest }) => rest);
    expect(masked).toEqual([
      { node: 'increment', input: { by: 1 }, state: { n: 1, trace: ['+1'] }, next: 'check' },
      { node: 'check', state: { n: 1, trace: ['+1'] }, next: 'increment' },
      { node: 'increment', input: { by: 2 }, state: { n: 3, trace: ['+1', '+2'] }, next: 'check' },
      { node: 'check', state: { n: 3, trace: ['+1', '+2'] } },
    ] satisfies Omit<GraphHistoryEntry<CountState>, 'startedAt' | 'endedAt'>[]);
    // Snapshots, not the live state.
    expect(history[0]!.state).not.toBe(result.state);
    result.state.trace.push('later');
    expect(history[3]!.state.trace).toEqual(['+1', '+2']);
  });

  it('hands the handlers the run id, the deps, the input and the signal', async () => {
    const seen: unknown[] = [];
    const signal = new AbortController().signal;
    const graph = countWith({
      increment(ctx, next) {
        seen.push({ runId: ctx.runId, deps: ctx.deps, input: ctx.input, reply: ctx.reply, signal: ctx.signal === signal });
        ctx.state.n += ctx.input.by;
        return next.check();
      },
    });
    await graph.run({ state: start(), deps: { limit: 1 }, input: { by: 1 }, runId: 'ctx', signal });
    expect(seen).toEqual([{ runId: 'ctx', deps: { limit: 1 }, input: { by: 1 }, reply: undefined, signal: true }]);
  });

  it('stops before the next node when its signal is aborted', async () => {
    const controller = new AbortController();
    const graph = countWith({
      increment(ctx, next) {
        ctx.state.n += ctx.input.by;
        controller.abort(new Error('stop here'));
        return next.check();
      },
    });
    const run = graph.iter({ state: start(), deps: { limit: 9 }, input: { by: 1 }, signal: controller.signal });
    await run.next();
    await expect(run.next()).rejects.toThrow('stop here');
    expect(run.history.map((h) => h.node)).toEqual(['increment']);
  });
});

describe('the checks of a run', () => {
  it('checks the state after every node, naming the node and the problems, and does not save it', async () => {
    const store = new MemoryGraphStore();
    const graph = countWith({
      check(ctx, next) {
        if (ctx.state.n >= 3) (ctx.state as { n: unknown }).n = 'three';
        return next.increment({ by: 2 });
      },
    });
    const error = await graph.run({ state: start(), deps: { limit: 9 }, input: { by: 1 }, runId: 'bad-state', persistence: store }).catch((e: unknown) => e);
    expect(GraphValidationError.isInstance(error)).toBe(true);
    const e = error as GraphValidationError;
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toBe('graph count, node check: the state after it is invalid: /n: must be integer');
    expect([e.graph, e.node, e.subject, e.problems.map((p) => p.keyword)]).toEqual(['count', 'check', 'state', ['type']]);
    // The last snapshot is the one before the node: valid, and the node is still to run.
    const snapshot = readGraphSnapshot(await store.load('bad-state'));
    expect(snapshot.status).toBe('running');
    expect(snapshot.next).toEqual({ node: 'check' });
    expect(snapshot.state).toEqual({ n: 3, trace: ['+1', '+2'] });
    expect(snapshot.history.map((h) => h.node)).toEqual(['increment', 'check', 'increment']);
  });

  it('checks the state a run starts with', async () => {
    const graph = createCountGraph(countHandlers);
    await expect(graph.run({ state: { n: -1, trace: [] }, deps: { limit: 1 }, input: { by: 1 } })).rejects.toThrow(
      'graph count: the state the run starts with is invalid: /n: must be >= 0',
    );
  });

  it('checks a node input when its predecessor makes it', async () => {
    const graph = countWith({ check: (_ctx, next) => next.increment({ by: 0 }) });
    const error = (await graph.run({ state: start(), deps: { limit: 9 }, input: { by: 1 } }).catch((e: unknown) => e)) as GraphValidationError;
    expect(GraphValidationError.isInstance(error)).toBe(true);
    expect(error.message).toBe('graph count, node check: the input it made for node increment is invalid: /by: must be >= 1');
    expect([error.node, error.subject]).toEqual(['check', 'input']);
  });

  it('throws the input error inside the handler, where the step is made', async () => {
    const caught: string[] = [];
    const graph = countWith({
      check(ctx, next) {
        try {
          return next.increment({ by: -5 });
        } catch (e) {
          caught.push((e as Error).name);
          return next.end({ total: ctx.state.n });
        }
      },
    });
    const result = await graph.run({ state: start(), deps: { limit: 9 }, input: { by: 1 } });
    expect(caught).toEqual(['GraphValidationError']);
    expect(result.output).toEqual({ total: 1 });
  });

  it('checks the input of the start node', async () => {
    const graph = createCountGraph(countHandlers);
    await expect(graph.run({ state: start(), deps: { limit: 1 }, input: { by: 'one' } as never })).rejects.toThrow(
      'graph count, node increment: the input the run starts it with is invalid: /by: must be integer',
    );
  });

  it('checks the output of an end', async () => {
    const graph = countWith({ check: (_ctx, next) => next.end({ total: 1.5 }) });
    const error = (await graph.run({ state: start(), deps: { limit: 1 }, input: { by: 1 } }).catch((e: unknown) => e)) as GraphValidationError;
    expect(error.message).toBe('graph count, node check: the output it ended with is invalid: /total: must be integer');
    expect(error.subject).toBe('output');
  });

  it('rejects a step to a node that is not among the successors', async () => {
    // The increment node may only go to check: a step made by check's `next` (to increment) is not its own.
    let checkNext: Parameters<CountHandlers<CountDeps>['check']>[1] | undefined;
    const graph = countWith({
      increment(ctx, next) {
        ctx.state.n += ctx.input.by;
        return checkNext ? checkNext.increment({ by: 1 }) : next.check();
      },
      check(_ctx, next) {
        checkNext = next;
        return next.increment({ by: 1 });
      },
    });
    const error = await graph.run({ state: start(), deps: { limit: 9 }, input: { by: 1 } }).catch((e: unknown) => e);
    expect(GraphStepError.isInstance(error)).toBe(true);
    expect((error as GraphStepError).message).toBe(
      'graph count, node increment: its handler returned a step to node increment, which is not among its successors (check)',
    );
    expect((error as GraphStepError).node).toBe('increment');
  });

  it('rejects an end from a node that may not end', async () => {
    let checkNext: Parameters<CountHandlers<CountDeps>['check']>[1] | undefined;
    const graph = countWith({
      increment: (_ctx, next) => (checkNext ? checkNext.end({ total: 0 }) : next.check()),
      check(_ctx, next) {
        checkNext = next;
        return next.increment({ by: 1 });
      },
    });
    await expect(graph.run({ state: start(), deps: { limit: 9 }, input: { by: 1 } })).rejects.toThrow(
      'graph count, node increment: its handler returned a step to the end, which is not among its successors (check)',
    );
  });

  it('rejects a step the handler made up, and anything else that is not a step', async () => {
    const forged = { kind: 'next', node: 'check', input: undefined } as CountStep;
    const forging = countWith({ increment: () => forged });
    const error = await forging.run({ state: start(), deps: { limit: 1 }, input: { by: 1 } }).catch((e: unknown) => e);
    expect(GraphStepError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe(
      'graph count, node increment: its handler returned {"kind":"next","node":"check"}, which is not a step: return next.check(...)',
    );
    const nothing = countWith({ check: () => undefined as unknown as CountStep });
    await expect(nothing.run({ state: start(), deps: { limit: 1 }, input: { by: 1 } })).rejects.toThrow(
      'graph count, node check: its handler returned undefined, which is not a step: return next.increment(...) or next.end(...)',
    );
  });

  it('leaves a run at a node whose handler throws', async () => {
    let fail = true;
    const graph = countWith({
      check(ctx, next) {
        if (fail) throw new Error('flaky');
        return next.end({ total: ctx.state.n });
      },
    });
    const run = graph.iter({ state: start(), deps: { limit: 1 }, input: { by: 1 } });
    await run.next();
    await expect(run.next()).rejects.toThrow('flaky');
    expect(run.nextNode).toEqual({ kind: 'node', node: 'check' });
    fail = false;
    expect(await run.next()).toEqual({ kind: 'end', output: { total: 1 } });
  });

  it('refuses to run two nodes of one run at once', async () => {
    const run = createCountGraph(countHandlers).iter({ state: start(), deps: { limit: 5 }, input: { by: 1 } });
    const first = run.next();
    await expect(run.next()).rejects.toThrow('graph count: run ' + run.runId + ' is already running a node: await each next() before the next one');
    await first;
  });
});

describe('binding handlers to a spec', () => {
  it('names the handler that is missing', () => {
    expect(() => defineGraph(countGraphSpec, { increment: () => undefined })).toThrow('graph count: no handler for node check: pass handlers.check');
    expect(() => defineLazyGraph(countGraphSpec, { increment: () => undefined })).toThrow('graph count: no handler for node check: pass handlers.check');
  });

  it('refuses a spec generated for another runtime', () => {
    expect(() => defineGraph({ ...countGraphSpec, runtime: '^9.0.0' }, countHandlers)).toThrow(
      /graph count was generated for schemantic \^9\.0\.0, but the installed runtime is .*regenerate/,
    );
  });

  it('refuses a spec the runtime cannot run', () => {
    expect(() => defineGraph({ ...countGraphSpec, start: 'nowhere' }, countHandlers)).toThrow('graph count: the start node nowhere is not one of its nodes');
    const nodes = countGraphSpec.nodes.map((n) => (n.name === 'increment' ? { ...n, next: [{ node: 'gone' }] } : n));
    expect(() => defineGraph({ ...countGraphSpec, nodes }, countHandlers)).toThrow('graph count: node increment goes to gone, which is not one of its nodes');
  });

  it('says what is wrong when the validators do not load, and tries again on the next run', async () => {
    let attempts = 0;
    const spec = {
      ...countGraphSpec,
      validators: async () => {
        attempts += 1;
        if (attempts === 1) throw Object.assign(new Error('Cannot find module ./validators/graphs/count.js'), { code: 'ERR_MODULE_NOT_FOUND' });
        return countGraphSpec.validators();
      },
    };
    const graph = defineGraph<CountState, CountDeps, { total: number }, { by: number }>(spec, countHandlers);
    await expect(graph.run({ state: start(), deps: { limit: 1 }, input: { by: 1 } })).rejects.toThrow(
      /^cannot load the validators of graph count: Cannot find module .*"allowJs": true/,
    );
    expect((await graph.run({ state: start(), deps: { limit: 1 }, input: { by: 1 } })).output).toEqual({ total: 1 });
  });
});

describe('graphs of schemantic/define', () => {
  it('run, step and resume as the main entry graphs do', async () => {
    const graph = defineLazyGraph<CountState, CountDeps, { total: number }, { by: number }>(countGraphSpec, countHandlers);
    expect(graph).not.toBeInstanceOf(Graph);
    expect(graph.name).toBe('count');
    const run = graph.iter({ state: start(), deps: { limit: 3 }, input: { by: 1 }, runId: 'lazy' });
    expect(run.runId).toBe('lazy');
    const nodes: GraphNode[] = [];
    for await (const node of run) nodes.push(node);
    expect(nodes.map((n) => (n.kind === 'end' ? 'end' : n.node))).toEqual(['increment', 'check', 'increment', 'check', 'end']);
    expect(run.result?.output).toEqual({ total: 3 });
    expect((await graph.run({ state: start(), deps: { limit: 5 }, input: { by: 1 } })).output).toEqual({ total: 5 });
  });
});
