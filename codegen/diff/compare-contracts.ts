/**
 * The comparison of two revisions' contracts: tools (parameters in, returns out), agents (context
 * in, output out, and what they are made of), MCP servers (compare-mcp.ts), each change judged by the direction of the place it
 * is in (rules.ts) and located in both revisions.
 */
import { canonical } from 'schemantic/internal';
import { isObject } from '../compiler/schema/walk.js';
import type { InstructionPart, IRAgent, IROutput, IRTool } from '../compiler/ir/types.js';
import { MODEL_SETTING_KEYS, USAGE_LIMIT_KEYS } from '../compiler/ir/setting-keys.js';
import { compareMcp } from './compare-mcp.js';
import { compareFindings, type DiffSubject, type Finding } from './finding.js';
import { at, child, Findings, setting, text } from './findings.js';
import type { RuleId } from './rules.js';
import { childCursor, cursorOf, type Cursor, type Side } from './side.js';

/** Every finding between `old` and `new`, sorted. */
export function compareContracts(old: Side, neu: Side): Finding[] {
  const out = new Findings(old, neu);
  compareTools(out);
  compareAgents(out);
  compareMcp(out);
  return out.list.sort(compareFindings);
}

function compareTools(out: Findings): void {
  const { old, neu } = out;
  const gone = [...old.tools.keys()].filter((n) => !neu.tools.has(n));
  const fresh = [...neu.tools.keys()].filter((n) => !old.tools.has(n));
  const renamed = new Map<string, string>();
  for (const name of gone) {
    const twins = fresh.filter((f) => toolShape(old.tools.get(name)!) === toolShape(neu.tools.get(f)!));
    if (twins.length === 1 && ![...renamed.values()].includes(twins[0]!)) renamed.set(name, twins[0]!);
  }
  for (const name of gone) {
    const tool = old.tools.get(name)!;
    const to = renamed.get(name);
    if (to === undefined) {
      out.add({ kind: 'tool', name }, 'tool-removed', '', `tool "${name}" removed`, cursorOf(tool.source), undefined);
      continue;
    }
    const next = neu.tools.get(to)!;
    out.add({ kind: 'tool', name: to }, 'tool-renamed', '', `tool "${name}" renamed to "${to}"`, cursorOf(tool.source), cursorOf(next.source));
    compareTool(out, tool, next);
  }
  const renamedTo = new Set(renamed.values());
  for (const name of fresh) {
    if (!renamedTo.has(name)) out.add({ kind: 'tool', name }, 'tool-added', '', `tool "${name}" added`, undefined, cursorOf(neu.tools.get(name)!.source));
  }
  for (const [name, tool] of old.tools) {
    const next = neu.tools.get(name);
    if (next) compareTool(out, tool, next);
  }
}

/** What makes two tools the same contract under different names. */
function toolShape(tool: IRTool): string {
  return canonical({ parameters: tool.parameters.schema, returns: tool.returns?.schema ?? null }, true);
}

function compareTool(out: Findings, a: IRTool, b: IRTool): void {
  const subject: DiffSubject = { kind: 'tool', name: b.name };
  const [ca, cb] = [cursorOf(a.source), cursorOf(b.source)];
  text(out, subject, '/description', a.description, b.description, ca, cb, 'description-changed');
  out.schemas(subject, 'input', at(a.parameters, ca, 'parameters'), at(b.parameters, cb, 'parameters'), '/parameters');
  if (a.returns && b.returns) out.schemas(subject, 'output', at(a.returns, ca, 'returns'), at(b.returns, cb, 'returns'), '/returns');
  else if (a.returns) out.add(subject, 'returns-removed', '/returns', 'returns no longer declared', childCursor(ca, 'returns'), cb, 'output');
  else if (b.returns) out.add(subject, 'returns-added', '/returns', 'returns now declared', ca, childCursor(cb, 'returns'), 'output');
  setting(out, subject, '/strict', 'strict', a.strict, b.strict, ca, cb);
  setting(out, subject, '/retries', 'retries', a.retries, b.retries, ca, cb);
  compareDeferred(out, subject, a, b, ca, cb);
}

