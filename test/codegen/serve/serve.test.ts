/**
 * `schemantic serve --mcp ENTRY` on the command line: its help, its flags checked before anything
 * loads, clear errors for an ENTRY that is missing, fails to load or exports the wrong thing, and
 * the built command serving an ENTRY: over stdio to the MCP Inspector's CLI and to the SDK's
 * client (stdout carrying the protocol only), and over HTTP until SIGTERM, with a taken port said
 * in one line.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../../codegen/cli/main.js';
import { captureIo } from '../../helpers/io.js';
import { bin, fixture, inspector, root, serve, serveHttp } from './cli-process.js';

// A folder without a configuration, so that the project's own does not matter.
const cwd = mkdtempSync(path.join(os.tmpdir(), 'schemantic-serve-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

const weatherEntry = fixture('weather-entry.ts');

describe('schemantic serve', () => {
  it('is listed, and answers --help with the ENTRY shape', async () => {
    const io = captureIo();
    expect(await main(['--help'], io, cwd)).toBe(0);
    expect(io.stdout.join('\n')).toMatch(/^ {2}serve +Serve the agents and tools of an app module over MCP \(stdio, or HTTP on 127\.0\.0\.1\)$/m);
    const help = captureIo();
    expect(await main(['serve', '--help'], help, cwd)).toBe(0);
    expect(help.stdout[0]).toMatch(/^Usage: schemantic serve --mcp ENTRY \[--http\] \[--port N\] \[--host ADDRESS\]\n/);
    expect(help.stdout[0]).toContain('agents: { weather: createWeatherAgent({ tools: weatherTools }) },');
    expect(help.stdout[0]).toContain('{ "command": "npx", "args": ["schemantic", "serve", "--mcp", "mcp.ts"] }');
  });

  it.each([
    [[], '--mcp ENTRY is required: the module that exports the agents and tools to serve (see --help)'],
    [['--mcp', 'mcp.ts', '--port', '3001'], '--port and --host go with --http (stdio listens on nothing)'],
    [['--mcp', 'mcp.ts', '--http', '--port', '70000'], '--port must be a number from 0 to 65535, not "70000"'],
    [
      ['--mcp', 'mcp.ts', '--http', '--host', '0.0.0.0'],
      '--host must be a loopback address (127.0.0.1, ::1 or localhost), not "0.0.0.0": the server has no authentication',
    ],
  ])('refuses %j as bad usage (exit 2)', async (args, message) => {
    const io = captureIo();
    expect(await main(['serve', ...args], io, cwd)).toBe(2);
    expect(io.stderr).toEqual([`schemantic serve: ${message}`]);
    expect(io.stdout).toEqual([]);
  });

  it('says what is wrong with an ENTRY that is missing, fails to load, or exports the wrong thing (exit 1)', async () => {
    const [missing, throws, wrongExport, notAnAgent] = await Promise.all([
      serve(['--mcp', 'test/codegen/serve/fixtures/nope.ts']),
      serve(['--mcp', 'test/codegen/serve/fixtures/throws.ts']),
      serve(['--mcp', 'test/codegen/serve/fixtures/wrong-export.ts']),
      serve(['--mcp', 'test/codegen/serve/fixtures/not-an-agent.ts']),
    ]);
    expect(missing).toEqual({
      code: 1,
      stdout: '',
      stderr: `schemantic serve: cannot find the ENTRY module test/codegen/serve/fixtures/nope.ts (looked for ${fixture('nope.ts')})\n`,
    });
    expect(throws).toEqual({ code: 1, stdout: '', stderr: 'schemantic serve: cannot load test/codegen/serve/fixtures/throws.ts: DATABASE_URL is not set\n' });
    expect(wrongExport).toMatchObject({ code: 1, stdout: '' });
    expect(wrongExport.stderr).toBe(
      'schemantic serve: test/codegen/serve/fixtures/wrong-export.ts exports neither `mcp` nor a default (it exports agents); it should export `mcp` (or a default export): ' +
        'the options of createMcpServer from schemantic/mcp/server ({ name, agents: { weather: createWeatherAgent({ tools }) }, tools: [...], deps, context }), ' +
        'a server made with createMcpServer, or a function (async or not) returning either\n',
    );
    expect(notAnAgent).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'schemantic serve: test/codegen/serve/fixtures/not-an-agent.ts: its `mcp` export: agents.weather is not an agent (make it with a generated create<Name>Agent factory, agent() or defineAgent)\n',
    });
  });
});

describe('schemantic serve over stdio', () => {
  it('answers the MCP Inspector CLI: tools/list, and tools/call of the agent and of a tool', async () => {
    const command = [process.execPath, bin, 'serve', '--mcp', weatherEntry];
    const [list, agentCall, invalid] = await Promise.all([
      inspector([...command, '--method', 'tools/list']),
      inspector([...command, '--method', 'tools/call', '--tool-name', 'weather', '--tool-arg', 'prompt=Weather in London?']),
      inspector([...command, '--method', 'tools/call', '--tool-name', 'get_weather', '--tool-arg', 'lat=north', 'lng=2']),
    ]);
    expect(list.code, list.stderr).toBe(0);
    const { tools } = JSON.parse(list.stdout) as { tools: { name: string; inputSchema: { required: string[] }; outputSchema?: object }[] };
    expect(tools.map((t) => t.name)).toEqual(['weather', 'get_lat_lng', 'get_weather']);
    // The entry gives a default context, so a call may leave it out.
    expect(tools[0]!.inputSchema.required).toEqual(['prompt']);
    expect(tools[2]!.outputSchema).toMatchObject({ type: 'object', required: ['temperature', 'description'] });
    expect(agentCall.code, agentCall.stderr).toBe(0);
    expect(JSON.parse(agentCall.stdout)).toEqual({ content: [{ type: 'text', text: 'It is sunny in London.' }] });
    expect(invalid.code, invalid.stderr).toBe(0);
    expect(JSON.parse(invalid.stdout)).toEqual({
      content: [{ type: 'text', text: 'Invalid arguments for tool get_weather:\n- /lat: must be number' }],
      isError: true,
    });
  });

  it("keeps stdout for the protocol (handlers' console.log goes to stderr), with progress, and exits 0 when the client leaves", async () => {
    const transport = new StdioClientTransport({ command: process.execPath, args: [bin, 'serve', '--mcp', weatherEntry], cwd: root, stderr: 'pipe' });
    let stderr = '';
    transport.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const client = new Client({ name: 'schemantic-test', version: '1.0.0' });
    await client.connect(transport);
    const progress: { message?: string }[] = [];
    const result = await client.callTool({ name: 'weather', arguments: { prompt: 'Weather in London?' } }, { onprogress: (p) => progress.push(p) });
    expect(result.content).toEqual([{ type: 'text', text: 'It is sunny in London.' }]);
    // The server sends all five, in order. The SDK's client handles a notification a microtask
    // after it reads it but a response at once, so notifications that reach it in the same chunk
    // of stdout as the response are dropped on its side: a busy machine may see fewer.
    const sent = [
      'model request 1 answered: get_lat_lng',
      'tool get_lat_lng returned',
      'model request 2 answered: get_weather',
      'tool get_weather returned',
      'model request 3 answered',
    ];
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.map((p) => p.message)).toEqual(sent.slice(0, progress.length));
    await client.close();
    expect(stderr).toContain('schemantic serve: serving weather (3 tools: weather, get_lat_lng, get_weather) over stdio\n');
    expect(stderr).toContain('the weather agent is answering\n');

    // By hand: one request in, one response out, nothing else on stdout; the end of input ends the command.
    const child = spawn(process.execPath, [bin, 'serve', '--mcp', weatherEntry], { cwd: root, stdio: ['pipe', 'pipe', 'ignore'] });
    let stdout = '';
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const answered = new Promise<void>((resolve) =>
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk;
        if (stdout.endsWith('\n')) resolve();
      }),
    );
    const initialize = {
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
    };
    child.stdin.write(JSON.stringify(initialize) + '\n');
    await answered;
    child.stdin.end();
    expect(await exited).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      jsonrpc: '2.0',
      id: 1,
      result: { serverInfo: { name: 'weather', version: '1.0.0' }, capabilities: { tools: {} } },
    });
  });
});

describe('schemantic serve --http', () => {
  it('serves on 127.0.0.1 (the Inspector CLI and the SDK client), and stops on SIGTERM (exit 0)', async () => {
    const server = await serveHttp(['--mcp', weatherEntry, '--port', '0']);
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
      const list = await inspector([server.url, '--transport', 'http', '--method', 'tools/list']);
      expect(list.code, list.stderr).toBe(0);
      expect((JSON.parse(list.stdout) as { tools: { name: string }[] }).tools.map((t) => t.name)).toEqual(['weather', 'get_lat_lng', 'get_weather']);
      const client = new Client({ name: 'schemantic-test', version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(server.url)));
      const result = await client.callTool({ name: 'get_lat_lng', arguments: { location_description: 'Paris' } });
      expect(result).toMatchObject({ structuredContent: { lat: 51.5, lng: -1.99 } });
      await client.close();
    } finally {
      expect(await server.stop()).toBe(0);
    }
    expect(server.stderr()).toMatch(
      /^schemantic serve: serving weather \(3 tools: weather, get_lat_lng, get_weather\) at http:\/\/127\.0\.0\.1:\d+\/mcp; Ctrl-C to stop\n/,
    );
    expect(server.stderr()).toMatch(/schemantic serve: stopped\n$/);
  });

  it('says in one line that the port is taken, and exits 1', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const result = await serve(['--mcp', weatherEntry, '--http', '--port', String(port)]);
      expect(result).toEqual({
        code: 1,
        stdout: '',
        stderr: `schemantic serve: cannot listen on 127.0.0.1:${port}: the port is already in use; choose another port with --port\n`,
      });
    } finally {
      blocker.close();
    }
  });
});
