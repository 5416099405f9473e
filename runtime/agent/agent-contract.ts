/**
 * An agent's contract as a paused run records it: each tool's schemas and how its calls run, and
 * the output's schemas, with a fingerprint. When the run resumes (or a durable engine recovers it
 * after a deploy), the current contract is compared with the recorded one (resume-check.ts): the
 * same fingerprint resumes at once; otherwise the diff rules decide.
 */
import type { JsonSchema } from '../contract/spec.js';
import type { OutputHandler } from './output.js';
import type { RuntimeTool } from './tools.js';

/** One tool in a contract. */
export interface ToolContract {
  readonly parameters: JsonSchema;
  readonly returns?: JsonSchema;
  readonly approval?: 'required' | 'conditional';
  readonly external?: true;
}

/** An agent's contract: plain JSON, stored with each paused run. */
export interface AgentContract {
  /** 16 hex digits, the same for equal contracts (whatever the order of keys). */
  readonly fingerprint: string;
  /** Function tools (delegates and toolsets' tools included), by model-facing name. */
  readonly tools: Readonly<Record<string, ToolContract>>;
  /** The output's schemas by output tool name; empty for text output. */
  readonly output: Readonly<Record<string, JsonSchema>>;
}

/** The contract of a run's tools and output. */
export function agentContract(tools: ReadonlyMap<string, RuntimeTool>, output: OutputHandler): AgentContract {
  const toolContracts: Record<string, ToolContract> = {};
  for (const [name, tool] of [...tools].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const entry: { -readonly [K in keyof ToolContract]: ToolContract[K] } = { parameters: tool.definition.parametersJsonSchema };
    if (tool.returnsSchema !== undefined) entry.returns = tool.returnsSchema;
    if (tool.external) entry.external = true;
    else if (tool.approval) entry.approval = tool.approval === true ? 'required' : 'conditional';
    toolContracts[name] = entry;
  }
  const body = { tools: toolContracts, output: output.memberSchemas() };
  return { fingerprint: fingerprintOf(body), ...body };
}

/** The fingerprint of a contract's tools and output (recomputed to check a stored one). */
export function fingerprintOf(body: Pick<AgentContract, 'tools' | 'output'>): string {
  return fnv64(canonicalJson({ tools: body.tools, output: body.output }));
}

/** JSON with object keys sorted at every depth: equal values give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * FNV-1a, 64 bits, over the text's UTF-16 code units: synchronous and the same everywhere (no
 * crypto API needed). A fingerprint tells contracts apart; it is not a security measure.
 */
function fnv64(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) {
    hash ^= BigInt(text.charCodeAt(i));
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, '0');
}
