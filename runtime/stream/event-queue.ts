/**
 * A queue between code that pushes events as things happen (tool calls running concurrently) and
 * a generator that yields them, in order, as they come.
 */

/** Events pushed by a task, yielded until the task settles. */
export class EventQueue<T> {
  private readonly items: T[] = [];
  private wake: (() => void) | undefined;

  /** Adds an event (never blocks: the task goes on). */
  readonly push = (item: T): void => {
    this.items.push(item);
    this.wake?.();
  };

  /** Yields every event pushed, until `task` has settled and the queue is empty; then returns the task's value (or throws its error). */
  async *until<R>(task: Promise<R>): AsyncGenerator<T, R> {
    let settled = false;
    const done = task.then(
      () => (settled = true),
      () => (settled = true),
    );
    for (;;) {
      while (this.items.length > 0) yield this.items.shift()!;
      if (settled) return await task;
      await Promise.race([done, new Promise<void>((resolve) => (this.wake = resolve))]);
      this.wake = undefined;
    }
  }
}
