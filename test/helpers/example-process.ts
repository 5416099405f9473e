/**
 * Runs an example script as `npm run example:<name>` runs it (Node with tsx, from the repository
 * root), in a child process, with no provider configured unless the test says so: no `*_API_KEY`,
 * `*_BASE_URL`, `SCHEMANTIC_MODEL` or `DATABASE_URL` from the test's own environment.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** What a finished example printed, and how it exited. */
export interface ExampleRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link runExample}. */
export interface RunExampleOptions {
  /** Variables set for the child (after the provider and database ones are taken out). */
  env?: Record<string, string>;
  /** Text written to its stdin, then closed (default: stdin is closed at once). */
  input?: string;
}

/** The test's environment without any provider or database configured. */
export function envWithoutServices(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !/_API_KEY$|_BASE_URL$|^SCHEMANTIC_MODEL$|^DATABASE_URL$/.test(k)));
}

/** Runs `script` (a path from the repository root) under tsx with `args`, to its end. */
export function runExample(script: string, args: readonly string[] = [], options: RunExampleOptions = {}): Promise<ExampleRun> {
  return runToEnd(process.execPath, ['--import', 'tsx', script, ...args], options);
}

/** Runs `npm run --silent <name> -- <args>`, the command a user types, to its end. */
export function runNpmScript(name: string, args: readonly string[] = [], options: RunExampleOptions = {}): Promise<ExampleRun> {
  return runToEnd('npm', ['run', '--silent', name, '--', ...args], options);
}

function runToEnd(command: string, args: readonly string[], options: RunExampleOptions): Promise<ExampleRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      env: { ...envWithoutServices(), ...options.env },
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    if (options.input !== undefined) child.stdin!.end(options.input);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
