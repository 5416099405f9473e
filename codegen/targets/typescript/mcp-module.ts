/**
 * The module of one MCP server (`mcp/<server>.ts`): the argument and result types of its tools,
 * how to reach it (from the definitions), and a factory that makes the server (`schemantic/mcp`)
 * with a typed method per tool.
 */
import type { IRMcpServer, IRMcpTool, IRType } from '../../compiler/ir/types.js';
import { isObject } from '../../compiler/schema/walk.js';
import type { ModuleInputs } from './module-inputs.js';
import { declaresEmbedding } from './emit-types.js';
import { declaration, importPath, mcpArgsKey, mcpResultKey, typeImportsFor } from './plan.js';
import { render } from '../templates.js';

/** Renders the module of one MCP server. */
export function renderMcpServer(server: IRMcpServer, types: ReadonlyMap<string, IRType>, inputs: ModuleInputs): string {
  const module = server.names.module;
  const names = server.names;
  const keys = server.tools.flatMap((t) => (t.returns ? [mcpArgsKey(server, t), mcpResultKey(server, t)] : [mcpArgsKey(server, t)]));
  const refs = keys.flatMap((k) => inputs.planned.get(k)?.refs ?? []);
  const declarations = keys.map((k) => declaration(inputs, k));
  return render('mcp.ts', {
    sourceList: server.source.file,
    usesSchemantic: declaresEmbedding(declarations),
    typeImports: typeImportsFor(module, refs, types),
    declarations,
    plainResults: server.tools
      .filter((t) => !t.returns)
      .map((t) => ({
        name: t.names.result,
        doc: `What MCP tool \`${t.name}\` of server \`${server.name}\` returns: the server's result as it sends it (content blocks), since the tool declares no output schema.`,
      })),
    serverName: server.name,
    optionsName: names.options,
    optionsDoc: `How to reach MCP server \`${server.name}\`${server.description ? ` (${server.description})` : ''}, from ${server.source.file}: the defaults of {@link ${names.factory}}.`,
    settings: settingsOf(server),
    toolsInterface: names.tools,
    toolsDoc: `Typed calls of MCP server \`${server.name}\`'s tools, by camelCase tool name. Each checks its arguments against the tool's input schema, and throws when the server answers with an error.`,
    tools: server.tools.map((t) => ({
      key: t.names.key,
      name: t.name,
      argsType: t.names.args,
      resultType: t.names.result,
      argsOptional: !requiresSomething(t.parameters.schema),
      structured: t.returns !== undefined,
      validateArgs: t.names.validateArgs,
      validateResult: t.names.validateResult,
      doc: toolDoc(server, t),
    })),
    hasStructured: server.tools.some((t) => t.returns !== undefined),
    clientType: names.client,
    clientDoc: `MCP server \`${server.name}\`${server.description ? ` (${server.description})` : ''}, as {@link ${names.factory}} makes it.`,
    validatorsModule: importPath(module, names.validatorsModule),
    factoryName: names.factory,
    factoryDoc: `Makes MCP server \`${server.name}\` (\`mcpServer()\` of \`schemantic/mcp\`) from ${names.options}, with \`options\` over it, and a typed call of each of its tools. It connects when first used: an agent's run, or a call.`,
  });
}

/** The server's `McpServerOptions` from the definitions, in a fixed order. */
function settingsOf(server: IRMcpServer): { key: string; value: unknown }[] {
  const c = server.connection;
  return [
    ['command', c.command],
    ['args', c.args],
    ['env', c.env],
    ['cwd', c.cwd],
    ['url', c.url],
    ['headers', c.headers],
    ['timeoutMs', server.timeout],
    ['prefix', server.prefix],
  ]
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => ({ key: key as string, value }));
}

/** A tool's JSDoc: its description, and what a call of it returns. */
function toolDoc(server: IRMcpServer, tool: IRMcpTool): string {
  const what = tool.description ?? tool.title ?? `MCP tool ${tool.name}.`;
  const hints = Object.entries(tool.annotations ?? {})
    .filter(([key, value]) => key.endsWith('Hint') && typeof value === 'boolean')
    .map(([key, value]) => `${key} ${String(value)}`);
  const returns = tool.returns
    ? 'Resolves with its structured result, checked against its output schema.'
    : "Resolves with the server's result (content blocks): the tool declares no output schema.";
  return `${what}\n\nMCP tool \`${tool.name}\` of server \`${server.name}\`${hints.length > 0 ? ` (${hints.join(', ')})` : ''}. ${returns}`;
}

/** Whether an object schema has required properties (then a call must pass arguments). */
function requiresSomething(schema: unknown): boolean {
  if (!isObject(schema)) return true;
  // A reference to a named type: whatever it requires, the caller writes it out.
  if (schema['$ref'] !== undefined) return true;
  const required = schema['required'];
  return Array.isArray(required) && required.length > 0;
}
