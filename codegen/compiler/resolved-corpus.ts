/**
 * The corpus as the resolve stage leaves it: named types, tools, agents, MCP servers and graphs with
 * canonical references, each with where it was written. Build-IR reads it; resolve-cache.ts keeps pieces of it.
 */
import type { LoadedFile } from './load.js';
import type { SlotKind } from './schema/slots.js';
import type { SchemaObject } from './schema/walk.js';

/** A place in a definitions file. */
export interface Located {
  file: LoadedFile;
  pointer: string;
}

/** A named type after resolution. */
export interface ResolvedType {
  /** The name `$ref`s use (`#/$defs/<name>`), unique across the corpus. */
  name: string;
  /** The schema, with canonical references. */
  schema: unknown;
  source: Located;
  /** For a hoisted `$defs` entry: the owner it came from (a type name, or `tool_parameters` and the like). */
  hoistedFrom?: string;
  /** Other entries whose content was copied into the schema (references to unnamed locations). */
  inlinedFrom: string[];
}

/** A resolved schema slot of a tool or agent. */
export interface ResolvedSlot {
  kind: SlotKind;
  schema: unknown;
  source: Located;
  /** Other entries whose content was copied into the schema. */
  inlinedFrom: string[];
}

/** A tool, an agent, an MCP server or a graph after resolution: its raw fields and its resolved schemas. */
export interface ResolvedEntry {
  name: string;
  raw: SchemaObject;
  source: Located;
  slots: ResolvedSlot[];
}

/** Everything the corpus declares, resolved. */
export interface ResolvedCorpus {
  types: ResolvedType[];
  tools: ResolvedEntry[];
  agents: ResolvedEntry[];
  /** MCP servers (`mcp:`), with the schemas of the tools each lists. */
  mcp: ResolvedEntry[];
  /** Graphs (`graphs:`), with the schemas of their state, output and nodes. */
  graphs: ResolvedEntry[];
  /** Every declared name, including entries left out for errors (so no "unknown tool" cascade). */
  declared: {
    types: Map<string, Located>;
    tools: Map<string, Located>;
    agents: Map<string, Located>;
    mcp: Map<string, Located>;
    graphs: Map<string, Located>;
  };
}
