/**
 * The binding check both `defineAgent`s make (the `schemantic` entry's and the small
 * `schemantic/define` one): the generated code suits this runtime, every tool has a handler and
 * every delegate an agent. One function, so that both say the same things in the same words.
 */
import { UserError } from '../contract/errors.js';
import type { AgentSpec } from '../contract/spec.js';
import { assertRuntimeCompatible } from './runtime-compat.js';

/**
 * True for an agent of either entry: told by what a delegate tool uses of it (its spec and `run`),
 * since the small entry cannot name the `Agent` class without loading it, and its own agents are
 * not instances of that class.
 */
export function isAgentLike(value: unknown): boolean {
  const candidate = value as { spec?: unknown; run?: unknown } | null;
  return (
    typeof candidate === 'object' && candidate !== null && typeof candidate.spec === 'object' && candidate.spec !== null && typeof candidate.run === 'function'
  );
}

/** What {@link bindSpec} checked: the handlers and delegates by key, and the other options. */
export interface CheckedBinding {
  handlers: Record<string, unknown>;
  delegates: Record<string, unknown>;
  rest: Record<string, unknown>;
}

/**
 * Checks `options` (a generated factory's: `tools`, `agents` and the agent options) against
 * `spec`; throws a {@link UserError} naming what is missing. The callers build their binding from
 * what it returns (this module cannot name agent.ts's types: agent.ts imports it).
 */
export function bindSpec(spec: AgentSpec<unknown, unknown>, options: { tools?: object; agents?: object }): CheckedBinding {
  const where = spec.source ?? `agent ${spec.name}`;
  assertRuntimeCompatible(spec.runtime, where);
  const { tools = {}, agents = {}, ...rest } = options;
  const handlers = tools as Record<string, unknown>;
  const conditions = ((rest as { needsApproval?: unknown }).needsApproval ?? {}) as Record<string, unknown>;
  for (const { key, tool } of spec.tools) {
    // The caller runs an external tool's calls: it has no handler.
    if (tool.external) continue;
    if (!Object.hasOwn(handlers, key) || typeof handlers[key] !== 'function') {
      throw new UserError(`${where}: no handler for tool ${tool.name}: pass tools.${key}`);
    }
    if (tool.approval === 'conditional' && (!Object.hasOwn(conditions, key) || typeof conditions[key] !== 'function')) {
      throw new UserError(`${where}: tool ${tool.name} needs approval when a condition says so: pass needsApproval.${key}`);
    }
  }
  const delegates = agents as Record<string, unknown>;
  for (const { key, tool } of spec.delegates) {
    if (!Object.hasOwn(delegates, key) || !isAgentLike(delegates[key])) {
      throw new UserError(`${where}: no agent for delegate ${tool.name}: pass agents.${key}`);
    }
  }
  return { handlers, delegates, rest };
}