/** A tool gaining or losing `approval` (or changing its kind), and becoming or ceasing to be `external`. */
function compareDeferred(out: Findings, subject: DiffSubject, a: IRTool, b: IRTool, ca: Cursor, cb: Cursor): void {
  if (a.approval === undefined && b.approval !== undefined)
    out.add(subject, 'tool-approval-added', '/approval', `now needs approval (${b.approval})`, ca, childCursor(cb, 'approval'));
  else if (a.approval !== undefined && b.approval === undefined)
    out.add(subject, 'tool-approval-removed', '/approval', `no longer needs approval (was ${a.approval})`, childCursor(ca, 'approval'), cb);
  else if (a.approval !== b.approval)
    out.add(
      subject,
      'tool-approval-changed',
      '/approval',
      `approval changed from ${a.approval} to ${b.approval}`,
      childCursor(ca, 'approval'),
      childCursor(cb, 'approval'),
    );
  if (!a.external && b.external)
    out.add(subject, 'tool-external-added', '/external', 'now external: the caller runs its calls', ca, childCursor(cb, 'external'));
  else if (a.external && !b.external)
    out.add(subject, 'tool-external-removed', '/external', 'no longer external: a handler runs its calls', childCursor(ca, 'external'), cb);
}

function compareAgents(out: Findings): void {
  const { old, neu } = out;
  for (const [name, agent] of old.agents) {
    const next = neu.agents.get(name);
    if (next) compareAgent(out, agent, next);
    else out.add({ kind: 'agent', name }, 'agent-removed', '', `agent "${name}" removed`, cursorOf(agent.source), undefined);
  }
  for (const [name, agent] of neu.agents) {
    if (!old.agents.has(name)) out.add({ kind: 'agent', name }, 'agent-added', '', `agent "${name}" added`, undefined, cursorOf(agent.source));
  }
}

function compareAgent(out: Findings, a: IRAgent, b: IRAgent): void {
  const subject: DiffSubject = { kind: 'agent', name: b.name };
  const [ca, cb] = [cursorOf(a.source), cursorOf(b.source)];
  text(out, subject, '/description', a.description, b.description, ca, cb, 'description-changed');
  text(out, subject, '/instructions', instructionsText(a.instructions), instructionsText(b.instructions), ca, cb, 'instructions-changed');
  if (a.model !== b.model)
    out.add(
      subject,
      'model-changed',
      '/model',
      `model changed from ${a.model ?? '(none)'} to ${b.model ?? '(none)'}`,
      child(ca, 'model', a.model),
      child(cb, 'model', b.model),
    );
  if (a.context && b.context) out.schemas(subject, 'input', at(a.context, ca, 'context'), at(b.context, cb, 'context'), '/context');
  else if (b.context) out.add(subject, 'context-added', '/context', 'context added', ca, childCursor(cb, 'context'));
  else if (a.context) out.add(subject, 'context-removed', '/context', 'context removed', childCursor(ca, 'context'), cb);
  members(out, subject, 'tools', a.tools, b.tools, ca, cb, 'agent-tool-added', 'agent-tool-removed', 'tool');
  members(out, subject, 'tools', a.delegates, b.delegates, ca, cb, 'agent-delegate-added', 'agent-delegate-removed', 'delegate');
  members(out, subject, 'mcp', a.mcp, b.mcp, ca, cb, 'agent-mcp-added', 'agent-mcp-removed', 'MCP server');
  if (a.outputMode !== b.outputMode) {
    out.add(
      subject,
      'output-mode-changed',
      '/output_mode',
      `output mode changed from ${a.outputMode} to ${b.outputMode}`,
      childCursor(ca, 'output_mode'),
      childCursor(cb, 'output_mode'),
      'output',
    );
  }
  compareOutput(out, subject, a, b);
  setting(out, subject, '/retries', 'retries', a.retries, b.retries, ca, cb);
  setting(out, subject, '/output_retries', 'output retries', a.outputRetries, b.outputRetries, ca, cb);
  setting(out, subject, '/end_strategy', 'end strategy', a.endStrategy, b.endStrategy, ca, cb);
  for (const [key, yaml, keys] of [
    ['modelSettings', 'model_settings', MODEL_SETTING_KEYS],
    ['usageLimits', 'usage_limits', USAGE_LIMIT_KEYS],
  ] as const) {
    const fields = new Map<string, string>(keys);
    const p: Readonly<Record<string, unknown>> = { ...a[key] };
    const q: Readonly<Record<string, unknown>> = { ...b[key] };
    for (const name of [...new Set([...Object.keys(p), ...Object.keys(q)])].sort()) {
      const field = fields.get(name)!;
      setting(out, subject, `/${yaml}/${field}`, field, p[name], q[name], childCursor(ca, yaml), childCursor(cb, yaml));
    }
  }
}

