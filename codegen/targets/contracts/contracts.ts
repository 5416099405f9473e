/**
 * Everything `schemantic export` writes, from the IR alone (no file is read or written here): the
 * JSON Schema documents, the MCP tool manifest and the OpenAPI document, by path under the output
 * folder. Deterministic: what goes in is the IR, which is sorted, and the config's OpenAPI info.
 */
import type { IR } from '../../compiler/ir/types.js';
import { jsonSchemaFiles } from './json-schema.js';
import { MCP_TOOLS_PATH, mcpManifest } from './mcp.js';
import { DEFAULT_OPENAPI_INFO, OPENAPI_PATH, openApiDocument, type OpenApiInfo } from './openapi.js';
import { sourceIndex } from './sources.js';
import { compareText } from '../../compiler/problems.js';

/** Settings of an export (the config's `export` section). */
export interface ExportOptions {
  /** `info` of openapi.json; each field defaults to {@link DEFAULT_OPENAPI_INFO}. */
  openapi?: Partial<OpenApiInfo>;
}

/** What an export produces. */
export interface ExportResult {
  /** Path under the output folder -> text, sorted by path. */
  files: Map<string, string>;
  /** Tools whose returns are not an object, so the MCP manifest has no `outputSchema` for them. */
  withoutOutputSchema: string[];
}

/** The exported contracts of `ir`. */
export function exportContracts(ir: IR, options: ExportOptions = {}): ExportResult {
  const sources = sourceIndex(ir);
  // The MCP manifest and the OpenAPI document both come from every tool's definitions.
  const toolFiles = sources.files(
    ir.tools.map((t) => t.source),
    ir.tools.flatMap((t) => (t.returns ? [t.parameters, t.returns] : [t.parameters])),
  );
  const mcp = mcpManifest(ir, toolFiles);
  const info = { ...DEFAULT_OPENAPI_INFO, ...definedOnly(options.openapi ?? {}) };
  const unsorted = new Map(jsonSchemaFiles(ir, sources));
  unsorted.set(MCP_TOOLS_PATH, mcp.text);
  unsorted.set(OPENAPI_PATH, openApiDocument(ir, toolFiles, info));
  const files = new Map([...unsorted].sort(([a], [b]) => compareText(a, b)));
  return { files, withoutOutputSchema: mcp.withoutOutputSchema };
}

/** `value` without its undefined fields, so they do not hide the defaults. */
function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
