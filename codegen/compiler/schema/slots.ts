/**
 * The places in a definitions document where a JSON Schema sits ("slots"): named types, tool
 * parameters and returns, agent context and output (each member of an output union), the
 * parameters and returns of each tool an MCP server lists, and a graph's state and output and each
 * of its nodes' input and awaited reply (`waits_for`).
 */
import { escapePointerSegment } from '../problems.js';
import { isObject } from './walk.js';

/** What a schema slot is for. */
export type SlotKind = 'type' | 'parameters' | 'returns' | 'context' | 'output' | 'state' | 'input' | 'reply';

/** One schema slot of a document. */
export interface SchemaSlot {
  kind: SlotKind;
  /** JSON pointer of the schema in its file. */
  pointer: string;
  /** The schema as written. */
  schema: unknown;
  /**
   * The stem of the names its root `$defs` get as named types (`<owner>_<def>`): the type's name,
   * `<tool>_parameters`, `<agent>_output_<index>`, `<server>_<tool>_parameters`, `<graph>_state`,
   * `<graph>_<node>_input`. Unique in a file whose entries are.
   */
  owner: string;
}

/** Every schema slot of a parsed definitions document, in document order. */
export function schemaSlots(doc: unknown): SchemaSlot[] {
  const slots: SchemaSlot[] = [];
  if (!isObject(doc)) return slots;
  const section = (value: unknown) => (isObject(value) ? Object.entries(value) : []);
  const seg = escapePointerSegment;
  for (const [name, schema] of section(doc['types'])) {
    slots.push({ kind: 'type', pointer: `/types/${seg(name)}`, schema, owner: name });
  }
  for (const [name, tool] of section(doc['tools'])) {
    if (!isObject(tool)) continue;
    for (const kind of ['parameters', 'returns'] as const) {
      if (tool[kind] !== undefined) slots.push({ kind, pointer: `/tools/${seg(name)}/${kind}`, schema: tool[kind], owner: `${name}_${kind}` });
    }
  }
  for (const [name, agent] of section(doc['agents'])) {
    if (!isObject(agent)) continue;
    const base = `/agents/${seg(name)}`;
    if (agent['context'] !== undefined) slots.push({ kind: 'context', pointer: `${base}/context`, schema: agent['context'], owner: `${name}_context` });
    const output = agent['output'];
    if (Array.isArray(output)) {
      output.forEach((schema, i) => slots.push({ kind: 'output', pointer: `${base}/output/${i}`, schema, owner: `${name}_output_${i}` }));
    } else if (output !== undefined) {
      slots.push({ kind: 'output', pointer: `${base}/output`, schema: output, owner: `${name}_output` });
    }
  }
  for (const [server, raw] of section(doc['mcp'])) {
    if (!isObject(raw)) continue;
    for (const [name, tool] of section(raw['tools'])) {
      if (!isObject(tool)) continue;
      for (const kind of ['parameters', 'returns'] as const) {
        if (tool[kind] === undefined) continue;
        slots.push({ kind, pointer: `/mcp/${seg(server)}/tools/${seg(name)}/${kind}`, schema: tool[kind], owner: `${server}_${name}_${kind}` });
      }
    }
  }
  for (const [name, graph] of section(doc['graphs'])) {
    if (!isObject(graph)) continue;
    const base = `/graphs/${seg(name)}`;
    if (graph['state'] !== undefined) slots.push({ kind: 'state', pointer: `${base}/state`, schema: graph['state'], owner: `${name}_state` });
    if (graph['output'] !== undefined) slots.push({ kind: 'output', pointer: `${base}/output`, schema: graph['output'], owner: `${name}_output` });
    for (const [node, raw] of section(graph['nodes'])) {
      if (!isObject(raw)) continue;
      for (const [key, kind] of [
        ['input', 'input'],
        ['waits_for', 'reply'],
      ] as const) {
        if (raw[key] === undefined) continue;
        slots.push({ kind, pointer: `${base}/nodes/${seg(node)}/${key}`, schema: raw[key], owner: `${name}_${node}_${key}` });
      }
    }
  }
  return slots;
}