/** Tools or delegates added to or taken from an agent's list. */
function members(
  out: Findings,
  subject: DiffSubject,
  key: string,
  p: string[],
  q: string[],
  ca: Cursor,
  cb: Cursor,
  added: RuleId,
  removed: RuleId,
  noun: string,
): void {
  for (const name of p.filter((n) => !q.includes(n)))
    out.add(subject, removed, `/${key}`, `${noun} "${name}" removed`, childCursor(ca, key), childCursor(cb, key));
  for (const name of q.filter((n) => !p.includes(n))) out.add(subject, added, `/${key}`, `${noun} "${name}" added`, childCursor(ca, key), childCursor(cb, key));
}

/** One alternative of an agent's output: a structured member, or plain text. */
interface Alternative {
  name: string;
  schema: unknown;
  cursor: Cursor;
}

function alternatives(agent: IRAgent): Alternative[] {
  const output: IROutput = agent.output;
  const cursor = childCursor(cursorOf(agent.source), 'output');
  const text: Alternative = { name: 'text', schema: { type: 'string' }, cursor };
  if (output.kind === 'text') return [text];
  // A single output has no member name; its type's name or title stands in, so that it keeps its
  // identity when the output becomes a union (or a union shrinks to it).
  const title = (schema: unknown) => (isObject(schema) && typeof schema['title'] === 'string' ? schema['title'] : '');
  const list = output.members.map((m) => ({
    name: m.memberName || m.namedType || title(m.schema.schema),
    schema: m.schema.schema,
    cursor: cursorOf(m.source),
  }));
  return output.allowsText ? [...list, text] : list;
}

function compareOutput(out: Findings, subject: DiffSubject, a: IRAgent, b: IRAgent): void {
  const p = alternatives(a);
  const q = alternatives(b);
  const [ca, cb] = [childCursor(cursorOf(a.source), 'output'), childCursor(cursorOf(b.source), 'output')];
  const kinds = (l: Alternative[]) => (l.every((x) => x.name === 'text') ? 'text' : 'structured');
  if (kinds(p) !== kinds(q) && !p.some((x) => x.name === 'text' && q.some((y) => y.name === 'text'))) {
    out.add(subject, 'output-kind-changed', '/output', `output changed from ${kinds(p)} to ${kinds(q)}`, ca, cb, 'output');
    return;
  }
  // A union on either side: members by name, so a member keeps its identity (and output tool) when others change.
  if (p.length > 1 || q.length > 1) {
    const named = (l: Alternative[]) => new Map(l.map((x) => [x.name, x]));
    const [np, nq] = [named(p), named(q)];
    const gone = p.filter((x) => !nq.has(x.name));
    const fresh = q.filter((y) => !np.has(y.name));
    const renamed = new Map<Alternative, Alternative>();
    for (const x of gone) {
      const twins = fresh.filter((y) => canonical(x.schema, true) === canonical(y.schema, true));
      if (twins.length === 1) renamed.set(x, twins[0]!);
    }
    for (const x of gone) {
      const y = renamed.get(x);
      if (y) out.add(subject, 'output-member-renamed', `/output/${y.name}`, `output member ${x.name} renamed to ${y.name}`, x.cursor, y.cursor, 'output');
      else out.add(subject, 'output-member-removed', `/output/${x.name}`, `output member ${x.name} removed`, x.cursor, cb, 'output');
    }
    const renamedTo = new Set(renamed.values());
    for (const y of fresh)
      if (!renamedTo.has(y)) out.add(subject, 'output-member-added', `/output/${y.name}`, `output member ${y.name} added`, ca, y.cursor, 'output');
    for (const x of p) {
      const y = nq.get(x.name);
      if (y) out.schemas(subject, 'output', { schema: x.schema, cursor: x.cursor }, { schema: y.schema, cursor: y.cursor }, `/output/${x.name}`);
    }
    return;
  }
  out.schemas(subject, 'output', { schema: p[0]!.schema, cursor: p[0]!.cursor }, { schema: q[0]!.schema, cursor: q[0]!.cursor }, '/output');
}

/** Instructions as written, placeholders included. */
function instructionsText(parts: InstructionPart[] | undefined): string | undefined {
  return parts?.map((p) => (p.kind === 'text' ? p.text : `{{${p.path.join('.')}}}`)).join('');
}
