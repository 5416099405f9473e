/**
 * `schemantic pull --mcp` against the official reference server
 * (`@modelcontextprotocol/server-everything`), over stdio and streamable HTTP: the definitions file
 * it writes (banner, fingerprint, every tool with its schemas and annotations), the same bytes on
 * every pull, `--check` finding the server unchanged; then the code generated from that file:
 * strict TypeScript (typed arguments, and typed structured results where the server gives an
 * output schema), typed calls that reach the live server, and an agent on a FunctionModel whose
 * runs get the server's tools from `mcp: [everything]`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { ModelMessage, ToolCallPart } from 'schemantic';
import { FunctionModel } from 'schemantic/testing';
import { McpArgumentsError, type McpServer } from 'schemantic/mcp';
import { strictTypeErrors } from '../support/strict-tsc.js';
import { cli, EVERYTHING, generateInto, startEverythingHttp, tempProject } from './mcp.helpers.js';

let project: ReturnType<typeof tempProject>;
let http: Awaited<ReturnType<typeof startEverythingHttp>>;
beforeAll(async () => {
  project = tempProject();
  http = await startEverythingHttp();
});
afterAll(() => {
  http?.stop();
  project?.remove();
});

const pulled = (name: string) => readFileSync(path.join(project.dir, 'schemas/mcp', `${name}.yaml`), 'utf8');
const serverOf = (text: string, name: string) => (parse(text) as { mcp: Record<string, Record<string, unknown>> }).mcp[name]!;

/** The tools the reference server lists to a client that offers no roots, sampling or elicitation. */
const TOOLS = [
  'echo',
  'get-annotated-message',
  'get-env',
  'get-resource-links',
  'get-resource-reference',
  'get-structured-content',
  'get-sum',
  'get-tiny-image',
  'gzip-file-as-resource',
  'simulate-research-query',
  'toggle-simulated-logging',
  'toggle-subscriber-updates',
  'trigger-long-running-operation',
];

describe('schemantic pull --mcp, from the reference server', () => {
  it('over stdio: writes schemas/mcp/<name>.yaml, named after the server, with every tool', async () => {
    const run = await cli(project.dir, 'pull', '--mcp', `node ${EVERYTHING} stdio`);
    expect(run.stderr).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.stdout).toEqual([
      expect.stringMatching(/^schemantic pull: schemas\/mcp\/everything\.yaml written: MCP server "mcp-servers\/everything" 2\.0\.0, 13 tools \(\d+ ms\)$/),
    ]);
    const text = pulled('everything');
    await expect(text).toMatchFileSnapshot('__snapshots__/everything.yaml');
    const [banner, hint] = text.split('\n');
    expect(banner).toMatch(/^# Pulled by `schemantic pull` from MCP server "mcp-servers\/everything" 2\.0\.0; tools fingerprint sha256:[0-9a-f]{64}\.$/);
    expect(hint).toBe('# Do not edit: `schemantic pull --name everything` pulls it again, and with --check says whether the server still matches.');
    const server = serverOf(text, 'everything');
    expect(server).toMatchObject({ description: 'Everything Reference Server', command: 'node', args: [EVERYTHING, 'stdio'] });
    const tools = server['tools'] as Record<string, Record<string, unknown>>;
    // Sorted by name, whatever order the server lists them in.
    expect(Object.keys(tools)).toEqual(TOOLS);
    expect(tools['echo']).toEqual({
      title: 'Echo Tool',
      description: 'Echoes back the input string',
      parameters: {
        type: 'object',
        properties: { message: { type: 'string', description: 'Message to echo' } },
        required: ['message'],
        $schema: 'http://json-schema.org/draft-07/schema#',
      },
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    });
    expect(tools['get-structured-content']!['returns']).toMatchObject({ required: ['temperature', 'conditions', 'humidity'], additionalProperties: false });
    expect(tools['get-sum']!['returns']).toBeUndefined();
  });

  it('pulls the same bytes again (no timestamp), and --check finds the live server unchanged', async () => {
    const before = pulled('everything');
    const again = await cli(project.dir, 'pull', '--name', 'everything');
    expect(again.code).toBe(0);
    expect(again.stdout[0]).toMatch(/^schemantic pull: schemas\/mcp\/everything\.yaml unchanged: /);
    expect(pulled('everything')).toBe(before);
    const check = await cli(project.dir, 'pull', '--check');
    expect(check).toMatchObject({ code: 0, stderr: [] });
    expect(check.stdout).toEqual([
      expect.stringMatching(/^schemantic pull: schemas\/mcp\/everything\.yaml matches the live server: MCP server "mcp-servers\/everything" 2\.0\.0, 13 tools/),
    ]);
  });

  it('over streamable HTTP: the same tools, hence the same fingerprint, with the URL recorded', async () => {
    const run = await cli(project.dir, 'pull', '--mcp', http.url, '--name', 'everything-http');
    expect(run.code).toBe(0);
    const text = pulled('everything-http');
    const fingerprint = (t: string) => /sha256:[0-9a-f]{64}/.exec(t)![0];
    expect(fingerprint(text)).toBe(fingerprint(pulled('everything')));
    const server = serverOf(text, 'everything-http');
    expect(server['url']).toBe(http.url);
    expect(server['command']).toBeUndefined();
    expect(server['tools']).toEqual(serverOf(pulled('everything'), 'everything')['tools']);
    expect((await cli(project.dir, 'pull', '--check', '--name', 'everything-http')).code).toBe(0);
  });
});

