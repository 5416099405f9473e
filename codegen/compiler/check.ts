/**
 * Stage 5, check: what can only be judged on the whole corpus. Unknown tools, cyclic delegation,
 * placeholders the context does not define, schemas that must be objects, MCP servers
 * (check-mcp.ts), graphs (check-graphs.ts), and names that would clash (or shadow globals) in
 * generated code.
 */
import type { IR, IRAgent, IRSchema, IRSource } from './ir/types.js';
import { acceptsOnlyObjects, refTarget } from './ir/refs.js';

import { problemAt, problemInString } from './locate.js';
import { GLOBAL_TYPE_NAMES, isIdentifier } from './naming.js';
import { DEFERRED_AGENT_NAMES, type AgentNames } from './naming-plan.js';
import { compareText, type Problem, type ProblemCode } from './problems.js';
import { isObject, type SchemaObject } from './schema/walk.js';
import { didYouMean } from './suggest.js';
import { placeholderOffsets, type BuildNotes } from './build-ir.js';
import { graphProblems } from './check-graphs.js';
import { mcpProblems } from './check-mcp.js';
import type { LoadedFile } from './load.js';
import type { ResolvedCorpus } from './resolve.js';

/** Checks the IR. `files` gives positions for problems deeper than an entry. */
export function check(ir: IR, notes: BuildNotes, corpus: ResolvedCorpus, files: readonly LoadedFile[]): Problem[] {
  const problems: Problem[] = [];
  const byRel = new Map(files.map((f) => [f.rel, f]));
  const at = (source: Pick<IRSource, 'rel' | 'pointer'>, code: ProblemCode, message: string, anchor: 'key' | 'value' = 'value'): Problem =>
    problemAt(byRel.get(source.rel)!, source.pointer, code, message, { anchor });
  const types = new Map(ir.types.map((t) => [t.name, t]));
  // The raw text of each agent's instructions and system prompt, by `<key>:<agent>`.
  const rawInstructions = new Map<string, string>();
  for (const entry of corpus.agents)
    for (const key of ['instructions', 'system_prompt']) if (typeof entry.raw[key] === 'string') rawInstructions.set(`${key}:${entry.name}`, entry.raw[key]);

  for (const unknown of notes.unknownTools) {
    const candidates = [...corpus.declared.tools.keys(), ...corpus.declared.agents.keys()];
    problems.push(
      at(
        { rel: unknown.source.file.rel, pointer: unknown.source.pointer },
        'unknown-tool',
        `agent "${unknown.agent}" uses "${unknown.name}", which is neither a tool nor an agent${didYouMean(unknown.name, candidates)}`,
      ),
    );
  }

  problems.push(
    ...delegationCycles(ir, (agent, index, message) =>
      at({ rel: agent.source.rel, pointer: `${agent.source.pointer}/tools/${index}` }, 'cyclic-delegation', message),
    ),
  );

  for (const entry of [...ir.tools, ...ir.agents]) {
    // Output tools are named final_result or final_result_<Member>: a tool (or a delegate agent)
    // of that name would be shadowed by them.
    if (/^final_result(_|$)/.test(entry.name)) {
      problems.push(at(entry.source, 'reserved-name', `the name "${entry.name}" is reserved for output tools; rename it`, 'key'));
    }
  }
  for (const agent of ir.agents) {
    if (agent.output.kind !== 'structured') continue;
    const seen = new Map<string, string>();
    // The names the agent's module declares itself (its own output's name only when it is an
    // alias of the members), which a member written in place must not take.
    const output = agent.output;
    const declaresAlias = output.members.length > 1 || output.allowsText || output.members[0]?.namedType !== undefined;
    const declared = new Set(
      declaredAgentNames(agent)
        .filter(([key]) => key !== (agent.deferred ? 'finalOutput' : 'output') || declaresAlias)
        .map(([, name]) => name),
    );
    for (const member of agent.output.members) {
      if (member.namedType === undefined && declared.has(member.tsName)) {
        problems.push(
          at(
            member.source,
            'output-name',
            `the output of agent "${agent.name}" would declare ${member.tsName}, which its module already declares; give the member another title`,
          ),
        );
      }
      const first = seen.get(member.toolName);
      if (first !== undefined) {
        problems.push(
          at(
            member.source,
            'output-name',
            `two members of the output union of agent "${agent.name}" are named ${member.memberName}; give one a different title or type`,
          ),
        );
      }
      seen.set(member.toolName, member.memberName);
    }
  }
  for (const tool of ir.tools) {
    if (tool.external && tool.approval !== undefined) {
      problems.push(
        at(
          { rel: tool.source.rel, pointer: `${tool.source.pointer}/approval` },
          'invalid-value',
          `tool "${tool.name}" is external, so it cannot also need approval: the caller runs its calls and decides on them itself; remove approval or external`,
          'key',
        ),
      );
    }
    if (!acceptsOnlyObjects(tool.parameters.schema, types)) {
      problems.push(
        at(
          { rel: tool.source.rel, pointer: `${tool.source.pointer}/parameters` },
          'not-an-object',
          `the parameters of tool "${tool.name}" must be an object schema (type: object)`,
        ),
      );
    }
  }
  for (const agent of ir.agents) {
    const contextPointer = { rel: agent.source.rel, pointer: `${agent.source.pointer}/context` };
    if (agent.context && !acceptsOnlyObjects(agent.context.schema, types)) {
      problems.push(at(contextPointer, 'not-an-object', `the context of agent "${agent.name}" must be an object schema (type: object)`));
    }
    for (const [key, template] of [
      ['instructions', agent.instructions],
      ['system_prompt', agent.systemPrompt],
    ] as const) {
      // Each placeholder problem points at the placeholder, inside the instructions (or system prompt).
      const pointer = `${agent.source.pointer}/${key}`;
      const text = rawInstructions.get(`${key}:${agent.name}`);
      const offsets = text === undefined ? [] : placeholderOffsets(text);
      const file = byRel.get(agent.source.rel)!;
      const atPlaceholder = (index: number, message: string): Problem =>
        text !== undefined && offsets[index] !== undefined
          ? problemInString(file, pointer, text, offsets[index], 'unknown-placeholder', message)
          : at({ rel: agent.source.rel, pointer }, 'unknown-placeholder', message);
      let index = -1;
      for (const part of template ?? []) {
        if (part.kind !== 'placeholder') continue;
        index++;
        const placeholder = `{{${part.path.join('.')}}}`;
        if (!agent.context) {
          problems.push(atPlaceholder(index, `${placeholder} has no value: agent "${agent.name}" has no context schema; add one that defines ${part.path[0]}`));
          continue;
        }
        const missing = missingPath(agent.context.schema, part.path, types);
        if (missing) {
          problems.push(atPlaceholder(index, `${placeholder}: the context defines no "${missing.segment}"${didYouMean(missing.segment, missing.available)}`));
        }
      }
    }
  }

  problems.push(...mcpProblems(ir, notes, corpus.declared.mcp.keys(), at));
  problems.push(...graphProblems(ir.graphs, corpus.declared.agents.keys(), at));
  problems.push(...nameClashes(ir, at));
  return problems;
}

