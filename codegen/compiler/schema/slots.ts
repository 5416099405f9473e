/**
 * The places in a definitions document where a JSON Schema sits ("slots"): named types, tool
 * parameters and returns, agent context and output (each member of an output union).
 */
import { escapePointerSegment } from '../problems.js';
import { isObject } from './walk.js';

/** What a schema slot is for. */
export type SlotKind = 'type' | 'parameters' | 'returns' | 'context' | 'output';

/** One schema slot of a document. */
export interface SchemaSlot {
  kind: SlotKind;
  /** JSON pointer of the schema in its file. */
  pointer: string;
  /** The schema as written. */
  schema: unknown;
}

/** Every schema slot of a parsed definitions document, in document order. */
export function schemaSlots(doc: unknown): SchemaSlot[] {
  const slots: SchemaSlot[] = [];
  if (!isObject(doc)) return slots;
  const section = (name: string) => (isObject(doc[name]) ? Object.entries(doc[name] as object) : []);
  const seg = escapePointerSegment;
  for (const [name, schema] of section('types')) {
    slots.push({ kind: 'type', pointer: `/types/${seg(name)}`, schema });
  }
  for (const [name, tool] of section('tools')) {
    if (!isObject(tool)) continue;
    for (const kind of ['parameters', 'returns'] as const) {
      if (tool[kind] !== undefined) slots.push({ kind, pointer: `/tools/${seg(name)}/${kind}`, schema: tool[kind] });
    }
  }
  for (const [name, agent] of section('agents')) {
    if (!isObject(agent)) continue;
    const base = `/agents/${seg(name)}`;
    if (agent['context'] !== undefined) slots.push({ kind: 'context', pointer: `${base}/context`, schema: agent['context'] });
    const output = agent['output'];
    if (Array.isArray(output)) {
      output.forEach((schema, i) => slots.push({ kind: 'output', pointer: `${base}/output/${i}`, schema }));
    } else if (output !== undefined) {
      slots.push({ kind: 'output', pointer: `${base}/output`, schema: output });
    }
  }
  return slots;
}
