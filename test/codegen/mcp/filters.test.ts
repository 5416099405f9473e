/**
 * An agent that gets only some of an MCP server's tools (`mcp: [{server, include | exclude}]`):
 * its factory passes the server's `select(...)` as the toolset (the unfiltered form unchanged),
 * takes the server itself as its option, and compiles under strict tsc; names the definitions
 * cannot mean are located problems with stable codes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateFrom, problemLines, yaml } from '../../helpers/pipeline.js';
import { strictTypeErrors } from '../support/strict-tsc.js';
import { tempProject } from './mcp.helpers.js';

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

const SERVERS = yaml`
  spec: schemantic/v1
  mcp:
    everything:
      command: node
      tools:
        echo: { parameters: { type: object } }
        get-sum: { parameters: { type: object } }
        get-env: { parameters: { type: object } }
    other:
      url: http://127.0.0.1:3001/mcp
      tools:
        ping: { parameters: { type: object } }
`;

describe('an agent that filters a server', () => {
  it("passes the server's select() as its toolset, and compiles", async () => {
    const result = await generateFrom({
      'servers.yaml': SERVERS,
      'agents.yaml': yaml`
        spec: schemantic/v1
        agents:
          picky:
            model: test
            mcp:
              - { server: everything, include: [echo, get-sum] }
              - { server: other, exclude: [ping] }
          plain:
            model: test
            mcp: [everything, { server: other }]
      `,
    });
    expect(result.problems).toEqual([]);
    const picky = result.files.get('agents/picky.ts')!;
    expect(picky).toContain('(mcp["everything"] ?? createEverythingServer({ lifetime: "run" }).server).select({ include: ["echo", "get-sum"] }),');
    expect(picky).toContain('(mcp["other"] ?? createOtherServer({ lifetime: "run" }).server).select({ exclude: ["ping"] }),');
    // The option is the server itself: only an MCP server can be filtered.
    expect(picky).toContain('everything?: EverythingServer["server"];');
    expect(picky).toContain('import type { EverythingServer } from "../mcp/everything.js";');
    expect(picky).toContain('only its tools `echo` and `get-sum`');
    // Without include or exclude, an item is the bare name: the code is what it always was.
    const plain = result.files.get('agents/plain.ts')!;
    expect(plain).toContain('    mcp["everything"] ?? createEverythingServer({ lifetime: "run" }).server,\n');
    expect(plain).toContain('    mcp["other"] ?? createOtherServer({ lifetime: "run" }).server,\n');
    expect(plain).toContain('everything?: schemantic.Toolset;');
    expect(plain).not.toContain('.select(');
    expect(typeErrorsOf(result.files)).toEqual([]);
  });
});

describe('bad filters', () => {
  it('are located problems: unknown servers and tools (with a suggestion), both include and exclude, a server twice', async () => {
    const result = await generateFrom({
      'servers.yaml': SERVERS,
      'agents.yaml': yaml`
        spec: schemantic/v1
        agents:
          picky:
            model: test
            mcp:
              - { server: everthing, include: [echo] }
              - { server: everything, include: [echo, get_sum], exclude: [get-env] }
              - server: other
                exclude: [pong]
              - other
          typo:
            model: test
            mcp: [{ server: everything, include: [ech] }, { servr: other }]
      `,
    });
    expect(problemLines(result)).toEqual([
      'unknown-mcp-server schemas/agents.yaml:6:9 /agents/picky/mcp/0',
      'invalid-value schemas/agents.yaml:7:57 /agents/picky/mcp/1/exclude',
      'unknown-mcp-tool schemas/agents.yaml:9:19 /agents/picky/mcp/2/exclude/0',
      'invalid-value schemas/agents.yaml:10:9 /agents/picky/mcp/3',
      'missing-key schemas/agents.yaml:13:51 /agents/typo/mcp/1',
      'unknown-key schemas/agents.yaml:13:53 /agents/typo/mcp/1/servr',
    ]);
    const messages = Object.fromEntries(result.problems.map((p) => [p.pointer, p.message]));
    expect(messages['/agents/picky/mcp/0']).toBe(
      'agent "picky" uses MCP server "everthing", which no definitions file declares under mcp: (did you mean "everything"?)',
    );
    expect(messages['/agents/picky/mcp/1/exclude']).toBe('give include or exclude for MCP server "everything", not both');
    expect(messages['/agents/picky/mcp/2/exclude/0']).toBe(
      'agent "picky" names tool "pong" of MCP server "other", which the server\'s entry does not list (did you mean "ping"?)',
    );
    expect(messages['/agents/picky/mcp/3']).toBe('agent "picky" lists MCP server "other" twice (items 2 and 3): list it once');
    expect(messages['/agents/typo/mcp/1/servr']).toBe('unknown key "servr" (did you mean "server"?)');
  });

  it('name tools the server entry does not list, with a suggestion', async () => {
    const result = await generateFrom({
      'servers.yaml': SERVERS,
      'agents.yaml': yaml`
        spec: schemantic/v1
        agents:
          typo:
            model: test
            mcp: [{ server: everything, include: [echo, get_sum] }]
      `,
    });
    expect(problemLines(result)).toEqual(['unknown-mcp-tool schemas/agents.yaml:5:49 /agents/typo/mcp/0/include/1']);
    expect(result.problems[0]!.message).toBe(
      'agent "typo" names tool "get_sum" of MCP server "everything", which the server\'s entry does not list (did you mean "get-sum"?)',
    );
  });
});