/**
 * The names an agent's module may export, by naming-plan key: all but its modules' paths, and
 * those of deferred tool calls only when a run of it may end with them.
 */
function declaredAgentNames(agent: IRAgent): [keyof AgentNames, string][] {
  return (Object.entries(agent.names) as [keyof AgentNames, string][]).filter(
    ([key]) => key !== 'module' && key !== 'validatorsModule' && (agent.deferred || !DEFERRED_AGENT_NAMES.has(key)),
  );
}

/** Reports each cycle of delegation once, at the `tools` entry that closes it. */
function delegationCycles(ir: IR, report: (agent: IRAgent, index: number, message: string) => Problem): Problem[] {
  const problems: Problem[] = [];
  const agents = new Map(ir.agents.map((a) => [a.name, a]));
  const state = new Map<string, 'active' | 'done'>();
  const path: string[] = [];
  const visit = (agent: IRAgent): void => {
    state.set(agent.name, 'active');
    path.push(agent.name);
    for (const delegate of agent.delegates) {
      const next = agents.get(delegate);
      if (!next) continue;
      if (state.get(delegate) === 'active') {
        const cycle = [...path.slice(path.indexOf(delegate)), delegate].join(' -> ');
        problems.push(report(agent, agent.toolOrder.indexOf(delegate), `cyclic delegation: ${cycle}`));
      } else if (!state.has(delegate)) {
        visit(next);
      }
    }
    path.pop();
    state.set(agent.name, 'done');
  };
  for (const agent of ir.agents) if (!state.has(agent.name)) visit(agent);
  return problems;
}

/** The first segment of a placeholder path the context schema does not define, if any. */
function missingPath(
  schema: unknown,
  path: readonly string[],
  types: ReadonlyMap<string, { schema: IRSchema }>,
): { segment: string; available: string[] } | undefined {
  let nodes: unknown[] = [schema];
  for (const segment of path) {
    const available = new Set<string>();
    const next: unknown[] = [];
    for (const node of expand(nodes, types)) {
      const props = node['properties'];
      if (!isObject(props)) continue;
      for (const key of Object.keys(props)) available.add(key);
      if (Object.hasOwn(props, segment)) next.push(props[segment]);
    }
    if (next.length === 0) return { segment, available: [...available] };
    nodes = next;
  }
  return undefined;
}

/** Follows `$ref`s and `allOf`s so that properties defined through them count. */
function expand(nodes: readonly unknown[], types: ReadonlyMap<string, { schema: IRSchema }>): SchemaObject[] {
  const out: SchemaObject[] = [];
  const queue = [...nodes];
  const seen = new Set<unknown>();
  while (queue.length > 0) {
    const node = queue.shift();
    if (!isObject(node) || seen.has(node)) continue;
    seen.add(node);
    out.push(node);
    if (typeof node['$ref'] === 'string') queue.push(refTarget(node, types));
    if (Array.isArray(node['allOf'])) queue.push(...node['allOf']);
  }
  return out;
}

