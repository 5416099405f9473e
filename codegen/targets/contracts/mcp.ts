/**
 * The MCP export: `mcp/tools.json`, the result a server gives for `tools/list` (MCP 2025-06-18 and
 * later), one entry per tool sorted by name, ready to serve or to check a server against.
 * `inputSchema` and `outputSchema` must have `"type": "object"` at their root (object-root.ts), so
 * a tool whose returns are not an object (a string, an array) gets no `outputSchema`: MCP
 * structured results are objects, and such a tool answers with text content instead.
 */
import { withDefs } from '../../compiler/ir/bundle.js';
import type { IR, IRType } from '../../compiler/ir/types.js';
import { schemaObject, type SchemaObject } from '../../compiler/schema/walk.js';
import { closureOf } from './defs.js';
import { jsonFile } from './json-file.js';
import { objectRoot } from './object-root.js';
import { compareText } from '../../compiler/problems.js';

/** Where the manifest goes under the output folder. */
export const MCP_TOOLS_PATH = 'mcp/tools.json';

/** The manifest, and the tools whose returns it could not give as an `outputSchema`. */
export interface McpManifest {
  text: string;
  /** Tools that declare returns that are not an object, sorted (tools without returns are not listed). */
  withoutOutputSchema: string[];
}

/** The MCP tool manifest of `ir`; `files` are the definitions files its tools come from (for the banner). */
export function mcpManifest(ir: IR, files: readonly string[]): McpManifest {
  const types = new Map(ir.types.map((t) => [t.name, t]));
  const withoutOutputSchema: string[] = [];
  // The IR lists tools sorted by name already; sorting again keeps the manifest's promise local.
  const tools = [...ir.tools]
    .sort((a, b) => compareText(a.name, b.name))
    .map((tool) => {
      const outputSchema = tool.returns ? objectRoot(tool.returns, types) : undefined;
      if (tool.returns && !outputSchema) withoutOutputSchema.push(tool.name);
      return {
        name: tool.name,
        ...(tool.description !== undefined ? { description: tool.description } : {}),
        inputSchema: objectRoot(tool.parameters, types) ?? objectWrapped(tool.parameters.schema, types),
        ...(outputSchema ? { outputSchema } : {}),
      };
    });
  return { text: jsonFile('$comment', files, { tools }), withoutOutputSchema };
}

/**
 * The fallback for parameters whose root is neither `type: object` nor a `$ref` to one (the check
 * stage rejects those, so only a `$ref` beside a contradicting `type` gets here): the schema under
 * `allOf`, below an object root. It accepts what the schema accepts, since that is only objects.
 */
function objectWrapped(schema: unknown, types: ReadonlyMap<string, IRType>): SchemaObject {
  const root: SchemaObject = { type: 'object', allOf: [schemaObject(schema)] };
  return withDefs(root, closureOf(root, types), types);
}
