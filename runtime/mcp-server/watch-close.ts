/**
 * When a connection served by the SDK's `serveStdio` ends. That entry takes the transport over
 * (it sets the transport's callbacks itself) and says nothing when the client goes away, so the
 * transport's `onclose` is wrapped: whatever handler the SDK sets runs, and then ours.
 */
import type { Transport } from '@modelcontextprotocol/server';

/**
 * `transport`, with `closed` resolving once it has closed (the client left, or it was closed);
 * `settle` resolves it by hand, for a close that the transport does not report.
 */
export function watchClose(transport: Transport): { transport: Transport; closed: Promise<void>; settle: () => void } {
  let done!: () => void;
  const closed = new Promise<void>((resolve) => (done = resolve));
  let handler: (() => void) | undefined;
  const fire = () => {
    try {
      handler?.();
    } finally {
      done();
    }
  };
  Object.defineProperty(transport, 'onclose', {
    configurable: true,
    enumerable: true,
    get: () => fire,
    set: (value: (() => void) | undefined) => {
      handler = value;
    },
  });
  return { transport, closed, settle: done };
}
