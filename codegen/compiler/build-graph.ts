/**
 * Build IR for graphs (`graphs:`): each graph's names (the naming plan), its state and output, and
 * each node's names, input, awaited reply, successors, end and agent, in the order written. Whether
 * the machine holds together (successors that exist, reachable nodes, a way to end) is judged by
 * the check stage (check-graphs.ts), from what is kept here.
 */
import type { IRGraph, IRGraphEdge, IRGraphNode, IRGraphSchema, IRSchema } from './ir/types.js';
import { refName } from './ir/refs.js';
import { sourceOf } from './ir/source.js';
import { camelCase, kebabCase, pascalCase } from './naming.js';
import { graphNames, graphNodeNames } from './naming-plan.js';
import { escapePointerSegment } from './problems.js';
import { isObject } from './schema/walk.js';
import type { ResolvedEntry } from './resolved-corpus.js';

/** The IR of one graph entry. `irSchema` makes an IR schema of a resolved one; `typeNames` maps named types to their TypeScript names. */
export function buildGraph(
  entry: ResolvedEntry,
  irSchema: (schema: unknown, inlinedFrom?: string[]) => IRSchema,
  typeNames: ReadonlyMap<string, string>,
): IRGraph {
  const raw = entry.raw;
  const tsName = pascalCase(entry.name);
  const camelName = camelCase(entry.name);
  const fileName = kebabCase(entry.name);
  const names = graphNames({ tsName, camelName, fileName });
  const located = (pointer: string) => sourceOf({ file: entry.source.file, pointer });
  const slot = (pointer: string, name: string): IRGraphSchema | undefined => {
    const found = entry.slots.find((s) => s.source.pointer === pointer);
    if (!found) return undefined;
    const namedType = exactNamedType(found.schema, name, typeNames);
    return {
      schema: irSchema(found.schema, found.inlinedFrom),
      tsName: name,
      ...(namedType !== undefined ? { namedType } : {}),
      source: sourceOf(found.source),
    };
  };
  const nodes: IRGraphNode[] = [];
  for (const [name, node] of isObject(raw['nodes']) ? Object.entries(raw['nodes']) : []) {
    if (!isObject(node)) continue;
    const pointer = `${entry.source.pointer}/nodes/${escapePointerSegment(name)}`;
    const nodeTsName = pascalCase(name);
    const nodeNames = graphNodeNames(tsName, { tsName: nodeTsName, key: camelCase(name) });
    const input = slot(`${pointer}/input`, nodeNames.input);
    const waitsFor = slot(`${pointer}/waits_for`, nodeNames.reply);
    const agent = node['agent'];
    nodes.push({
      name,
      tsName: nodeTsName,
      names: nodeNames,
      ...text('description', node['description']),
      ...(input ? { input } : {}),
      ...(waitsFor ? { waitsFor } : {}),
      next: edgesOf(node['next'], `${pointer}/next`, located),
      end: node['end'] === true,
      ...(typeof agent === 'string' ? { agent } : {}),
      source: located(pointer),
    });
  }
  const output = slot(`${entry.source.pointer}/output`, names.output);
  return {
    name: entry.name,
    tsName,
    camelName,
    fileName,
    names,
    ...text('description', raw['description']),
    ...text('deps', raw['deps']),
    // A graph without a state schema is reported (missing-key) and kept out of the IR; this default is never emitted.
    state: slot(`${entry.source.pointer}/state`, names.state) ?? {
      schema: irSchema({ type: 'object' }),
      tsName: names.state,
      source: sourceOf(entry.source),
    },
    ...(output ? { output } : {}),
    start: typeof raw['start'] === 'string' ? raw['start'] : '',
    nodes,
    source: sourceOf(entry.source),
  };
}

/**
 * The named type `schema` is exactly (a `$ref` alone, or with a description), when its TypeScript
 * name is `name`: the name the graph's module would declare is then that type's own.
 */
function exactNamedType(schema: unknown, name: string, typeNames: ReadonlyMap<string, string>): string | undefined {
  if (!isObject(schema) || !Object.keys(schema).every((k) => k === '$ref' || k === 'description')) return undefined;
  const ref = refName(schema);
  return ref !== undefined && typeNames.get(ref) === name ? ref : undefined;
}

/** A node's `next` list: names and `{node, label}` items, each with where it was written (others were reported by validate). */
function edgesOf(value: unknown, pointer: string, located: (pointer: string) => IRGraphEdge['source']): IRGraphEdge[] {
  const edges: IRGraphEdge[] = [];
  (Array.isArray(value) ? value : []).forEach((item: unknown, i) => {
    const source = located(`${pointer}/${i}`);
    if (typeof item === 'string') edges.push({ node: item, source });
    else if (isObject(item) && typeof item['node'] === 'string') edges.push({ node: item['node'], ...text('label', item['label']), source });
  });
  return edges;
}

/** `{key: value}` when the value is a string, else nothing (validate reported any other type). */
function text<K extends string>(key: K, value: unknown): Partial<Record<K, string>> {
  return typeof value === 'string' ? ({ [key]: value } as Record<K, string>) : {};
}
