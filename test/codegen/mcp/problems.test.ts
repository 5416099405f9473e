/**
 * What goes wrong with MCP servers, said plainly: a bad `mcp:` entry is a located problem with a
 * stable code (like every other mistake in the definitions), and a server `schemantic pull`
 * cannot list is one line naming it, with exit code 2, never a hang.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFrom, problemLines, yaml } from '../../helpers/pipeline.js';
import { strictTypeErrors } from '../support/strict-tsc.js';
import { cli, freePort, tempProject } from './mcp.helpers.js';

/** The strict compiler's errors for a generated tree, written to a throw-away project. */
function typeErrorsOf(files: ReadonlyMap<string, string>): string[] {
  const project = tempProject();
  try {
    for (const [file, text] of files) {
      mkdirSync(path.dirname(path.join(project.dir, 'out', file)), { recursive: true });
      writeFileSync(path.join(project.dir, 'out', file), text);
    }
    return strictTypeErrors([path.join(project.dir, 'out')]);
  } finally {
    project.remove();
  }
}

describe('bad mcp: entries', () => {
  it('are located problems with stable codes, all at once', async () => {
    const result = await generateFrom({
      'servers.yaml': yaml`
        spec: schemantic/v1
        mcp:
          typo:
            comand: node
          both:
            command: node
            url: http://127.0.0.1:3001/mcp
          remote:
            url: ftp://example.com/mcp
            args: [--verbose]
          local:
            command: node
            cwd: tools
          weather:
            command: node
        types:
          WeatherServer: { type: string }
        agents:
          helper:
            mcp: [locl, local]
      `,
      'more.yaml': yaml`
        spec: schemantic/v1
        mcp:
          local:
            url: http://127.0.0.1:3002/mcp
      `,
    });
    // Files are read in sorted order: the second `local` is the one in servers.yaml.
    expect(problemLines(result)).toEqual([
      'missing-key schemas/servers.yaml:3:3 /mcp/typo',
      'unknown-key schemas/servers.yaml:4:5 /mcp/typo/comand',
      'invalid-value schemas/servers.yaml:7:5 /mcp/both/url',
      'invalid-value schemas/servers.yaml:9:10 /mcp/remote/url',
      'invalid-value schemas/servers.yaml:10:5 /mcp/remote/args',
      'duplicate-name schemas/servers.yaml:11:3 /mcp/local',
      'name-collision schemas/servers.yaml:17:3 /types/WeatherServer',
      'unknown-mcp-server schemas/servers.yaml:20:11 /agents/helper/mcp/0',
    ]);
    const messages = Object.fromEntries(result.problems.map((p) => [p.pointer, p.message]));
    expect(messages['/mcp/typo']).toBe('MCP server "typo" needs a command (a process spoken to over stdio) or a url (streamable HTTP)');
    expect(messages['/mcp/typo/comand']).toBe('unknown key "comand" (did you mean "command"?)');
    expect(messages['/mcp/both/url']).toBe('MCP server "both" has both a command and a url: give one');
    expect(messages['/mcp/remote/url']).toBe('invalid url "ftp://example.com/mcp": an MCP server is reached at an http:// or https:// URL (streamable HTTP)');
    expect(messages['/mcp/remote/args']).toBe('args does not apply to MCP server "remote", which is reached at a url');
    expect(messages['/mcp/local']).toBe('MCP server "local" is already defined at schemas/more.yaml:3:3');
    expect(messages['/types/WeatherServer']).toBe(
      'type "WeatherServer" becomes "WeatherServer", which MCP server "weather" at schemas/servers.yaml:14:3 also becomes; rename one',
    );
    expect(messages['/agents/helper/mcp/0']).toBe(
      'agent "helper" uses MCP server "locl", which no definitions file declares under mcp: (did you mean "local"?)',
    );
    expect(result.files.size).toBe(0);
  });

  it('report fields the way a server is reached does not read', async () => {
    const result = await generateFrom({
      'local.yaml': yaml`
        spec: schemantic/v1
        mcp:
          local:
            command: node
            headers: { Authorization: x }
      `,
    });
    expect(problemLines(result)).toEqual(['invalid-value schemas/local.yaml:5:5 /mcp/local/headers']);
    expect(result.problems[0]!.message).toBe('headers does not apply to MCP server "local", which is started by a command');
  });

  it("report tools whose names clash in their server's module, and parameters that are not an object", async () => {
    const result = await generateFrom({
      'tools.yaml': yaml`
        spec: schemantic/v1
        mcp:
          calc:
            command: node
            tools:
              get-sum: { parameters: { type: object } }
              get_sum: { parameters: { type: object } }
              list: { parameters: { type: string } }
              'bad name': { parameters: { type: object } }
      `,
    });
    expect(problemLines(result)).toEqual(['invalid-name schemas/tools.yaml:9:7 /mcp/calc/tools/bad name']);
    expect(result.problems[0]!.message).toBe('invalid name "bad name": an MCP tool name has letters, digits, _, - and ., at most 128 characters');
    const named = await generateFrom({
      'tools.yaml': yaml`
        spec: schemantic/v1
        mcp:
          calc:
            command: node
            tools:
              get-sum: { parameters: { type: object } }
              get_sum: { parameters: { type: object } }
              list: { parameters: { type: string } }
              2fa: { parameters: { type: object } }
      `,
    });
    expect(problemLines(named)).toEqual([
      'name-collision schemas/tools.yaml:7:7 /mcp/calc/tools/get_sum',
      'not-an-object schemas/tools.yaml:8:27 /mcp/calc/tools/list/parameters',
    ]);
    expect(named.problems[0]!.message).toBe(
      'tool "get_sum" of MCP server "calc" becomes "getSum" in mcp/calc.ts, like tool "get-sum"; this server\'s module cannot have both',
    );
    expect(named.problems[1]!.message).toBe('the parameters of tool "list" of MCP server "calc" must be an object schema (type: object)');
  });

  it('leave a server without tools valid: its module is the factory, and agents get all it lists at run time', async () => {
    const result = await generateFrom({
      'open.yaml': yaml`
        spec: schemantic/v1
        mcp:
          files:
            command: npx
            args: [-y, '@modelcontextprotocol/server-filesystem', .]
            timeout: 10000
            prefix: fs_
        agents:
          clerk:
            model: test
            mcp: [files]
      `,
    });
    expect(result.problems).toEqual([]);
    const module = result.files.get('mcp/files.ts')!;
    expect(module).toContain('export interface FilesServerTools {\n}');
    expect(module).toContain('  timeoutMs: 10000,\n  prefix: "fs_",\n');
    expect(result.files.has('validators/mcp/files.js')).toBe(false);
    // No tool, so none of the helpers that call one (which strict settings would find unused).
    expect(module).not.toContain('function callTool');
    expect(typeErrorsOf(result.files)).toEqual([]);
  });
});