/** The names each IR element claims, by element: watch mode hands the same elements to every run. */
const namesByElement = new WeakMap<object, readonly string[]>();

function claimedNames(element: object, names: () => string[]): readonly string[] {
  let known = namesByElement.get(element);
  if (!known) namesByElement.set(element, (known = names()));
  return known;
}

/**
 * Every exported name and generated file must be unique: the index re-exports them all, and two
 * definitions whose names differ only in case or separators (`get_lat_lng`, `getLatLng`) would
 * otherwise overwrite each other. Each clashing pair is reported once, at the later definition.
 */
function nameClashes(
  ir: IR,
  at: (source: Pick<IRSource, 'rel' | 'pointer'>, code: ProblemCode, message: string, anchor?: 'key' | 'value') => Problem,
): Problem[] {
  const problems: Problem[] = [];
  const owners: { what: string; source: IRSource; names: readonly string[] }[] = [];
  const moduleOwners = new Map<string, string>();
  for (const type of ir.types) {
    const owner = moduleOwners.get(type.module);
    if (owner === undefined) moduleOwners.set(type.module, type.source.rel);
    else if (owner !== type.source.rel) {
      problems.push(
        at(
          type.source,
          'name-collision',
          `the types of ${type.source.rel} would be generated into ${type.module}.ts, like those of ${owner}; rename one file`,
          'key',
        ),
      );
    }
    if (GLOBAL_TYPE_NAMES.has(type.tsName)) {
      problems.push(
        at(type.source, 'reserved-name', `type "${type.name}" would be named ${type.tsName}, which shadows a global TypeScript type; rename it`, 'key'),
      );
    }
    owners.push({
      what: `type "${type.name}"`,
      source: type.source,
      names: claimedNames(type, () => [`$defs:${type.name}`, type.tsName, `file:${type.validator.module}`]),
    });
  }
  for (const tool of ir.tools) {
    const names = claimedNames(tool, () => {
      const n = tool.names;
      return [n.args, n.argsPartial, n.return, n.constant, `file:${tool.names.module}`];
    });
    owners.push({ what: `tool "${tool.name}"`, source: tool.source, names });
  }
  for (const agent of ir.agents) {
    const names = claimedNames(agent, () => {
      const n = agent.names;
      const list = [...declaredAgentNames(agent).map(([, name]) => name), `file:${n.module}`];
      if (agent.output.kind === 'structured') {
        for (const m of agent.output.members) if (m.namedType === undefined && m.tsName !== n.output && m.tsName !== n.finalOutput) list.push(m.tsName);
      }
      return list;
    });
    owners.push({ what: `agent "${agent.name}"`, source: agent.source, names });
  }
  for (const server of ir.mcp) {
    const names = claimedNames(server, () => {
      const { module, validatorsModule, ...exported } = server.names;
      return [...Object.values(exported), `file:${module}`, `file:${validatorsModule}`];
    });
    owners.push({ what: `MCP server "${server.name}"`, source: server.source, names });
  }
  for (const graph of ir.graphs) {
    const names = claimedNames(graph, () => {
      const { module, validatorsModule, ...exported } = graph.names;
      // A state or output that is exactly the named type of its name is that type's: imported, not declared.
      const imported = new Set([graph.state, graph.output].filter((s) => s?.namedType !== undefined).map((s) => s!.tsName));
      return [...Object.values(exported).filter((name) => !imported.has(name)), `file:${module}`, `file:${validatorsModule}`];
    });
    owners.push({ what: `graph "${graph.name}"`, source: graph.source, names });
    for (const node of graph.nodes) {
      const declared = [node.input, node.waitsFor].filter((s) => s !== undefined && s.namedType === undefined).map((s) => s!.tsName);
      if (declared.length > 0) owners.push({ what: `node "${node.name}" of graph "${graph.name}"`, source: node.source, names: declared });
    }
  }
  owners.sort((a, b) => compareText(a.source.file, b.source.file) || a.source.line - b.source.line || a.source.col - b.source.col);
  const claimed = new Map<string, (typeof owners)[number]>();
  for (const owner of owners) {
    const bad = owner.names.find((name) => !/^(file|\$defs):/.test(name) && !isIdentifier(name));
    if (bad !== undefined) {
      problems.push(at(owner.source, 'invalid-name', `${owner.what} would need the TypeScript name "${bad}", which is not an identifier; rename it`, 'key'));
      continue;
    }
    const reported = new Set<(typeof owners)[number]>();
    for (const name of owner.names) {
      const first = claimed.get(name);
      if (!first) {
        claimed.set(name, owner);
      } else if (first !== owner && !reported.has(first)) {
        reported.add(first);
        const shown = name.replace(/^(file|\$defs):/, '');
        problems.push(
          at(
            owner.source,
            'name-collision',
            `${owner.what} becomes "${shown}", which ${first.what} at ${first.source.file}:${first.source.line}:${first.source.col} also becomes; rename one`,
            'key',
          ),
        );
      }
    }
  }
  return problems;
}
