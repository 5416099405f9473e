/**
 * May a paused run resume under the agent's current contract? The same fingerprint: yes. Otherwise
 * the diff rules of `schemantic diff` decide, over what the run still depends on: the tools of its
 * pending calls (`pending`), or, for a durable run recovered after a deploy (`all`), every tool and
 * the output, since its recorded steps replay under the new code. A breaking change stops it with
 * a {@link ContractChangedError} naming each change; anything else resumes.
 */
import { UserError } from '../contract/errors.js';
import type { JsonSchema } from '../contract/spec.js';
import type { AgentContract, ToolContract } from './agent-contract.js';

/** One change that stops a resume: where (tool, JSON pointer into its schema), which rule, why. */
export interface ContractChange {
  /** The tool (`parameters`/`returns` changed, or it went), or `output:<output tool>`. */
  readonly tool: string;
  /** Where in the contract: `/parameters/properties/amount`, `/returns`, `` for the tool itself. */
  readonly pointer: string;
  /** The rule's id, as `schemantic diff` names it (`property-added-required`, `tool-removed`...). */
  readonly rule: string;
  readonly message: string;
}

/** A paused or recovered run cannot resume: the agent's contract changed in a breaking way. */
export class ContractChangedError extends UserError {
  readonly changes: readonly ContractChange[];

  constructor(agent: string, changes: readonly ContractChange[]) {
    const lines = changes.map((c) => `  - ${c.tool}${c.pointer} [${c.rule}]: ${c.message}`).join('\n');
    super(`agent ${agent}: the run cannot resume: its contract changed in a breaking way since the run paused (or, for a durable run, started):\n${lines}`);
    this.changes = changes;
  }
}

/** The breaking changes between the recorded contract and the current one, over the given tools. */
export async function breakingChanges(recorded: AgentContract, current: AgentContract, scope: { tools: readonly string[] } | 'all'): Promise<ContractChange[]> {
  if (recorded.fingerprint === current.fingerprint) return [];
  // The comparison (the diff rules) loads only when a contract did change.
  const { schemaChanges } = await import('../contract-diff/schema-changes.js');
  const compare = (tool: string, at: string, before: JsonSchema, after: JsonSchema, direction: 'input' | 'output'): ContractChange[] =>
    schemaChanges(before, after, direction)
      .filter((c) => c.severity === 'breaking')
      .map((c) => ({ tool, pointer: at + c.pointer, rule: c.rule, message: c.message }));
  const changes: ContractChange[] = [];
  const names = scope === 'all' ? Object.keys(recorded.tools) : [...new Set(scope.tools)];
  for (const name of names) {
    const before: ToolContract | undefined = recorded.tools[name];
    if (!before) continue;
    const after: ToolContract | undefined = current.tools[name];
    if (!after) {
      changes.push({ tool: name, pointer: '', rule: 'tool-removed', message: 'the tool was removed: its call cannot run' });
      continue;
    }
    // The other way (a handler where the caller ran it) is fine: a result sent for the call is used as it is.
    if (after.external && !before.external)
      changes.push({
        tool: name,
        pointer: '/external',
        rule: 'tool-made-external',
        message: 'the tool is now run by the caller: an approved call has no handler to run it',
      });
    changes.push(...compare(name, '/parameters', before.parameters, after.parameters, 'input'));
    if (before.returns !== undefined && after.returns !== undefined) changes.push(...compare(name, '/returns', before.returns, after.returns, 'output'));
  }
  if (scope === 'all') {
    for (const [toolName, schema] of Object.entries(recorded.output)) {
      const now = current.output[toolName];
      if (now === undefined) changes.push({ tool: `output:${toolName}`, pointer: '', rule: 'output-member-removed', message: 'the output member was removed' });
      else changes.push(...compare(`output:${toolName}`, '', schema, now, 'output'));
    }
  }
  return changes;
}
