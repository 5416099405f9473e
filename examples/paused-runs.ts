/**
 * Where examples/server.ts keeps runs that wait for a decision: on the server, in a
 * MemoryPausedRunStore (a database table in a real app), by a key the server chose (a run id it
 * made, or a chat's id). A browser only ever holds the key and sends its decisions.
 */
import { MemoryPausedRunStore, type AgentRunEvent, type PausedRun } from 'schemantic';

/** Paused runs by key, each resumed at most once. */
export class PausedRuns {
  private readonly store = new MemoryPausedRunStore();
  /** The operation in progress on each key: one at a time, so that two requests cannot both resume a run. */
  private readonly busy = new Map<string, Promise<unknown>>();

  /**
   * The events of a run, passed on; when it ends paused, its paused state is stored under `key`
   * first, so that it can be resumed as soon as the client reads that it paused. A resume passes
   * the run it took (`taken`): if the resume is refused before it does anything (its contract
   * changed, say), that run goes back to the store, nothing lost. Once the resume produced an event
   * an approved call may have run, so the old state is not put back (it would run the call again).
   */
  async *keeping(
    key: string,
    events: AsyncIterable<AgentRunEvent<unknown>>,
    taken?: { key: string; paused: PausedRun },
  ): AsyncGenerator<AgentRunEvent<unknown>> {
    let started = false;
    try {
      for await (const event of events) {
        started = true;
        const paused = event.kind === 'run-result' ? event.result.paused() : undefined;
        if (paused) await this.exclusive(key, () => this.store.save(key, paused));
        yield event;
      }
    } catch (err) {
      if (taken && !started) await this.exclusive(taken.key, () => this.store.save(taken.key, taken.paused));
      throw err;
    }
  }

  /**
   * Takes the run stored under `key` out of the store, once `read` has read the client's answers
   * from it (if `read` throws, the run stays stored, for a better request). Undefined when no run
   * waits under `key` (never stored, or resumed already).
   */
  take<T>(key: string, read: (paused: PausedRun) => T): Promise<{ paused: PausedRun; answers: T } | undefined> {
    return this.exclusive(key, async () => {
      const paused = await this.store.load(key);
      if (!paused) return undefined;
      const answers = read(paused);
      await this.store.delete(key);
      return { paused, answers };
    });
  }

  /** Forgets the run under `key` (a conversation that moved on). */
  forget(key: string): Promise<void> {
    return this.exclusive(key, () => this.store.delete(key));
  }

  /** Runs `fn` once the operations on `key` before it have settled. */
  private exclusive<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const result = (this.busy.get(key) ?? Promise.resolve()).then(fn);
    const settled = result.catch(() => undefined);
    this.busy.set(key, settled);
    void settled.then(() => {
      if (this.busy.get(key) === settled) this.busy.delete(key);
    });
    return result;
  }
}
