/**
 * A graph as a mermaid state diagram (`stateDiagram-v2`): the text a generated graph module holds
 * (`<graph>GraphMermaid`, and the spec's `mermaid`) and `schemantic docs` draws, from one function.
 *
 * `[*] --> start`, an edge per successor (with its label), `node --> [*]` for a node that may end,
 * a description line on a node that waits for a reply or runs an agent, and a note with each
 * node's description. Text from the definitions cannot break the diagram: every character
 * mermaid's state grammar reads specially (`:` and `;` end a label, `#` and `%%` start comments,
 * quotes, brackets, braces, backticks, angle brackets) is written as a mermaid entity code
 * (`#58;`), which mermaid turns back into the character after parsing; line ends become spaces
 * (in notes, separate lines); and the words the grammar matches anywhere (`direction`, and
 * `end note` in a note) are broken by an entity. A node's id is its name when that is a plain word
 * no keyword starts; other nodes are declared with their name as a label (`state "ask-me" as node_2`).
 */
import type { IRGraph, IRGraphNode } from '../compiler/ir/types.js';

/** The diagram of `graph`, lines joined with `\n` (no final line end). */
export function graphDiagram(graph: IRGraph): string {
  const ids = stateIds(graph.nodes);
  const id = (name: string) => ids.get(name);
  const lines = ['---', `title: ${yamlTitle(graph.name)}`, '---', 'stateDiagram-v2'];
  for (const node of graph.nodes) if (id(node.name) !== node.name) lines.push(`  state "${node.name}" as ${id(node.name)!}`);
  if (id(graph.start) !== undefined) lines.push(`  [*] --> ${id(graph.start)!}`);
  for (const node of graph.nodes) {
    const self = id(node.name)!;
    if (node.waitsFor) lines.push(`  ${self}: waits for a reply`);
    if (node.agent !== undefined) lines.push(`  ${self}: runs agent ${diagramText(node.agent)}`);
    for (const edge of node.next) {
      const to = id(edge.node);
      if (to === undefined) continue;
      const label = edge.label === undefined ? '' : diagramText(edge.label);
      lines.push(`  ${self} --> ${to}${label === '' ? '' : `: ${label}`}`);
    }
    if (node.end) lines.push(`  ${self} --> [*]`);
    const note = noteLines(node.description ?? '');
    if (note.length > 0) lines.push(`  note right of ${self}`, ...note.map((l) => `    ${l}`), '  end note');
  }
  return lines.join('\n');
}

/** Words the state grammar reads as keywords where a state id stands (compared in lower case). */
const KEYWORDS: ReadonlySet<string> = new Set(
  'state note class classdef style scale direction default hide end as of left right fork join choice concurrent click acctitle accdescr statediagram'.split(
    ' ',
  ),
);

/** Whether a node name can be its own state id: a plain word, not a keyword, and not one the grammar's greedy rules catch. */
function plainId(name: string): boolean {
  return /^[A-Za-z][A-Za-z0-9_]*$/.test(name) && !KEYWORDS.has(name.toLowerCase()) && !/^default|direction/i.test(name);
}

/**
 * The state id of each node: its name when plain, else `node_<position>` (with `_` added until it
 * is no plain name's), so no two nodes share an id.
 */
function stateIds(nodes: readonly IRGraphNode[]): Map<string, string> {
  const ids = new Map<string, string>();
  const used = new Set(nodes.filter((n) => plainId(n.name)).map((n) => n.name));
  nodes.forEach((node, i) => {
    if (plainId(node.name)) {
      ids.set(node.name, node.name);
      return;
    }
    let alias = `node_${i + 1}`;
    while (used.has(alias)) alias += '_';
    used.add(alias);
    ids.set(node.name, alias);
  });
  return ids;
}

/** The title in the diagram's front matter: the graph's name, quoted when YAML would read it as something else. */
function yamlTitle(name: string): string {
  return /^(true|false|null|yes|no|on|off|y|n)$/i.test(name) ? `"${name}"` : name;
}

/**
 * Characters written as entity codes: those that end a label (`:`, `;`) or start a comment (`#`,
 * `%%`), quotes and braces, and what a browser or markdown would read as markup.
 */
const SPECIAL = /[#:;%"`<>&{}]/g;

/** One line of text for a label or a description line: line ends as spaces, special characters as entity codes. */
export function diagramText(text: string): string {
  return escapeLine(text.replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029]+/g, ' '));
}

/** A note's lines: each line of the text escaped, blank lines left out. */
function noteLines(text: string): string[] {
  return text
    .split(/\r\n?|[\n\u0085\u2028\u2029]/)
    .map((line) => escapeLine(line.replace(/[\u0000-\u001f\u007f]+/g, ' ')).replace(/(e)(nd\s+note)/gi, (_, e: string, rest: string) => `${entity(e)}${rest}`))
    .filter((line) => line !== '');
}

function escapeLine(line: string): string {
  return line
    .replace(/\s+/g, ' ')
    .trim()
    .replace(SPECIAL, entity)
    .replace(/(d)(irection)/gi, (_, d: string, rest: string) => `${entity(d)}${rest}`);
}

/** A character as a mermaid entity code (`#58;`). */
function entity(char: string): string {
  return `#${char.codePointAt(0)!};`;
}
