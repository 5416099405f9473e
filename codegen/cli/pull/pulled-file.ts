/**
 * The definitions file `schemantic pull` writes for an MCP server (`<schemas>/mcp/<name>.yaml`),
 * and what it reads back from one. The file is a function of the server's listing and how it was
 * reached: tools sorted by name, fields in a fixed order, schemas as the server gave them (their
 * properties in the server's order, which the generated types keep). Its banner names the server
 * and carries the tools' fingerprint: a hash of the listing's canonical JSON, with no timestamp,
 * so pulling an unchanged server gives the same bytes.
 */
import { createHash } from 'node:crypto';
import { Document, isCollection, isScalar, parseDocument, visit } from 'yaml';
import { isObject } from '../../compiler/schema/walk.js';
import type { ListedTool, Listing, McpTarget } from './list-tools.js';

/** The server (its name, JSON-quoted) and the fingerprint in a pulled file's banner. */
const BANNER_FIELDS = /^# Pulled by `schemantic pull` from MCP server ("(?:[^"\\]|\\.)*")[^\n]*; tools fingerprint (sha256:[0-9a-f]{64})/;

/** The name of a server as a definitions key: `<schemas>/mcp/<name>.yaml`, `create<Name>Server`. */
export const SERVER_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/** What a pulled file records besides the tools: how the server is reached, and its settings. */
export interface PulledSettings extends McpTarget {
  description?: string;
  timeout?: number;
  prefix?: string;
}

/** A pulled file read back. */
export interface PulledFile {
  /** The server's key in the file. */
  name: string;
  /** The name the server gave itself, as its banner records it. */
  server: string;
  /** The fingerprint its banner carries. */
  fingerprint: string;
  settings: PulledSettings;
  /** Its tools as a listing (what the fingerprint is computed over). */
  tools: ListedTool[];
}

/**
 * The fingerprint of a listing's tools: SHA-256 of their canonical JSON (tools sorted by name,
 * the recorded fields only, keys sorted at every depth), so that an order the server happens to
 * list in changes nothing.
 */
export function fingerprintOf(tools: readonly ListedTool[]): string {
  const sorted = [...tools].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return `sha256:${createHash('sha256').update(canonicalJson(sorted)).digest('hex')}`;
}

/** JSON with the keys of every object sorted. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * A server name made from what the server calls itself: the last segment of its name
 * (`mcp-servers/everything` -> `everything`), lower case, with anything but letters, digits,
 * `_` and `-` made `-`, starting with a letter; `server` when nothing is left.
 */
export function serverNameFrom(listed: string): string {
  const last =
    listed
      .split(/[/\\:@]/)
      .filter((s) => s.trim() !== '')
      .pop() ?? '';
  const name = last
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/[-_]+$/, '')
    .slice(0, 64)
    .replace(/[-_]+$/, '');
  return name === '' ? 'server' : name;
}

/** The text of a pulled file. `schemaLine` is the path of the format's meta-schema, for editors (when there is one). */
export function renderPulledFile(name: string, listing: Listing, settings: PulledSettings, schemaLine?: string): string {
  const server: Record<string, unknown> = {};
  const description = listing.server.title ?? settings.description;
  if (description !== undefined) server['description'] = description;
  for (const key of ['command', 'args', 'env', 'cwd', 'url', 'headers', 'timeout', 'prefix'] as const) {
    if (settings[key] !== undefined) server[key] = settings[key];
  }
  const tools: Record<string, unknown> = {};
  for (const tool of [...listing.tools].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    tools[tool.name] = {
      ...(tool.title !== undefined ? { title: tool.title } : {}),
      ...(tool.description !== undefined ? { description: tool.description } : {}),
      parameters: tool.inputSchema,
      ...(tool.outputSchema !== undefined ? { returns: tool.outputSchema } : {}),
      ...(tool.annotations !== undefined ? { annotations: tool.annotations } : {}),
    };
  }
  server['tools'] = tools;
  const doc = new Document({ spec: 'schemantic/v1', mcp: { [name]: server } });
  // Short lists and maps of plain values on one line, as people write them: `required: [a, b]`.
  visit(doc, {
    Collection(_, node) {
      if (isCollection(node) && node.items.length > 0 && node.items.every((item) => isScalar(isScalar(item) ? item : (item as { value?: unknown }).value))) {
        if (JSON.stringify(node.toJSON()).length <= 72) node.flow = true;
      }
    },
  });
  const who = `${JSON.stringify(listing.server.name)}${listing.server.version !== '' ? ` ${oneLine(listing.server.version)}` : ''}`;
  const banner = [
    `# Pulled by \`schemantic pull\` from MCP server ${who}; tools fingerprint ${fingerprintOf(listing.tools)}.`,
    `# Do not edit: \`schemantic pull --name ${name}\` pulls it again, and with --check says whether the server still matches.`,
    ...(schemaLine !== undefined ? [`# yaml-language-server: $schema=${schemaLine}`] : []),
  ];
  return `${banner.join('\n')}\n${doc.toString({ lineWidth: 0, flowCollectionPadding: false })}`;
}

/** A value from a server (its version) fit for a comment line. */
function oneLine(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

/** Reads a pulled file back; undefined when `text` is not one (no banner, or not the shape pull writes). */
export function readPulledFile(text: string): PulledFile | undefined {
  const banner = BANNER_FIELDS.exec(text);
  const doc = parseDocument(text);
  if (!banner || doc.errors.length > 0) return undefined;
  const [, quoted, fingerprint] = banner as unknown as [string, string, string];
  const value: unknown = doc.toJS();
  const servers = isObject(value) && isObject(value['mcp']) ? Object.entries(value['mcp']) : [];
  if (servers.length !== 1 || !isObject(servers[0]![1])) return undefined;
  const [name, raw] = servers[0]! as [string, Record<string, unknown>];
  const tools: ListedTool[] = [];
  for (const [toolName, tool] of Object.entries(isObject(raw['tools']) ? raw['tools'] : {})) {
    if (!isObject(tool)) return undefined;
    tools.push({
      name: toolName,
      ...(typeof tool['title'] === 'string' ? { title: tool['title'] } : {}),
      ...(typeof tool['description'] === 'string' ? { description: tool['description'] } : {}),
      inputSchema: tool['parameters'],
      ...(tool['returns'] !== undefined ? { outputSchema: tool['returns'] } : {}),
      ...(isObject(tool['annotations']) ? { annotations: tool['annotations'] } : {}),
    });
  }
  const settings: PulledSettings = {};
  for (const key of ['description', 'command', 'cwd', 'url', 'prefix'] as const) if (typeof raw[key] === 'string') settings[key] = raw[key];
  if (Array.isArray(raw['args'])) settings.args = raw['args'].map(String);
  for (const key of ['env', 'headers'] as const) {
    const record = raw[key];
    if (isObject(record)) settings[key] = Object.fromEntries(Object.entries(record).map(([k, v]) => [k, String(v)]));
  }
  if (typeof raw['timeout'] === 'number') settings.timeout = raw['timeout'];
  return { name, server: JSON.parse(quoted) as string, fingerprint, settings, tools };
}
