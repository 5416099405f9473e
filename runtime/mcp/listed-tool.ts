/**
 * A tool of a server's listing: as announced, and as a run uses it (its parameters schema in draft
 * 2020-12, its validators compiled when first needed, since a listing may hold dozens of tools of
 * which a direct call uses one).
 */
import type { Tool } from '@modelcontextprotocol/client';
import type { Validator } from '../validators/index.js';
import { LAX_KEYWORD } from '../schema/ajv-options.js';
import { compileSchema, schemaCompilerAvailable } from '../schema/compile.js';
import type { McpToolInfo } from './mcp-content.js';
import { McpSchemaError } from './mcp-errors.js';

type Schema = { readonly [keyword: string]: unknown };

/** A tool of the listing, its schemas compiled when first needed. */
export class ListedTool {
  /** The tool as announced. */
  readonly info: McpToolInfo;
  /** The parameters schema in draft 2020-12, what a model is shown. */
  readonly parameters: Schema;
  /** False for a tool the server runs only as a task, which a plain call cannot wait for. */
  readonly callable: boolean;
  readonly #server: string;
  #args?: Validator<unknown>;
  #output?: Validator<unknown>;

  constructor(server: string, tool: Tool) {
    this.#server = server;
    this.info = infoOf(tool);
    this.parameters = announcedSchema(this.info.inputSchema);
    this.callable = (tool as { execution?: { taskSupport?: string } }).execution?.taskSupport !== 'required';
  }

  /** The validator of its arguments (an McpSchemaError if the schema does not compile). */
  validateArgs(): Validator<unknown> {
    return (this.#args ??= compileAnnounced(this.#server, this.info.name, 'parameters', this.parameters));
  }

  /** The validator of its structured content, when it announced an output schema. */
  validateOutput(): Validator<unknown> | undefined {
    const schema = this.info.outputSchema;
    return schema && (this.#output ??= compileAnnounced(this.#server, this.info.name, 'output', announcedSchema(schema)));
  }
}

/** A tool of the SDK's listing in this package's own terms. */
function infoOf(tool: Tool): McpToolInfo {
  const info: { -readonly [K in keyof McpToolInfo]: McpToolInfo[K] } = { name: tool.name, inputSchema: tool.inputSchema as Schema };
  if (tool.title !== undefined) info.title = tool.title;
  if (tool.description !== undefined) info.description = tool.description;
  if (tool.outputSchema !== undefined) info.outputSchema = tool.outputSchema as Schema;
  if (tool.annotations !== undefined) info.annotations = tool.annotations;
  return info;
}

/*
 * The schemas a server announces are in whatever draft its library emits (Zod-based SDKs say
 * draft-07), while the runtime compiles with one Ajv instance for draft 2020-12, which cannot mix
 * drafts: a schema of another draft is rewritten into 2020-12 with the same meaning first.
 */
const DRAFT_2020 = /^https?:\/\/json-schema\.org\/draft\/2020-12\/schema#?$/;

/** Keywords whose value is a schema. */
const ONE = ['additionalProperties', 'not', 'if', 'then', 'else', 'contains', 'propertyNames', 'unevaluatedItems', 'unevaluatedProperties'];
/** Keywords whose value is a list of schemas. */
const MANY = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
/** Keywords whose value maps names to schemas. */
const NAMED = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];

/** Whether a value is a schema object (not a boolean schema, not a list). */
function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The schema in draft 2020-12, without `$schema`. One that says 2020-12 (or nothing, which MCP
 * reads as 2020-12) is kept as it is; any other is read as draft-07 (and 2019-09, which agrees on
 * what matters here): tuple `items` become `prefixItems`, `dependencies` are split, and siblings
 * of a `$ref`, which draft-07 ignores, are dropped.
 */
function announcedSchema(schema: Schema): Schema {
  const { $schema, ...rest } = schema;
  if ($schema === undefined || (typeof $schema === 'string' && DRAFT_2020.test($schema))) return rest;
  return fromDraft07(rest);
}

/** A draft-07 schema node, and every schema under it, in draft 2020-12 (data such as `default` untouched). */
function fromDraft07(node: Schema): Schema {
  const out: Record<string, unknown> = {};
  const ref = typeof node['$ref'] === 'string';
  for (const [keyword, value] of Object.entries(node)) {
    if (ref && !['$ref', 'title', 'description', 'default', 'examples', 'definitions', '$defs'].includes(keyword)) continue;
    if (keyword === 'items') {
      if (Array.isArray(value)) {
        out['prefixItems'] = value.map(sub);
        if (node['additionalItems'] !== undefined) out['items'] = sub(node['additionalItems']);
      } else out['items'] = sub(value);
    } else if (keyword === 'additionalItems') {
      // Meaningful only beside tuple `items`, handled there.
    } else if (keyword === 'dependencies' && isSchema(value)) {
      for (const [name, dependency] of Object.entries(value)) {
        const target = Array.isArray(dependency) ? 'dependentRequired' : 'dependentSchemas';
        const bucket = (out[target] ??= {}) as Record<string, unknown>;
        bucket[name] = Array.isArray(dependency) ? dependency : sub(dependency);
      }
    } else if (ONE.includes(keyword)) out[keyword] = sub(value);
    else if (MANY.includes(keyword) && Array.isArray(value)) out[keyword] = value.map(sub);
    else if (NAMED.includes(keyword) && isSchema(value)) out[keyword] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, sub(v)]));
    else out[keyword] = value;
  }
  return out;
}

/** A subschema rewritten (a boolean schema stays as it is). */
function sub(value: unknown): unknown {
  return isSchema(value) ? fromDraft07(value) : value;
}

/**
 * A validator for a tool's schema (`which`: its parameters or its output). Arguments are read as
 * any tool's are (lax scalars, defaults filled in); a server's output is checked as it is. A schema
 * Ajv cannot compile is an McpSchemaError naming the server and the tool, which `exclude` can
 * leave out.
 */
function compileAnnounced(server: string, tool: string, which: 'parameters' | 'output', schema: Schema): Validator<unknown> {
  try {
    return compileSchema(which === 'output' ? { ...schema, [LAX_KEYWORD]: false } : schema, `the ${which} schema of tool ${tool}`);
  } catch (err) {
    // No compiler at all (not Node) is not the server's fault: that error says so itself.
    if (!schemaCompilerAvailable()) throw err;
    const detail = (err as Error).message.replace(/^.*?does not compile: /, '');
    throw new McpSchemaError(
      server,
      tool,
      `the ${which} schema of tool ${tool} does not compile (${detail}); leave the tool out with exclude: [${JSON.stringify(tool)}]`,
      { cause: err },
    );
  }
}
