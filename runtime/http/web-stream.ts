/**
 * The web side of the transport: a `Response` whose body streams SSE text, pulled as the client
 * reads, and the cancellation both transports share (web here, Node's in node.ts).
 */
/** SSE text, made from a signal that aborts when the client has gone. */
export type FrameSource = (signal: AbortSignal) => AsyncIterable<string>;

/**
 * A web Response streaming the text of `frames`. The body pulls, and holds nothing in advance
 * (high-water mark 0): the run starts when the body is first read and goes no faster than the
 * client reads. Cancelling the body aborts the signal and ends the iteration.
 */
export function sseResponse(frames: FrameSource, headers: Headers): Response {
  const controller = new AbortController();
  const encoder = new TextEncoder();
  let iterator: AsyncIterator<string> | undefined;
  const source = {
    async pull(stream: ReadableStreamDefaultController<Uint8Array>) {
      iterator ??= frames(controller.signal)[Symbol.asyncIterator]();
      const step = await untilAborted(iterator.next(), controller.signal);
      // Cancelled while waiting: the stream is closed, and enqueueing would throw.
      if (step === undefined) return;
      if (step.done) stream.close();
      else stream.enqueue(encoder.encode(step.value));
    },
    cancel() {
      stop(controller, iterator);
    },
  };
  return new Response(new ReadableStream<Uint8Array>(source, { highWaterMark: 0 }), { status: 200, headers });
}

/** Aborts the run and ends the iteration (not awaited: a source may settle only at its next event). */
export function stop(controller: AbortController, iterator: AsyncIterator<string> | undefined): void {
  controller.abort();
  iterator?.return?.().catch(() => undefined);
}

/** The value of `promise`, or undefined as soon as `signal` aborts (a later rejection is ignored). */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | undefined> {
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.resolve(undefined);
  }
  return new Promise<T | undefined>((resolve, reject) => {
    const onAbort = () => resolve(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(signal.aborted ? undefined : value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) resolve(undefined);
        else reject(err);
      },
    );
  });
}
