/**
 * A run that stops at a node waiting for an outside value (the question graph waits for the
 * user's answer), and its resume with the reply: checked against the node's schema, given to the
 * node as ctx.reply, recorded in the history. And what a resume refuses.
 */
import { describe, expect, it } from 'vitest';
import { GraphResumeError, GraphSnapshotError, GraphValidationError, MemoryGraphStore, UserError, type GraphNode } from 'schemantic';
import { countHandlers, createCountGraph, createQuestionGraph, freshQuestionState, questionDeps, questionHandlers } from './graphs.js';

const question = () => createQuestionGraph(questionHandlers);
const masked = (history: readonly { startedAt: string; endedAt: string }[]) => history.map(({ startedAt: _s, endedAt: _e, ...rest }) => rest);

describe('a node that waits for a reply', () => {
  it('stops the run there, with its snapshot saved', async () => {
    const store = new MemoryGraphStore();
    const result = await question().run({ state: freshQuestionState(), deps: questionDeps, runId: 'q1', persistence: store });
    expect(result).toMatchObject({
      status: 'waiting',
      runId: 'q1',
      waitingAt: { node: 'answer', input: { question: 'What is 2 + 2?' } },
      state: { question: 'What is 2 + 2?', answers: [], attempts: 0 },
    });
    expect(result.output).toBeUndefined();
    expect(masked(result.history)).toEqual([{ node: 'ask', state: { question: 'What is 2 + 2?', answers: [], attempts: 0 }, next: 'answer' }]);
    const snapshot = await store.load('q1');
    expect(snapshot).toMatchObject({
      format: 'schemantic.graph-run',
      version: 1,
      graph: 'question',
      runId: 'q1',
      status: 'waiting',
      next: { node: 'answer', input: { question: 'What is 2 + 2?' } },
    });
  });

  it('is where iter() stops', async () => {
    const run = question().iter({ state: freshQuestionState(), deps: questionDeps });
    const nodes: GraphNode[] = [];
    for await (const node of run) nodes.push(node);
    expect(nodes).toEqual([
      { kind: 'node', node: 'ask' },
      { kind: 'waiting', node: 'answer', input: { question: 'What is 2 + 2?' } },
    ]);
    expect(run.result?.status).toBe('waiting');
  });

  it('resumes with the reply, until the run waits again or ends', async () => {
    const store = new MemoryGraphStore();
    const graph = question();
    await graph.run({ state: freshQuestionState(), deps: questionDeps, runId: 'q2', persistence: store });

    const wrong = await graph.resume('q2', { deps: questionDeps, persistence: store, reply: '5' });
    expect(wrong.status).toBe('waiting');
    expect(wrong.state).toEqual({ question: 'What is 2 + 2?', answers: ['5'], attempts: 1 });
    expect(wrong.history.map((h) => h.node)).toEqual(['ask', 'answer', 'evaluate', 'reprimand', 'ask']);

    const right = await graph.resume('q2', { deps: questionDeps, persistence: store, reply: '4' });
    expect(right.status).toBe('ended');
    expect(right.output).toEqual({ correct: true, attempts: 2 });
    expect(masked(right.history)).toEqual([
      { node: 'ask', state: { question: 'What is 2 + 2?', answers: [], attempts: 0 }, next: 'answer' },
      {
        node: 'answer',
        input: { question: 'What is 2 + 2?' },
        reply: '5',
        state: { question: 'What is 2 + 2?', answers: ['5'], attempts: 0 },
        next: 'evaluate',
      },
      { node: 'evaluate', input: { answer: '5' }, state: { question: 'What is 2 + 2?', answers: ['5'], attempts: 0 }, next: 'reprimand' },
      { node: 'reprimand', input: { comment: '"5" is wrong' }, state: { question: 'What is 2 + 2?', answers: ['5'], attempts: 1 }, next: 'ask' },
      { node: 'ask', state: { question: 'What is 2 + 2?', answers: ['5'], attempts: 1 }, next: 'answer' },
      {
        node: 'answer',
        input: { question: 'What is 2 + 2?' },
        reply: '4',
        state: { question: 'What is 2 + 2?', answers: ['5', '4'], attempts: 1 },
        next: 'evaluate',
      },
      { node: 'evaluate', input: { answer: '4' }, state: { question: 'What is 2 + 2?', answers: ['5', '4'], attempts: 1 } },
    ]);
    expect(await store.load('q2')).toMatchObject({ status: 'ended', output: { correct: true, attempts: 2 } });
    expect((await store.load('q2'))?.next).toBeUndefined();
  });

  it('checks the reply against its schema, and leaves the run waiting when it is wrong', async () => {
    const store = new MemoryGraphStore();
    const graph = question();
    await graph.run({ state: freshQuestionState(), deps: questionDeps, runId: 'q3', persistence: store });
    const error = await graph.resume('q3', { deps: questionDeps, persistence: store, reply: '' }).catch((e: unknown) => e);
    expect(GraphValidationError.isInstance(error)).toBe(true);
    expect((error as GraphValidationError).message).toBe(
      'graph question, node answer: the reply it was resumed with is invalid: must NOT have fewer than 1 characters',
    );
    expect([(error as GraphValidationError).node, (error as GraphValidationError).subject]).toEqual(['answer', 'reply']);
    await expect(graph.resume('q3', { deps: questionDeps, persistence: store, reply: { text: '4' } })).rejects.toThrow('must be string');
    expect((await store.load('q3'))?.status).toBe('waiting');
    expect((await graph.resume('q3', { deps: questionDeps, persistence: store, reply: '4' })).status).toBe('ended');
  });

  it('needs a reply to resume', async () => {
    const store = new MemoryGraphStore();
    const graph = question();
    await graph.run({ state: freshQuestionState(), deps: questionDeps, runId: 'q4', persistence: store });
    const error = await graph.resume('q4', { deps: questionDeps, persistence: store }).catch((e: unknown) => e);
    expect(GraphResumeError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe('graph question, node answer: run q4 waits here for a reply: pass it as resume(runId, { reply })');
  });
});

describe('what a resume refuses', () => {
  it('a run that has ended', async () => {
    const store = new MemoryGraphStore();
    const graph = question();
    await graph.run({ state: freshQuestionState(), deps: questionDeps, runId: 'done', persistence: store });
    await graph.resume('done', { deps: questionDeps, persistence: store, reply: '4' });
    const error = await graph.resume('done', { deps: questionDeps, persistence: store, reply: '4' }).catch((e: unknown) => e);
    expect(GraphResumeError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe('graph question: run done has ended: there is nothing to resume');
  });

  it('a run that is not stored', async () => {
    await expect(question().resume('nobody', { deps: questionDeps, persistence: new MemoryGraphStore(), reply: '4' })).rejects.toThrow(
      'graph question: there is no run nobody to resume',
    );
  });

  it("another graph's run", async () => {
    const store = new MemoryGraphStore();
    await question().run({ state: freshQuestionState(), deps: questionDeps, runId: 'mixed', persistence: store });
    const error = await createCountGraph(countHandlers)
      .resume('mixed', { deps: { limit: 1 }, persistence: store })
      .catch((e: unknown) => e);
    expect(GraphSnapshotError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe('graph count: run mixed is a run of graph question');
  });

  it('a reply for a run that waits for none, which otherwise goes on from where its process stopped', async () => {
    const store = new MemoryGraphStore();
    let crash = true;
    const graph = createCountGraph({
      ...countHandlers,
      check(ctx, next) {
        if (crash) throw new Error('process died');
        return countHandlers.check(ctx, next);
      },
    });
    await expect(graph.run({ state: { n: 0, trace: [] }, deps: { limit: 3 }, input: { by: 1 }, runId: 'c1', persistence: store })).rejects.toThrow(
      'process died',
    );
    expect(await store.load('c1')).toMatchObject({ status: 'running', next: { node: 'check' }, state: { n: 1 } });
    crash = false;
    await expect(graph.resume('c1', { deps: { limit: 3 }, persistence: store, reply: 'hello' })).rejects.toThrow(
      'graph count, node check: run c1 resumes here, and this node waits for no reply',
    );
    const result = await graph.resume('c1', { deps: { limit: 3 }, persistence: store });
    expect(result).toMatchObject({ status: 'ended', output: { total: 3 }, state: { n: 3, trace: ['+1', '+2'] } });
    expect(result.history.map((h) => h.node)).toEqual(['increment', 'check', 'increment', 'check']);
  });

  it('starting a run under the id of a stored one', async () => {
    const store = new MemoryGraphStore();
    const graph = question();
    await graph.run({ state: freshQuestionState(), deps: questionDeps, runId: 'taken', persistence: store });
    const error = await graph.run({ state: freshQuestionState(), deps: questionDeps, runId: 'taken', persistence: store }).catch((e: unknown) => e);
    expect(UserError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe('graph question: a run taken is stored already: resume it, or start this run under another id');
  });

  it('a stored state that fails the state schema', async () => {
    const store = new MemoryGraphStore();
    const graph = question();
    await graph.run({ state: freshQuestionState(), deps: questionDeps, runId: 'tampered', persistence: store });
    const snapshot = (await store.load('tampered'))!;
    await store.save('tampered', { ...snapshot, state: { ...(snapshot.state as object), attempts: -3 } });
    const error = await graph.resume('tampered', { deps: questionDeps, persistence: store, reply: '4' }).catch((e: unknown) => e);
    expect(GraphSnapshotError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe('graph question: the stored state of run tampered is invalid: /attempts: must be >= 0');
  });

  it('a stored input for a node that takes none', async () => {
    const store = new MemoryGraphStore();
    const graph = question();
    await graph.run({ state: freshQuestionState(), deps: questionDeps, runId: 'forged-input', persistence: store });
    const snapshot = (await store.load('forged-input'))!;
    // A run stopped between nodes, at `ask` (made with no input), with an input forged into the snapshot.
    await store.save('forged-input', { ...snapshot, status: 'running', next: { node: 'ask', input: { question: 'injected' } } });
    let asked = false;
    const forged = createQuestionGraph({
      ...questionHandlers,
      ask(ctx, next) {
        asked = true;
        return questionHandlers.ask(ctx, next);
      },
    });
    const error = await forged.resume('forged-input', { deps: questionDeps, persistence: store }).catch((e: unknown) => e);
    expect(GraphSnapshotError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe('graph question, node ask: the stored run forged-input gives this node an input, and it is made with none');
    expect(asked).toBe(false);
  });

  it('a stored input that fails the node input schema', async () => {
    const store = new MemoryGraphStore();
    const graph = question();
    await graph.run({ state: freshQuestionState(), deps: questionDeps, runId: 'tampered-input', persistence: store });
    const snapshot = (await store.load('tampered-input'))!;
    await store.save('tampered-input', { ...snapshot, next: { node: 'answer', input: { question: 42 } } });
    await expect(graph.resume('tampered-input', { deps: questionDeps, persistence: store, reply: '4' })).rejects.toThrow(
      'graph question, node answer: the stored input of run tampered-input is invalid: /question: must be string',
    );
  });
});
