/**
 * Servers started over stdio are child processes. One that outlives its client keeps running
 * after the app is gone (an `agent`-lifetime connection is open until `close()`, which an app
 * that exits early never calls), so one hook, installed with the first child, kills every child
 * still running when the process exits. The hook is synchronous, as `exit` handlers must be.
 */
interface Host {
  process?: { once?(event: 'exit', listener: () => void): unknown; kill?(pid: number): unknown };
}

const running = new Set<number>();
let hooked = false;

/** Kills `pid` when the process exits, unless the returned function is called first. */
export function killOnExit(pid: number): () => void {
  const host = (globalThis as Host).process;
  if (!hooked && host?.once && host.kill) {
    hooked = true;
    const kill = host.kill.bind(host);
    host.once('exit', () => {
      for (const child of running) {
        try {
          kill(child);
        } catch {
          // Already gone.
        }
      }
    });
  }
  running.add(pid);
  return () => void running.delete(pid);
}
