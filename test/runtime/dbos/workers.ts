/**
 * Worker processes of the durable-run tests: the fixtures in ./fixtures, run in plain Node on the
 * built runtime (test/global-setup.ts builds it), as a user's app runs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

/** The workers started and not yet exited. */
const live = new Set<ChildProcess>();

/** A running worker. */
export interface Worker {
  readonly process: ChildProcess;
  /** Resolves with the first stdout line that starts with `prefix` (the rest of the line). */
  line(prefix: string): Promise<string>;
  /** Resolves when the process exits: its exit code or signal, and what it wrote. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/** Starts `fixtures/<script>` with its config as a JSON argument. */
export function startWorker(script: string, config: object): Worker {
  const child = spawn(process.execPath, [script, JSON.stringify(config)], { cwd: fixtures, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  child.on('exit', () => live.delete(child));
  let stdout = '';
  let stderr = '';
  const waiting: { prefix: string; resolve: (rest: string) => void }[] = [];
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    for (const w of [...waiting]) {
      const found = stdout.split('\n').find((l) => l.startsWith(w.prefix));
      if (found !== undefined) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve(found.slice(w.prefix.length).trim());
      }
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return {
    process: child,
    exited,
    line: (prefix) =>
      new Promise<string>((resolve, reject) => {
        const found = stdout.split('\n').find((l) => l.startsWith(prefix));
        if (found !== undefined) return resolve(found.slice(prefix.length).trim());
        waiting.push({ prefix, resolve });
        void exited.then((e) => reject(new Error(`worker ${script} exited (${e.code ?? e.signal}) before printing ${prefix}:\n${e.stderr}`)));
      }),
  };
}

/** Runs a worker to its end: its RESULT line (parsed), or undefined when it printed none (killed). */
export async function runWorker(
  script: string,
  config: object,
): Promise<{ result: Record<string, unknown> | undefined; signal: NodeJS.Signals | null; code: number | null; stderr: string }> {
  const { code, signal, stdout, stderr } = await startWorker(script, config).exited;
  const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
  return { result: line ? (JSON.parse(line.slice('RESULT '.length)) as Record<string, unknown>) : undefined, signal, code, stderr };
}

/**
 * Kills the workers still running, for a file's afterAll: a test that failed or timed out leaves
 * its workers behind (one recovering a run that waits for a decision waits a week).
 */
export async function killWorkers(): Promise<void> {
  await Promise.all(
    [...live].map(
      (child) =>
        new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          if (!child.kill('SIGKILL')) resolve();
        }),
    ),
  );
}
