/**
 * A provider's stream events, given up on when nothing arrives for a while: an SDK's stream that
 * stalls (the server stops sending without closing) would otherwise hang the run for good.
 */
import { ModelAPIError } from '../../contract/errors.js';

/**
 * Yields `events` until they end; when `idleMs` pass with nothing new, calls `abort` (to close
 * the connection) and throws a ModelAPIError saying the stream stalled.
 */
export async function* untilIdle<T>(events: AsyncIterator<T>, idleMs: number, modelName: string, abort: () => void): AsyncGenerator<T> {
  for (;;) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stall = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        abort();
        const wait = idleMs >= 1000 ? `${Math.round(idleMs / 1000)} s` : `${idleMs} ms`;
        reject(new ModelAPIError(modelName, `the stream from model ${modelName} stalled: nothing arrived for ${wait}`));
      }, idleMs);
    });
    let step: IteratorResult<T>;
    try {
      step = await Promise.race([events.next(), stall]);
    } finally {
      clearTimeout(timer);
    }
    if (step.done) return;
    yield step.value;
  }
}
