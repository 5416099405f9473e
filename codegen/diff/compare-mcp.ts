/**
 * The comparison of two revisions' MCP servers: each server is a contract whose tools take
 * arguments (input: written here, by the caller and the model, and read by the server) and
 * give structured results (output: written by the server, read here). So a server that now
 * requires a new argument breaks its callers, a new optional one does not, and a result that
 * allows more than before breaks the code reading it, as for function tools (rules.ts).
 */
import { canonical } from 'schemantic/internal';
import type { IRMcpServer, IRMcpTool } from '../compiler/ir/types.js';
import { escapePointerSegment } from '../compiler/problems.js';
import type { DiffSubject } from './finding.js';
import { at, child, setting, text, type Findings } from './findings.js';
import { childCursor, cursorOf, type Cursor } from './side.js';

/** The connection fields of a server, as the definitions name them. */
const CONNECTION_FIELDS = ['command', 'args', 'env', 'cwd', 'url', 'headers'] as const;

/** Adds the findings between the MCP servers of both sides to `out`. */
export function compareMcp(out: Findings): void {
  const { old, neu } = out;
  for (const [name, server] of old.mcp) {
    const next = neu.mcp.get(name);
    if (next) compareServer(out, server, next);
    else out.add({ kind: 'mcp', name }, 'mcp-server-removed', '', `MCP server "${name}" removed`, cursorOf(server.source), undefined);
  }
  for (const [name, server] of neu.mcp) {
    if (!old.mcp.has(name)) out.add({ kind: 'mcp', name }, 'mcp-server-added', '', `MCP server "${name}" added`, undefined, cursorOf(server.source));
  }
}

function compareServer(out: Findings, a: IRMcpServer, b: IRMcpServer): void {
  const subject: DiffSubject = { kind: 'mcp', name: b.name };
  const [ca, cb] = [cursorOf(a.source), cursorOf(b.source)];
  text(out, subject, '/description', a.description, b.description, ca, cb, 'description-changed');
  for (const key of CONNECTION_FIELDS) setting(out, subject, `/${key}`, key, a.connection[key], b.connection[key], ca, cb);
  setting(out, subject, '/timeout', 'timeout', a.timeout, b.timeout, ca, cb);
  setting(out, subject, '/prefix', 'prefix', a.prefix, b.prefix, ca, cb);
  const before = new Map(a.tools.map((t) => [t.name, t]));
  const after = new Map(b.tools.map((t) => [t.name, t]));
  const gone = a.tools.filter((t) => !after.has(t.name));
  const fresh = b.tools.filter((t) => !before.has(t.name));
  // A tool gone and one come with the same schemas is one tool renamed (as for function tools).
  const renamed = new Map<IRMcpTool, IRMcpTool>();
  for (const tool of gone) {
    const twins = fresh.filter((f) => shape(f) === shape(tool));
    if (twins.length === 1 && ![...renamed.values()].includes(twins[0]!)) renamed.set(tool, twins[0]!);
  }
  for (const tool of gone) {
    const to = renamed.get(tool);
    if (to === undefined) {
      out.add(subject, 'tool-removed', toolPointer(tool), `tool "${tool.name}" removed`, cursorOf(tool.source), cb);
      continue;
    }
    out.add(subject, 'tool-renamed', toolPointer(to), `tool "${tool.name}" renamed to "${to.name}"`, cursorOf(tool.source), cursorOf(to.source));
    compareTool(out, subject, tool, to);
  }
  const renamedTo = new Set(renamed.values());
  for (const tool of fresh) {
    if (!renamedTo.has(tool)) out.add(subject, 'tool-added', toolPointer(tool), `tool "${tool.name}" added`, ca, cursorOf(tool.source));
  }
  for (const tool of a.tools) {
    const next = after.get(tool.name);
    if (next) compareTool(out, subject, tool, next);
  }
}

function compareTool(out: Findings, subject: DiffSubject, a: IRMcpTool, b: IRMcpTool): void {
  const base = toolPointer(b);
  const [ca, cb] = [cursorOf(a.source), cursorOf(b.source)];
  text(out, subject, `${base}/description`, a.description, b.description, ca, cb, 'description-changed');
  text(out, subject, `${base}/title`, a.title, b.title, ca, cb, 'annotation-changed');
  out.schemas(subject, 'input', at(a.parameters, ca, 'parameters'), at(b.parameters, cb, 'parameters'), `${base}/parameters`);
  if (a.returns && b.returns) out.schemas(subject, 'output', at(a.returns, ca, 'returns'), at(b.returns, cb, 'returns'), `${base}/returns`);
  else if (a.returns) out.add(subject, 'returns-removed', `${base}/returns`, 'returns no longer declared', childCursor(ca, 'returns'), cb, 'output');
  else if (b.returns) out.add(subject, 'returns-added', `${base}/returns`, 'returns now declared', ca, childCursor(cb, 'returns'), 'output');
  annotations(out, subject, base, a, b, ca, cb);
}

/** Each annotation (a hint such as `readOnlyHint`) that changed: behavioural, as the model and the app read them. */
function annotations(out: Findings, subject: DiffSubject, base: string, a: IRMcpTool, b: IRMcpTool, ca: Cursor, cb: Cursor): void {
  const p = a.annotations ?? {};
  const q = b.annotations ?? {};
  const [pa, qa] = [child(ca, 'annotations', a.annotations), child(cb, 'annotations', b.annotations)];
  for (const key of [...new Set([...Object.keys(p), ...Object.keys(q)])].sort()) {
    const [x, y] = [p[key], q[key]];
    if (canonical(x) === canonical(y)) continue;
    const show = (v: unknown) => (v === undefined ? '(unset)' : JSON.stringify(v));
    out.add(
      subject,
      'annotation-changed',
      `${base}/annotations/${escapePointerSegment(key)}`,
      `annotation ${key} changed from ${show(x)} to ${show(y)}`,
      child(pa, key, x),
      child(qa, key, y),
    );
  }
}

/** Where a tool's findings are in its server's contract: `/tools/<tool>`. */
function toolPointer(tool: IRMcpTool): string {
  return `/tools/${escapePointerSegment(tool.name)}`;
}

/** What makes two tools the same contract under different names. */
function shape(tool: IRMcpTool): string {
  return canonical({ parameters: tool.parameters.schema, returns: tool.returns?.schema ?? null }, true);
}
