/**
 * The diagram of the index page: a mermaid flowchart of agents, the tools they call and the agents
 * they delegate to. Node ids are made from names by an injective encoding, behind a prefix, so no
 * name can collide with another, with a mermaid keyword (`end`, `graph`) or with edge syntax
 * (`o`/`x` after an arrow); labels are quoted and every character mermaid reads specially is
 * written as an entity code, so no name can end a label or a line.
 */
import type { IR } from '../../compiler/ir/types.js';
import { UnsafeValueError } from '../escape.js';

/** A node of the diagram. */
export interface MermaidNode {
  id: string;
  label: string;
}

/** An edge, from one node id to another. */
export interface MermaidEdge {
  from: string;
  to: string;
}

/** The diagram as the index template draws it. */
export interface MermaidDiagram {
  agents: MermaidNode[];
  tools: MermaidNode[];
  /** Agent -> tool it calls (a plain arrow). */
  toolEdges: MermaidEdge[];
  /** Agent -> agent it delegates to (a thick, labelled arrow). */
  delegateEdges: MermaidEdge[];
}

/**
 * A node id: `agent_` or `tool_` and the name, with `_` doubled and every other character that is
 * not a letter or digit written as `_h` (for `-`) or `_uXXXX_`, so two names never share an id.
 */
export function mermaidNodeId(kind: 'agent' | 'tool', name: string): string {
  const encoded = name.replace(/[^A-Za-z0-9]/gu, (c) => (c === '_' ? '__' : c === '-' ? '_h' : `_u${c.codePointAt(0)!.toString(16)}_`));
  return `${kind}_${encoded}`;
}

/** Checks a node id (the template's `mermaidId` helper): only ids this module makes get through. */
export function checkedMermaidId(id: string): string {
  if (!/^(agent|tool)_[A-Za-z0-9_]+$/.test(id)) throw new UnsafeValueError(`not a safe mermaid node id: ${JSON.stringify(id)}`);
  return id;
}

const ENTITIES: Readonly<Record<string, string>> = {
  '"': '#34;',
  '#': '#35;',
  '&': '#38;',
  ';': '#59;',
  '<': '#60;',
  '>': '#62;',
  '`': '#96;',
  '|': '#124;',
};

/**
 * A quoted node label (the template's `mermaidLabel` helper): quotes, `#`, `&`, `;`, angle
 * brackets, backticks (which would start a markdown label) and pipes as mermaid entity codes; line
 * ends and other control characters as spaces.
 */
export function mermaidLabel(text: string): string {
  const escaped = text.replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029]+/g, ' ').replace(/["#&;<>`|]/g, (c) => ENTITIES[c]!);
  return `"${escaped}"`;
}

/** The diagram of a corpus: every agent and tool, in name order, with their edges in the order written. */
export function diagram(ir: IR): MermaidDiagram {
  return {
    agents: ir.agents.map((a) => ({ id: mermaidNodeId('agent', a.name), label: a.name })),
    tools: ir.tools.map((t) => ({ id: mermaidNodeId('tool', t.name), label: t.name })),
    toolEdges: ir.agents.flatMap((a) => a.tools.map((t) => ({ from: mermaidNodeId('agent', a.name), to: mermaidNodeId('tool', t) }))),
    delegateEdges: ir.agents.flatMap((a) => a.delegates.map((d) => ({ from: mermaidNodeId('agent', a.name), to: mermaidNodeId('agent', d) }))),
  };
}
