/**
 * `schemantic trace` on the command line: its help, its flags checked before anything listens,
 * a taken port said in one line, and the built command as a user runs it: what it prints on
 * start, a line per run received, each refusal said once, and a clean exit on SIGTERM.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../../codegen/cli/main.js';
import { captureIo } from '../../helpers/io.js';
import { send, weatherRun } from './otlp-fixtures.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');
const bin = path.join(root, 'codegen/bin/schemantic.js');
// A folder without a configuration, so that the project's own does not matter.
const cwd = mkdtempSync(path.join(os.tmpdir(), 'schemantic-trace-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

describe('schemantic trace', () => {
  it('is listed, and answers --help', async () => {
    const io = captureIo();
    expect(await main(['--help'], io, cwd)).toBe(0);
    expect(io.stdout.join('\n')).toMatch(/^ {2}trace +Receive the traces of agent runs \(OTLP\/HTTP\) and show them in a local web page$/m);
    const help = captureIo();
    expect(await main(['trace', '--help'], help, cwd)).toBe(0);
    expect(help.stdout[0]).toMatch(/^Usage: schemantic trace \[--port N\] \[--host ADDRESS\] \[--max-traces N\]\n/);
    expect(help.stdout[0]).toContain('OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318');
  });

  it.each([
    [['--host', '0.0.0.0'], '--host must be a loopback address (127.0.0.1, ::1 or localhost), not "0.0.0.0": the spans hold prompts and tool results'],
    [['--host', 'example.com'], '--host must be a loopback address (127.0.0.1, ::1 or localhost), not "example.com": the spans hold prompts and tool results'],
    [['--port', '65536'], '--port must be a number from 0 to 65535, not "65536"'],
    [['--port', 'http'], '--port must be a number from 0 to 65535, not "http"'],
    [['--max-traces', '0'], '--max-traces must be a number from 1 to 1000000, not "0"'],
  ])('refuses %j as bad usage (exit 2)', async (args, message) => {
    const io = captureIo();
    expect(await main(['trace', ...args], io, cwd)).toBe(2);
    expect(io.stderr).toEqual([`schemantic trace: ${message}`]);
    expect(io.stdout).toEqual([]);
  });

  it('says in one line that the port is taken, and exits 1', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const io = captureIo();
      expect(await main(['trace', '--port', String(port)], io, cwd)).toBe(1);
      expect(io.stderr).toEqual([`schemantic trace: 127.0.0.1:${port} is already in use (another collector?); choose another port with --port`]);
    } finally {
      blocker.close();
    }
  });

  it('runs as built: prints where to look and where to send, a line per run, each refusal once, and stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, [bin, 'trace', '--port', '0', '--max-traces', '5'], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    const waitFor = (pattern: RegExp, stream: () => string) =>
      new Promise<RegExpMatchArray>((resolve, reject) => {
        const check = () => {
          const match = stream().match(pattern);
          if (match) resolve(match);
        };
        child.stdout.on('data', check);
        child.stderr.on('data', check);
        child.on('exit', () => reject(new Error(`exited before ${pattern}: ${stdout}${stderr}`)));
        check();
      });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const [, url, port] = await waitFor(/Ctrl-C to stop\n/, () => stdout).then(() => stdout.match(/viewer at (http:\/\/127\.0\.0\.1:(\d+))\//)!);
      expect(stdout).toBe(
        [
          `schemantic trace: viewer at ${url}/`,
          `schemantic trace: receiving OTLP/HTTP JSON at ${url}/v1/traces; in the app's environment:`,
          `  OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:${port}`,
          '  OTEL_EXPORTER_OTLP_PROTOCOL=http/json',
          'schemantic trace: keeping the last 5 runs in memory; Ctrl-C to stop',
          '',
        ].join('\n'),
      );
      expect((await send(url!, { body: weatherRun().body })).status).toBe(200);
      await waitFor(/invoke_agent weather/, () => stdout);
      expect(stdout.split('\n').at(-2)).toBe('schemantic trace: invoke_agent weather: 6 spans, 900 ms, 190 tokens, 1 error');
      for (let i = 0; i < 2; i++)
        expect((await send(url!, { body: Buffer.from([0x0a]), headers: { 'content-type': 'application/x-protobuf' } })).status).toBe(415);
      expect((await send(url!, { path: '/api/traces', headers: { host: 'rebound.example' } })).status).toBe(421);
      await waitFor(/rebound\.example/, () => stderr);
      expect(stderr.split('\n')).toEqual([
        expect.stringMatching(
          /^schemantic trace: refused a request \(415\): schemantic trace reads the OTLP\/HTTP JSON encoding only; set OTEL_EXPORTER_OTLP_PROTOCOL=http\/json/,
        ),
        'schemantic trace: refused a request (421): this server answers only requests addressed to localhost, 127.0.0.1 or [::1], not "rebound.example"',
        '',
      ]);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(stdout.split('\n').at(-2)).toBe('schemantic trace: stopped (1 run received)');
    } finally {
      child.kill('SIGKILL');
    }
  });
});