describe('text a server sends', () => {
  it('stays inside comments and string literals of the generated code', async () => {
    const result = await generateFrom({
      'evil.yaml': yaml`
        spec: schemantic/v1
        mcp:
          evil:
            description: '*/ throw new Error("description") /*'
            command: 'node"); throw new Error("command'
            env: { 'X"]: 1, y': '\`\${process.exit(1)}\`' }
            tools:
              'x.y-z':
                title: '*/ export const pwned = 1; /*'
                description: 'Closes a comment */ and a string " and \${template} and it''s'
                parameters:
                  type: object
                  properties:
                    '*/ q': { type: string, description: '*/ oops' }
                annotations: { readOnlyHint: true }
      `,
    });
    expect(result.problems).toEqual([]);
    expect(typeErrorsOf(result.files)).toEqual([]);
    const module = result.files.get('mcp/evil.ts')!;
    expect(module).not.toMatch(/^export const pwned/m);
    expect(module).toContain('xYZ: (args, call) => callTool(server, "x.y-z", args, call, (v) => v.validateXYZArgs),');
  });
});

describe('schemantic pull errors', () => {
  let project: ReturnType<typeof tempProject>;
  beforeAll(() => {
    project = tempProject();
  });
  afterAll(() => project?.remove());

  /** Pulls `--mcp target` and expects one line on stderr, exit code 2, and nothing written. */
  async function fails(target: string, ...flags: string[]): Promise<string> {
    const run = await cli(project.dir, 'pull', '--mcp', target, ...flags);
    expect(run.code).toBe(2);
    expect(run.stdout).toEqual([]);
    expect(run.stderr).toHaveLength(1);
    return run.stderr[0]!;
  }

  it('a command that does not exist', async () => {
    expect(await fails('no-such-mcp-server --stdio')).toBe('schemantic pull: MCP server no-such-mcp-server --stdio: command "no-such-mcp-server" not found');
  });

  it('a server that exits before it answers, with the last thing it said', async () => {
    writeFileSync(path.join(project.dir, 'exits.mjs'), 'console.error("SERVICE_TOKEN is not set"); process.exit(3);\n');
    expect(await fails('node exits.mjs')).toBe(
      'schemantic pull: MCP server node exits.mjs: the server exited before it answered (it said: SERVICE_TOKEN is not set)',
    );
  });

  it('a server that never answers: the timeout, not a hang', async () => {
    writeFileSync(path.join(project.dir, 'silent.mjs'), 'setInterval(() => {}, 1000);\n');
    const start = Date.now();
    expect(await fails('node silent.mjs', '--timeout', '500')).toBe('schemantic pull: MCP server node silent.mjs: no answer within 500 ms');
    expect(Date.now() - start).toBeLessThan(5000);
  });

  it('a URL nothing answers at', async () => {
    const url = `http://127.0.0.1:${await freePort()}/mcp`;
    expect(await fails(url)).toBe(`schemantic pull: MCP server ${url}: nothing answers at the URL (connection refused)`);
  });

  it('bad usage: a URL of another scheme, a broken command line, a bad name, nothing to pull again', async () => {
    const usage = async (...args: string[]) => {
      const run = await cli(project.dir, 'pull', ...args);
      expect(run.code).toBe(2);
      return run.stderr[0];
    };
    expect(await usage('--mcp', 'ws://127.0.0.1:1/mcp')).toBe(
      'schemantic pull: --mcp ws://127.0.0.1:1/mcp: only http and https URLs are supported (streamable HTTP)',
    );
    expect(await usage('--mcp', "node 'server.mjs")).toBe('schemantic pull: --mcp needs a command line or a URL: a single quote is not closed');
    expect(await usage('--mcp', 'node s.mjs', '--name', '1st')).toBe(
      'schemantic pull: --name "1st": use letters, digits, _ and -, starting with a letter, at most 64 characters',
    );
    expect(await usage()).toBe('schemantic pull: no file written by schemantic pull under schemas/mcp/: give the server with --mcp "<command line>" | <URL>');
  });

  it('never overwrites a file pull did not write', async () => {
    mkdirSync(path.join(project.dir, 'schemas/mcp'), { recursive: true });
    writeFileSync(path.join(project.dir, 'schemas/mcp/mine.yaml'), 'spec: schemantic/v1\n');
    const run = await cli(project.dir, 'pull', '--name', 'mine');
    expect(run).toMatchObject({
      code: 2,
      stderr: ['schemantic pull: schemas/mcp/mine.yaml was not written by schemantic pull: move it away, or choose another --name'],
    });
  });
});

describe('schemantic pull --help', () => {
  it('prints the usage, and pull is listed among the commands', async () => {
    const help = await cli(process.cwd(), 'pull', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout[0]).toMatch(/^Usage: schemantic pull --mcp "<command line>" \| <URL> \[--name NAME\] \[--schemas DIR\]/);
    expect(help.stdout[0]).toContain('--check         Write nothing: exit 1 when the live server no longer lists what the file');
    const main = await cli(process.cwd(), '--help');
    expect(main.stdout[0]).toMatch(/\n {2}pull {3,}Write an MCP server's tools into the definitions/);
  });
});
