/**
 * Build IR for MCP servers (`mcp:`): each server's connection and settings, and each tool it
 * lists with its names (the naming plan), schemas and annotations. Which fields a server may
 * combine (one of `command` and `url`) is judged by the check stage, from what is kept here.
 */
import type { IRMcpConnection, IRMcpServer, IRMcpTool, IRSchema } from './ir/types.js';
import { sourceOf } from './ir/source.js';
import { camelCase, kebabCase, pascalCase } from './naming.js';
import { mcpServerNames, mcpToolNames } from './naming-plan.js';
import { compareText, escapePointerSegment } from './problems.js';
import { isObject } from './schema/walk.js';
import type { ResolvedEntry } from './resolved-corpus.js';

/** The IR of one MCP server entry. `irSchema` makes an IR schema of a resolved one. */
export function buildMcpServer(entry: ResolvedEntry, irSchema: (schema: unknown, inlinedFrom?: string[]) => IRSchema): IRMcpServer {
  const raw = entry.raw;
  const tsName = pascalCase(entry.name);
  const camelName = camelCase(entry.name);
  const fileName = kebabCase(entry.name);
  const rawTools = isObject(raw['tools']) ? Object.entries(raw['tools']) : [];
  const tools: IRMcpTool[] = [];
  for (const [name, tool] of rawTools) {
    if (!isObject(tool)) continue;
    const pointer = `${entry.source.pointer}/tools/${escapePointerSegment(name)}`;
    const slot = (kind: string) => entry.slots.find((s) => s.source.pointer === `${pointer}/${kind}`);
    const parameters = slot('parameters');
    const returns = slot('returns');
    const toolTsName = mcpToolTsName(name);
    tools.push({
      name,
      tsName: toolTsName,
      names: mcpToolNames({ tsName: toolTsName, key: toolTsName[0]!.toLowerCase() + toolTsName.slice(1) }),
      ...text('title', tool['title']),
      ...text('description', tool['description']),
      parameters: irSchema(parameters?.schema ?? { type: 'object' }, parameters?.inlinedFrom),
      ...(returns ? { returns: irSchema(returns.schema, returns.inlinedFrom) } : {}),
      ...(isObject(tool['annotations']) ? { annotations: { ...tool['annotations'] } } : {}),
      source: sourceOf({ file: entry.source.file, pointer }),
    });
  }
  return {
    name: entry.name,
    tsName,
    camelName,
    fileName,
    names: mcpServerNames({ tsName, camelName, fileName }),
    ...text('description', raw['description']),
    connection: connectionOf(raw),
    ...(typeof raw['timeout'] === 'number' ? { timeout: raw['timeout'] } : {}),
    ...text('prefix', raw['prefix']),
    tools: tools.sort((a, b) => compareText(a.name, b.name)),
    source: sourceOf(entry.source),
  };
}

/**
 * The PascalCase stem of an MCP tool's names. The server chose the name, not the definitions'
 * author, and MCP allows names an identifier cannot start with (`2fa-check`) or that hold no
 * letter or digit at all (`_`): those get `Tool` in front (`Tool2faCheckArgs`, `ToolArgs`).
 */
export function mcpToolTsName(name: string): string {
  const stem = pascalCase(name);
  return /^[A-Za-z]/.test(stem) ? stem : `Tool${stem}`;
}

/** The connection fields of a server entry, each kept only when it has the type the format gives it. */
function connectionOf(raw: Record<string, unknown>): IRMcpConnection {
  const strings = (value: unknown): string[] | undefined =>
    Array.isArray(value) && value.every((v) => typeof v === 'string') ? [...(value as string[])] : undefined;
  const record = (value: unknown): Record<string, string> | undefined =>
    isObject(value) && Object.values(value).every((v) => typeof v === 'string') ? { ...(value as Record<string, string>) } : undefined;
  const args = strings(raw['args']);
  const env = record(raw['env']);
  const headers = record(raw['headers']);
  return {
    ...text('command', raw['command']),
    ...(args ? { args } : {}),
    ...(env ? { env } : {}),
    ...text('cwd', raw['cwd']),
    ...text('url', raw['url']),
    ...(headers ? { headers } : {}),
  };
}

/** `{key: value}` when the value is a string, else nothing (validate reported any other type). */
function text<K extends string>(key: K, value: unknown): Partial<Record<K, string>> {
  return typeof value === 'string' ? ({ [key]: value } as Record<K, string>) : {};
}
