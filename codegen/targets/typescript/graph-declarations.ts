/**
 * The declarations a graph's module makes from its schemas: the state, the output, and each node's
 * input and awaited reply, in that order (nodes as written), each under its plan key. A schema
 * that is exactly the named type of the same name is that type's, imported and not declared.
 */
import type { IRGraph, IRGraphSchema } from '../../compiler/ir/types.js';
import { isObject } from '../../compiler/schema/walk.js';

/** One declaration of a graph's module. */
export interface GraphDeclaration {
  /** Its plan key (`graph:<graph>:state`, `graph:<graph>:node:<node>:input`...). */
  key: string;
  slot: IRGraphSchema;
  /** Its JSDoc: the schema's own description, else what the declaration is. */
  doc: string;
}

/** The declarations of `graph`'s module, in order. */
export function graphDeclarations(graph: IRGraph): GraphDeclaration[] {
  const out: GraphDeclaration[] = [];
  const add = (key: string, slot: IRGraphSchema | undefined, doc: string) => {
    if (slot === undefined || slot.namedType !== undefined) return;
    out.push({ key: `graph:${graph.name}:${key}`, slot, doc: ownDescription(slot.schema.schema) ?? doc });
  };
  add('state', graph.state, `The state of the ${graph.name} graph: what its handlers read and change as \`ctx.state\`, checked after each node.`);
  add('output', graph.output, `What a run of the ${graph.name} graph ends with.`);
  for (const node of graph.nodes) {
    add(`node:${node.name}:input`, node.input, `The data node \`${node.name}\` of the ${graph.name} graph is made with.`);
    add(
      `node:${node.name}:reply`,
      node.waitsFor,
      `The outside value node \`${node.name}\` of the ${graph.name} graph waits for: what a resume brings, which its handler reads as \`ctx.reply\`.`,
    );
  }
  return out;
}

/** A schema's own description, when it has one. */
function ownDescription(schema: unknown): string | undefined {
  const description = isObject(schema) ? schema['description'] : undefined;
  return typeof description === 'string' && description.trim() !== '' ? description : undefined;
}
