/**
 * The OpenAPI export: `openapi.json`, an OpenAPI 3.1 document with one operation per tool
 * (`POST /tools/<name>`: the arguments as the JSON request body, what the tool returns as the 200
 * response, and a 422 response for arguments that fail the parameters schema), for teams that
 * serve their tools over HTTP or hand them to tooling that reads OpenAPI. Named types go under
 * `components/schemas`, and every `#/$defs/<type>` reference is rewritten to point there.
 */
import { refName } from '../../compiler/ir/refs.js';
import type { IR, IRTool } from '../../compiler/ir/types.js';
import { defineOwn, mapSubschemas, schemaObject, type SchemaObject } from '../../compiler/schema/walk.js';
import { closureOf } from './defs.js';
import { jsonFile } from './json-file.js';

/** Where the document goes under the output folder. */
export const OPENAPI_PATH = 'openapi.json';

/** The OpenAPI version written: 3.1.0, which every 3.1 reader accepts. */
export const OPENAPI_VERSION = '3.1.0';

/** The `info` of the document (config: `export.openapi`). */
export interface OpenApiInfo {
  title: string;
  version: string;
}

/** Used when the config sets no `export.openapi`: fixed, so that output never depends on the date or the machine. */
export const DEFAULT_OPENAPI_INFO: OpenApiInfo = { title: 'Schemantic tools', version: '0.0.0' };

const COMPONENTS_PREFIX = '#/components/schemas/';
const INVALID_ARGUMENTS = 'InvalidArguments';
const JSON_MEDIA = 'application/json';

/** The OpenAPI document of `ir`'s tools; `files` are the definitions files they come from (for the banner). */
export function openApiDocument(ir: IR, files: readonly string[], info: OpenApiInfo): string {
  const types = new Map(ir.types.map((t) => [t.name, t]));
  const usedBy = new Map<string, string[]>();
  for (const agent of ir.agents) for (const tool of agent.tools) usedBy.set(tool, [...(usedBy.get(tool) ?? []), agent.name]);

  const paths: SchemaObject = {};
  for (const tool of ir.tools) defineOwn(paths, `/tools/${tool.name}`, { post: operation(tool, [...(usedBy.get(tool.name) ?? [])].sort()) });

  const schemas: SchemaObject = {};
  const roots = ir.tools.flatMap((t) => (t.returns ? [t.parameters.schema, t.returns.schema] : [t.parameters.schema]));
  for (const name of closureOf({ allOf: roots }, types)) defineOwn(schemas, name, toComponents(types.get(name)!.schema.schema));

  const tags = ir.agents
    .filter((a) => a.tools.length > 0)
    .map((a) => ({ name: a.name, ...(a.description !== undefined ? { description: a.description } : {}) }));
  return jsonFile('x-comment', files, {
    openapi: OPENAPI_VERSION,
    info: {
      title: info.title,
      version: info.version,
      description:
        'The function tools of the definitions, one operation each: POST the arguments as JSON to /tools/<name>; the response is what the tool returns.',
    },
    ...(tags.length > 0 ? { tags } : {}),
    paths,
    components: { ...(Object.keys(schemas).length > 0 ? { schemas } : {}), responses: { [INVALID_ARGUMENTS]: invalidArguments() } },
  });
}

/** The operation of one tool. */
function operation(tool: IRTool, agents: readonly string[]): SchemaObject {
  const summary = tool.description === undefined ? undefined : firstSentence(tool.description);
  return {
    operationId: tool.name,
    ...(summary !== undefined ? { summary } : {}),
    ...(tool.description !== undefined && tool.description !== summary ? { description: tool.description } : {}),
    ...(agents.length > 0 ? { tags: agents } : {}),
    requestBody: {
      description: `The arguments of ${tool.name}.`,
      required: true,
      content: { [JSON_MEDIA]: { schema: toComponents(tool.parameters.schema) } },
    },
    responses: {
      '200': {
        description: tool.returns ? `What ${tool.name} returns.` : `What ${tool.name} returns (the definitions declare no schema for it).`,
        content: { [JSON_MEDIA]: { schema: tool.returns ? toComponents(tool.returns.schema) : {} } },
      },
      '422': { $ref: `#/components/responses/${INVALID_ARGUMENTS}` },
    },
  };
}

/** `schema` with its references to named types pointing into `components/schemas`. */
function toComponents(schema: unknown): SchemaObject {
  // Only `$ref` keywords in schema positions are rewritten: a `const`, `default` or `examples`
  // value that happens to read `#/$defs/...` is data and stays as written.
  return mapSubschemas(schemaObject(schema), (node) => {
    const ref = refName(node);
    return ref !== undefined ? { ...node, $ref: COMPONENTS_PREFIX + ref } : node;
  }) as SchemaObject;
}

/** The response to arguments that fail the parameters schema: nothing ran; every problem is listed. */
function invalidArguments(): SchemaObject {
  return {
    description: "The arguments do not match the tool's parameters schema; the tool did not run.",
    content: {
      [JSON_MEDIA]: {
        schema: {
          type: 'object',
          properties: {
            errors: {
              description: "Every problem found, as the tool's validator reports it.",
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  instancePath: { type: 'string', description: 'JSON pointer to the value at fault in the arguments.' },
                  keyword: { type: 'string', description: 'The schema keyword that failed.' },
                  message: { type: 'string' },
                  params: { type: 'object', description: 'Details of the failure (the missing property, the allowed values, ...).' },
                },
                required: ['instancePath', 'message'],
              },
            },
          },
          required: ['errors'],
        },
      },
    },
  };
}

/** The first sentence of a description (its first line when no sentence ends on it): an operation's summary. */
function firstSentence(text: string): string {
  const line = text.trim().split('\n')[0]!.trim();
  const end = /[.!?](\s|$)/.exec(line);
  return end ? line.slice(0, end.index + 1) : line;
}
