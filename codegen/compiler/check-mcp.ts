/**
 * The check stage's judgement of MCP servers (`mcp:`): that each is reached one way (a command or
 * a URL, with only the fields that way reads), that agents name servers that exist (and, where
 * they filter a server's tools, tools it lists), that each tool's parameters are an object schema,
 * and that the names a server's module declares (its own, its tools', the named types it imports)
 * are distinct. (They are identifiers by construction: see mcpToolTsName; the server's own names
 * are checked with the corpus's.)
 */
import type { IR, IRMcpServer, IRSource } from './ir/types.js';
import { acceptsOnlyObjects } from './ir/refs.js';
import type { Problem, ProblemCode } from './problems.js';
import { didYouMean } from './suggest.js';
import type { BuildNotes } from './build-ir.js';

/** Makes a located problem at a pointer of a definitions file. */
export type ProblemMaker = (source: Pick<IRSource, 'rel' | 'pointer'>, code: ProblemCode, message: string, anchor?: 'key' | 'value') => Problem;

/** Fields of a server read only when it is started as a process (stdio), and only when it is reached by URL. */
const STDIO_FIELDS = ['args', 'env', 'cwd'] as const;
const HTTP_FIELDS = ['headers'] as const;

/** Every problem of the corpus's MCP servers and of the agents' `mcp` lists. */
export function mcpProblems(ir: IR, notes: BuildNotes, declared: Iterable<string>, at: ProblemMaker): Problem[] {
  const problems: Problem[] = [];
  const servers = [...declared];
  for (const unknown of notes.unknownMcp) {
    problems.push(
      at(
        { rel: unknown.source.file.rel, pointer: unknown.source.pointer },
        'unknown-mcp-server',
        `agent "${unknown.agent}" uses MCP server "${unknown.name}", which no definitions file declares under mcp:${didYouMean(unknown.name, servers)}`,
      ),
    );
  }
  problems.push(...filterProblems(ir, at));
  const types = new Map(ir.types.map((t) => [t.name, t]));
  for (const server of ir.mcp) {
    problems.push(...connectionProblems(server, at));
    for (const tool of server.tools) {
      if (!acceptsOnlyObjects(tool.parameters.schema, types)) {
        problems.push(
          at(
            { rel: tool.source.rel, pointer: `${tool.source.pointer}/parameters` },
            'not-an-object',
            `the parameters of tool "${tool.name}" of MCP server "${server.name}" must be an object schema (type: object)`,
          ),
        );
      }
    }
    problems.push(...moduleNameProblems(server, types, at));
  }
  return problems;
}

/**
 * The tools an agent's `{server, include | exclude}` names are tools the server's entry lists: a
 * name it does not would be ignored at run time, so a typo would quietly give the agent no tool
 * (include) or every tool (exclude).
 */
function filterProblems(ir: IR, at: ProblemMaker): Problem[] {
  const problems: Problem[] = [];
  const servers = new Map(ir.mcp.map((s) => [s.name, s]));
  for (const agent of ir.agents) {
    for (const [name, filter] of Object.entries(agent.mcpFilters ?? {})) {
      const listed = servers.get(name)?.tools.map((t) => t.name) ?? [];
      for (const key of ['include', 'exclude'] as const) {
        filter[key]?.forEach((tool, i) => {
          if (listed.includes(tool)) return;
          problems.push(
            at(
              { rel: filter.source.rel, pointer: `${filter.source.pointer}/${key}/${i}` },
              'unknown-mcp-tool',
              `agent "${agent.name}" names tool "${tool}" of MCP server "${name}", which the server's entry does not list${didYouMean(tool, listed)}`,
            ),
          );
        });
      }
    }
  }
  return problems;
}

/** A server is reached by `command` or by `url`, never both, and has only the fields its way reads. */
function connectionProblems(server: IRMcpServer, at: ProblemMaker): Problem[] {
  const c = server.connection;
  const field = (key: string) => ({ rel: server.source.rel, pointer: `${server.source.pointer}/${key}` });
  if (c.command === undefined && c.url === undefined) {
    return [at(server.source, 'missing-key', `MCP server "${server.name}" needs a command (a process spoken to over stdio) or a url (streamable HTTP)`, 'key')];
  }
  if (c.command !== undefined && c.url !== undefined) {
    return [at(field('url'), 'invalid-value', `MCP server "${server.name}" has both a command and a url: give one`, 'key')];
  }
  const problems: Problem[] = [];
  const [stray, way] = c.url !== undefined ? ([STDIO_FIELDS, 'reached at a url'] as const) : ([HTTP_FIELDS, 'started by a command'] as const);
  for (const key of stray) {
    if (c[key] !== undefined) problems.push(at(field(key), 'invalid-value', `${key} does not apply to MCP server "${server.name}", which is ${way}`, 'key'));
  }
  return problems;
}

/**
 * The names a server's module declares: its own (which the index also exports, so the corpus-wide
 * check claims them), each tool's method, argument and result types, and the named types it
 * imports. Each clash is reported once, at the tool that comes later.
 */
function moduleNameProblems(server: IRMcpServer, types: ReadonlyMap<string, { tsName: string }>, at: ProblemMaker): Problem[] {
  const problems: Problem[] = [];
  const claimed = new Map<string, string>();
  for (const name of [server.names.factory, server.names.client, server.names.tools, server.names.options]) claimed.set(name, `MCP server "${server.name}"`);
  // The module's own helpers (the emitter's mcp-module.ts; the compiler knows no back end, so they are named here).
  for (const name of ['McpCallOptions', 'McpValidators']) claimed.set(name, "the module's own declarations");
  for (const tool of server.tools) {
    for (const name of [...tool.parameters.closure, ...(tool.returns?.closure ?? [])]) {
      const type = types.get(name);
      if (type) claimed.set(type.tsName, `type "${name}"`);
    }
  }
  for (const tool of server.tools) {
    const what = `tool "${tool.name}" of MCP server "${server.name}"`;
    const n = tool.names;
    const names = [n.args, n.result];
    const clash = [`method ${n.key}`, ...names].find((name) => claimed.has(name));
    if (clash !== undefined) {
      problems.push(
        at(
          tool.source,
          'name-collision',
          `${what} becomes "${clash.replace(/^method /, '')}" in ${server.names.module}.ts, like ${claimed.get(clash)}; this server's module cannot have both`,
          'key',
        ),
      );
      continue;
    }
    for (const name of [`method ${n.key}`, ...names]) claimed.set(name, `tool "${tool.name}"`);
  }
  return problems;
}
