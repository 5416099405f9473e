/**
 * The JSON Schema export: one self-contained draft 2020-12 document per contract part, that is the
 * parameters and returns of each tool, and the output and context of each agent. Named types the
 * part reaches are bundled under `$defs`, where the canonical schemas' `#/$defs/<type>` references
 * already point.
 */
import { withDefs } from '../../compiler/ir/bundle.js';
import type { IR, IRAgent, IRSchema, IRSource, IRType } from '../../compiler/ir/types.js';

import { schemaObject, type SchemaObject } from '../../compiler/schema/walk.js';
import { closureOf } from './defs.js';
import { jsonFile } from './json-file.js';
import type { SourceIndex } from './sources.js';

/** The dialect every exported document declares. */
export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

/** Title of the text member of an output union whose agent may also end with plain text. */
export const TEXT_MEMBER_TITLE = 'text';

/** One part of a contract, before it becomes a file. */
interface Part {
  path: string;
  /** The TypeScript name generate gives the part (`GetLatLngArgs`), so both sides read alike. */
  title: string;
  /**
   * Used when the root schema has no description of its own: the tool's, for its parameters (a
   * function-calling schema is read with its tool's description); none for the other parts, which
   * a tool's or agent's description does not describe.
   */
  description?: string | undefined;
  root: unknown;
  owner: IRSource;
  /** The IR schemas the root is made of (for the banner's list of files). */
  schemas: IRSchema[];
}

/** The JSON Schema documents of `ir`, by path under the output folder. */
export function jsonSchemaFiles(ir: IR, sources: SourceIndex): Map<string, string> {
  const types = new Map(ir.types.map((t) => [t.name, t]));
  const parts: Part[] = [];
  for (const tool of ir.tools) {
    const names = tool.names;
    const base = { owner: tool.source };
    parts.push({
      ...base,
      description: tool.description,
      path: `json-schema/tools/${tool.name}.parameters.schema.json`,
      title: names.args,
      root: tool.parameters.schema,
      schemas: [tool.parameters],
    });
    if (tool.returns)
      parts.push({
        ...base,
        path: `json-schema/tools/${tool.name}.returns.schema.json`,
        title: names.return,
        root: tool.returns.schema,
        schemas: [tool.returns],
      });
  }
  for (const agent of ir.agents) {
    const names = agent.names;
    const base = { owner: agent.source };
    // The schema is of what the model outputs: for an agent whose runs may stop at deferred tool
    // calls, that is `<Agent>FinalOutput` (`<Agent>Output` also holds the DeferredToolRequests).
    const title = agent.deferred ? names.finalOutput : names.output;
    parts.push({ ...base, path: `json-schema/agents/${agent.name}.output.schema.json`, title, ...agentOutput(agent) });
    if (agent.context)
      parts.push({
        ...base,
        path: `json-schema/agents/${agent.name}.context.schema.json`,
        title: names.context,
        root: agent.context.schema,
        schemas: [agent.context],
      });
  }
  const files = new Map<string, string>();
  for (const part of parts) files.set(part.path, jsonFile('$comment', sources.files([part.owner], part.schemas), document(part, types)));
  return files;
}

/**
 * What an agent outputs, as one schema: text is a string; a single member is its schema; a union
 * is `anyOf` its members, each titled with its member name (the suffix of its output tool,
 * `final_result_<Name>`), plus a string when the agent may also end with text.
 */
function agentOutput(agent: IRAgent): { root: unknown; schemas: IRSchema[] } {
  const output = agent.output;
  if (output.kind === 'text') return { root: { type: 'string' }, schemas: [] };
  const schemas = output.members.map((m) => m.schema);
  if (output.members.length === 1 && !output.allowsText) return { root: output.members[0]!.schema.schema, schemas };
  const members = output.members.map((m) => titled(m.memberName || m.tsName, m.schema.schema));
  if (output.allowsText) members.push({ title: TEXT_MEMBER_TITLE, type: 'string' });
  return { root: { anyOf: members }, schemas };
}

/** `schema` with `title` as its first member (replacing its own). */
function titled(title: string, schema: unknown): SchemaObject {
  const { title: _own, ...rest } = schemaObject(schema);
  return { title, ...rest };
}

/** The document of one part: `$schema`, title and description first, then the schema, then `$defs`. */
function document(part: Part, types: ReadonlyMap<string, IRType>): SchemaObject {
  const { $schema: _dialect, title: _title, description: own, ...rest } = schemaObject(part.root);
  const description = typeof own === 'string' ? own : part.description;
  return {
    $schema: JSON_SCHEMA_DIALECT,
    title: part.title,
    ...(description !== undefined ? { description } : {}),
    ...withDefs(rest, closureOf(rest, types), types),
  };
}
