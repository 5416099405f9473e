/**
 * Running the built `schemantic` command (and the MCP Inspector's CLI) as child processes, for
 * the tests of `schemantic serve`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');
export const bin = path.join(root, 'codegen/bin/schemantic.js');
export const fixture = (name: string) => path.join(root, 'test/codegen/serve/fixtures', name);

/** What a process printed, and how it ended. */
export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end (its stdin closed at once). */
export function run(command: string, args: readonly string[], options: { cwd?: string } = {}): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd ?? root, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end();
  });
}

/** `schemantic serve ...` run to its end. */
export function serve(args: readonly string[]): Promise<Finished> {
  return run(process.execPath, [bin, 'serve', ...args]);
}

/**
 * The MCP Inspector's CLI (v1) against a server. It reads its own package.json through a path
 * relative to the working directory (`../package.json`), so it runs from a folder one level under
 * the workspace root, where that path exists.
 */
export function inspector(args: readonly string[]): Promise<Finished> {
  const cli = path.join(root, 'node_modules/@modelcontextprotocol/inspector-cli/build/cli.js');
  return run(process.execPath, [cli, '--cli', ...args], { cwd: path.join(root, 'codegen') });
}

/** A long-running `schemantic serve --http`, once it says where it listens. */
export interface HttpServe {
  child: ChildProcess;
  url: string;
  stderr: () => string;
  /** Sends SIGTERM and waits for the exit. */
  stop(): Promise<number | null>;
}

/** Starts `schemantic serve --http ...` and waits for its URL on stderr. */
export function serveHttp(args: readonly string[]): Promise<HttpServe> {
  const child = spawn(process.execPath, [bin, 'serve', '--http', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  let stderr = '';
  let stdout = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      const url = /at (http:\/\/\S+); Ctrl-C to stop/.exec(stderr)?.[1];
      if (url) resolve({ child, url, stderr: () => stderr, stop: () => (child.kill('SIGTERM'), exited) });
    });
    void exited.then((code) => reject(new Error(`schemantic serve exited (${code}) before listening: ${stdout}${stderr}`)));
  });
}