describe('the code generated from a pulled server', () => {
  let out: string;
  beforeAll(async () => {
    writeFileSync(
      path.join(project.dir, 'schemas/agents.yaml'),
      'spec: schemantic/v1\nagents:\n  helper:\n    description: Adds numbers with the reference server.\n    model: test\n    mcp: [everything]\n',
    );
    out = await generateInto(project.dir);
  });

  it('is a module per server, with validators, and an agent module that takes the server', () => {
    const module = readFileSync(path.join(out, 'mcp/everything.ts'), 'utf8');
    expect(module).toContain('export interface EchoArgs {');
    expect(module).toContain('echo(args: EchoArgs, options?: McpCallOptions): Promise<EchoResult>;');
    expect(module).toContain('export type EchoResult = mcp.McpToolResult;');
    expect(module).toContain('getStructuredContent(args: GetStructuredContentArgs, options?: McpCallOptions): Promise<GetStructuredContentResult>;');
    expect(module).toContain('getEnv(args?: GetEnvArgs, options?: McpCallOptions): Promise<GetEnvResult>;');
    expect(module).toContain('export function createEverythingServer(options: Partial<mcp.McpServerOptions> = {}): EverythingServer {');
    expect(readFileSync(path.join(out, 'validators/mcp/everything.d.ts'), 'utf8')).toContain(
      'export declare const validateGetStructuredContentResult: Validator<GetStructuredContentResult>;',
    );
    const agent = readFileSync(path.join(out, 'agents/helper.ts'), 'utf8');
    expect(agent).toContain('import { createEverythingServer } from "../mcp/everything.js";');
    expect(agent).toContain('mcp["everything"] ?? createEverythingServer({ lifetime: "run" }).server,');
    // Both servers list `echo`: the index exports each server's own names, never its tools' types.
    const index = readFileSync(path.join(out, 'index.ts'), 'utf8');
    expect(index).toContain('export { createEverythingHttpServer, everythingHttpServerOptions } from "./mcp/everything-http.js";');
    expect(index).not.toContain('EchoArgs');
  });

  it('compiles under strict tsc, typing arguments and structured results end to end', () => {
    // A use of the generated client: what must compile does, what must not is marked.
    writeFileSync(
      path.join(out, 'use.ts'),
      `import { createEverythingServer } from "./mcp/everything.js";
import type { GetStructuredContentResult } from "./mcp/everything.js";

export async function use(): Promise<string> {
  const { tools } = createEverythingServer();
  const weather: GetStructuredContentResult = await tools.getStructuredContent({ location: "Chicago" });
  const degrees: number = weather.temperature;
  const echoed = await tools.echo({ message: "hi" });
  const blocks: number = echoed.content.length;
  // @ts-expect-error: not one of the cities the schema lists
  await tools.getStructuredContent({ location: "Paris" });
  // @ts-expect-error: a required argument missing
  await tools.getSum({ a: 1 });
  // @ts-expect-error: the result of a tool without an output schema has no structured fields
  echoed.temperature;
  await tools.getEnv();
  return String(degrees + blocks);
}
`,
    );
    expect(strictTypeErrors([out])).toEqual([]);
  });

  it('calls the live server through the typed client, over both transports', async () => {
    type Module = typeof import('./mcp.helpers.js') &
      Record<string, (options?: object) => { server: McpServer; tools: Record<string, (args?: object) => Promise<unknown>> }>;
    const stdio = (await import(path.join(out, 'mcp/everything.ts'))) as Module;
    const overHttp = (await import(path.join(out, 'mcp/everything-http.ts'))) as Module;
    for (const { server, tools } of [stdio['createEverythingServer']!(), overHttp['createEverythingHttpServer']!()]) {
      try {
        expect(await tools['echo']!({ message: 'hello' })).toEqual({ content: [{ type: 'text', text: 'Echo: hello' }], isError: false });
        expect(await tools['getSum']!({ a: 2, b: 40 })).toMatchObject({ content: [{ type: 'text', text: 'The sum of 2 and 40 is 42.' }] });
        // Structured content, checked against the pulled output schema: the value itself.
        expect(await tools['getStructuredContent']!({ location: 'Chicago' })).toEqual({ temperature: 36, conditions: 'Light rain / drizzle', humidity: 82 });
        // Arguments that break the pulled schema never leave.
        const bad = tools['getSum']!({ a: 'two', b: 40 });
        await expect(bad).rejects.toBeInstanceOf(McpArgumentsError);
        await expect(bad).rejects.toThrow(
          /MCP server everything(-http)?: the arguments of tool get-sum do not match its parameters schema: \/a must be number/,
        );
        // A tool error (isError) is thrown with the server's text.
        await expect(tools['getResourceReference']!({ resourceId: 0 })).rejects.toThrow(/tool get-resource-reference failed: Invalid resourceId: 0/);
      } finally {
        await server.close();
      }
    }
  });

  it('gives an agent (mcp: [everything]) the server as a toolset: a FunctionModel calls its tools', async () => {
    const { createEverythingServer } = (await import(path.join(out, 'mcp/everything.ts'))) as {
      createEverythingServer: (options?: object) => { server: McpServer };
    };
    const { createHelperAgent } = (await import(path.join(out, 'agents/helper.ts'))) as {
      createHelperAgent: (options: object) => { run(prompt: string): Promise<{ output: string; allMessages(): ModelMessage[] }> };
    };
    let offered: string[] = [];
    let step = 0;
    const call = (toolName: string, args: Record<string, unknown>): ToolCallPart => ({ kind: 'tool-call', toolName, args, toolCallId: `call-${toolName}` });
    const model = new FunctionModel((messages, info) => {
      offered = info.functionTools.map((t) => t.name);
      step++;
      if (step === 1) return [call('get-sum', { a: 20, b: 22 }), call('echo', { message: 'forty-two' })];
      const returns = messages.flatMap((m) => (m.kind === 'request' ? m.parts : [])).flatMap((p) => (p.kind === 'tool-return' ? [String(p.content)] : []));
      return returns.join(' / ');
    });
    const everything = createEverythingServer();
    try {
      const result = await createHelperAgent({ model, mcp: { everything: everything.server } }).run('What is 20 + 22?');
      expect(offered).toEqual(expect.arrayContaining(['echo', 'get-sum', 'get-structured-content']));
      expect(result.output).toBe('The sum of 20 and 22 is 42. / Echo: forty-two');
    } finally {
      await everything.server.close();
    }
  });
});
