/**
 * Structured output: how the model is asked for it and how its answer is read.
 *
 * - tool mode: one output tool per union member (`final_result`, `final_result_<Member>`); a
 *   member whose schema is not an object is wrapped as `{"response": ...}`, as in the reference.
 * - native mode: the provider's JSON Schema response format; a union becomes
 *   `{"result": {"kind": <member>, "data": ...}}`.
 * - prompted mode: the same schema, described in the instructions; JSON is read leniently from
 *   the text (inside a fenced block, or the outermost braces).
 * - text: the text itself, when the agent outputs text or a union member is plain text.
 */
import type { RetryDetail, ToolCallPart } from '../contract/messages.js';
import { toolCallArgs } from '../contract/messages.js';
import type { OutputObjectDefinition, ToolDefinition } from '../contract/model.js';
import { inlineRootRef, isObjectSchema, mergedDefs, withoutDefs, wrapInObject } from '../schema/schema-shapes.js';
import { dropOptionalNulls } from '../schema/optional-nulls.js';
import { geminiSchema } from '../schema/gemini-schema.js';
import type { JsonSchema, OutputMemberSpec, OutputMode, OutputSpec } from '../contract/spec.js';
import type { Validator } from '../validators/index.js';
import { checkModelJson } from '../stream/json-depth.js';

/** The outcome of reading an output: a value, or what to tell the model. */
export type OutputReading = { ok: true; value: unknown } | { ok: false; retry: string | RetryDetail[] };

/** An output tool's description when neither the output nor its type has one (the reference's words). */
const OUTPUT_TOOL_DESCRIPTION = 'The final response which ends this conversation';

interface Member {
  spec: OutputMemberSpec;
  validate: Validator<unknown>;
  /** The member's name in a union (`Success`); '' for a single output. */
  name: string;
  /** Wrapped as `{"response": ...}` because its schema is not an object. */
  wrapped: boolean;
  definition: ToolDefinition;
  /** The type's name (the `$defs` entry the bundled schema's root refers to), if it has one. */
  typeName: string | undefined;
  /** The output's description and its type's, joined. */
  description: string | undefined;
  /** The shaped schemas with the type's description kept in them (prompted mode shows it there). */
  described: { schema: JsonSchema; strictSchema?: JsonSchema; geminiSchema?: JsonSchema };
}

/** Reads an agent's output, in the agent's output mode. */
export class OutputHandler {
  readonly mode: OutputMode | 'text';
  /** A plain text answer ends the run. */
  readonly allowsText: boolean;
  private readonly members: Member[];
  private readonly objectDefinition: OutputObjectDefinition | undefined;

  /** `validators`: each member's validator, by output tool name. */
  constructor(spec: OutputSpec, agentName: string, validators: ReadonlyMap<string, Validator<unknown>>) {
    if (spec.kind === 'text') {
      this.mode = 'text';
      this.allowsText = true;
      this.members = [];
      this.objectDefinition = undefined;
      return;
    }
    this.mode = spec.mode;
    this.allowsText = spec.allowsText;
    const union = spec.members.length > 1;
    this.members = spec.members.map((m) => {
      const name = m.toolName === 'final_result' ? '' : m.toolName.replace(/^final_result_/, '');
      const wrapped = !isObjectSchema(m.schema);
      const shape = (schema: JsonSchema) => (wrapped ? wrapInObject(schema, 'response') : inlineRootRef(schema));
      const described: Member['described'] = { schema: shape(m.schema) };
      // The wrapper object is strict by construction, so a strict member stays strict wrapped.
      if (m.strictSchema !== undefined) described.strictSchema = shape(m.strictSchema);
      // So is the Gemini variant: the wrapper uses only keywords Gemini takes.
      if (m.geminiSchema !== undefined) described.geminiSchema = shape(m.geminiSchema);
      // As in the reference, the type's own description describes the tool rather than its schema.
      const [typeDescription, schema] = takeDescription(described.schema);
      const description = joinDescriptions(m.description, typeDescription);
      const typeName = rootTypeName(m.schema);
      const definition: ToolDefinition = {
        name: m.toolName,
        description: description ?? (union ? `${name}: ${OUTPUT_TOOL_DESCRIPTION}` : OUTPUT_TOOL_DESCRIPTION),
        parametersJsonSchema: schema,
        kind: 'output',
      };
      if (described.strictSchema !== undefined) {
        const [strictDescription, strictSchema] = takeDescription(described.strictSchema);
        // A strict description that gained moved constraints stays in the schema, whole.
        definition.strictParametersJsonSchema = strictDescription === typeDescription ? strictSchema : described.strictSchema;
      }
      // Gemini keeps descriptions as they are: the type's comes out as it does of the schema.
      if (described.geminiSchema !== undefined) definition.geminiParametersJsonSchema = takeDescription(described.geminiSchema)[1];
      return { spec: m, validate: validators.get(m.toolName)!, name, wrapped, definition, typeName, description, described };
    });
    this.objectDefinition = this.mode === 'tool' ? undefined : this.buildObjectDefinition(agentName);
  }

  /** The output tools to offer (tool mode only). */
  /** Each member's schema by output tool name (a paused run's contract records them). */
  memberSchemas(): Record<string, JsonSchema> {
    return Object.fromEntries(this.members.map((m) => [m.spec.toolName, m.spec.schema]));
  }

  outputTools(): ToolDefinition[] {
    return this.mode === 'tool' ? this.members.map((m) => m.definition) : [];
  }

  /** The output schema of native and prompted modes. */
  outputObject(): OutputObjectDefinition | undefined {
    return this.objectDefinition;
  }

  /** Instructions that describe the expected JSON (prompted mode only). */
  promptedInstructions(): string | undefined {
    if (this.mode !== 'prompted' || !this.objectDefinition) return undefined;
    return (
      "Always respond with a JSON object that's compatible with this schema:\n\n" +
      JSON.stringify(this.objectDefinition.jsonSchema) +
      "\n\nDon't include any text or Markdown fencing before or after."
    );
  }

  /** Whether a tool name is one of the output tools. */
  isOutputTool(name: string): boolean {
    return this.mode === 'tool' && this.members.some((m) => m.spec.toolName === name);
  }

  /**
   * How partially parsed JSON holds the partial output: the arguments of output tool `toolName`
   * (tool mode), or the JSON of a text answer (native and prompted modes). Undoes the wrapping of
   * non-object members and the `{result: {kind, data}}` envelope of native unions. Looked up once,
   * for a reader that applies it at every chunk.
   */
  partialOutputOf(toolName?: string): (json: unknown) => unknown {
    const member = toolName !== undefined ? this.members.find((m) => m.spec.toolName === toolName) : this.members.length === 1 ? this.members[0] : undefined;
    if (member) return member.wrapped ? unwrapResponse : asIs;
    return unwrapEnvelope;
  }

  /**
   * Reads the output from an output tool call. `parsed`: its arguments already parsed, exactly as
   * `JSON.parse` reads them and within the depth limit (the streamed run's incremental parse);
   * the reading owns the value (validators fill in defaults in place).
   */
  readToolCall(call: ToolCallPart, parsed?: { value: unknown }): OutputReading {
    const member = this.members.find((m) => m.spec.toolName === call.toolName)!;
    let args: unknown;
    if (parsed) args = parsed.value;
    else {
      try {
        args = checkModelJson(toolCallArgs(call));
      } catch (err) {
        return { ok: false, retry: `The arguments of ${call.toolName} are not valid JSON: ${(err as Error).message}` };
      }
    }
    return readMember(member, args);
  }

  /** Reads the output from a text answer (text, native and prompted modes). */
  readText(text: string): OutputReading {
    if (this.mode === 'text' || (this.mode === 'tool' && this.allowsText)) return { ok: true, value: text };
    const reading = this.readJson(text);
    // When text is an allowed answer, text that is not a valid output is just that: text.
    return !reading.ok && this.allowsText ? { ok: true, value: text } : reading;
  }

  /**
   * Reads a native or prompted output from text, with no plain-text fallback: undefined in the
   * other modes (for `early`, where only such an output, valid, ends a run beside tool calls).
   */
  readStructuredText(text: string): OutputReading | undefined {
    return this.mode === 'native' || this.mode === 'prompted' ? this.readJson(text) : undefined;
  }

  private readJson(text: string): OutputReading {
    let data: unknown;
    try {
      data = checkModelJson(this.mode === 'prompted' ? parseLenientJson(text) : JSON.parse(text));
    } catch {
      return { ok: false, retry: 'The response is not valid JSON. Answer with a JSON object that follows the output schema.' };
    }
    if (this.members.length === 1) return readMember(this.members[0]!, data);
    const envelope = data as { result?: { kind?: unknown; data?: unknown } } | null;
    const kind = envelope?.result?.kind;
    const member = this.members.find((m) => m.name === kind);
    if (!member) {
      const kinds = this.members.map((m) => JSON.stringify(m.name)).join(', ');
      return { ok: false, retry: [{ path: '/result/kind', message: `must be one of ${kinds}` }] };
    }
    // In the envelope a member's value sits under `data` as it is, never wrapped.
    return readMember(member, envelope!.result!.data, '/result/data', false);
  }

  private buildObjectDefinition(agentName: string): OutputObjectDefinition {
    if (this.members.length === 1) {
      const member = this.members[0]!;
      // Native: named by the output type, and described by it, as in the reference (the schema
      // without the description). Prompted: the schema, description included, is the instruction.
      if (this.mode === 'prompted') {
        const prompted: OutputObjectDefinition = { name: 'final_result', jsonSchema: member.described.schema };
        if (member.description !== undefined) prompted.description = member.description;
        if (member.described.strictSchema !== undefined) prompted.strictJsonSchema = member.described.strictSchema;
        return prompted;
      }
      const single: OutputObjectDefinition = {
        name: formatName(member.typeName) ?? 'final_result',
        jsonSchema: member.definition.parametersJsonSchema,
      };
      if (member.description !== undefined) single.description = member.description;
      if (member.definition.strictParametersJsonSchema !== undefined) single.strictJsonSchema = member.definition.strictParametersJsonSchema;
      if (member.definition.geminiParametersJsonSchema !== undefined) single.geminiJsonSchema = member.definition.geminiParametersJsonSchema;
      return single;
    }
    const union: OutputObjectDefinition = {
      name: 'final_result',
      description: `The output of the ${agentName} agent: one of ${this.members.map((m) => m.name).join(', ')}.`,
      jsonSchema: envelope(this.members.map((m) => [m.name, m.spec.schema])),
    };
    // The envelope is strict by construction: strict when every member is.
    const strict = this.members.map((m) => m.spec.strictSchema);
    if (strict.every((s) => s !== undefined)) union.strictJsonSchema = envelope(this.members.map((m, i) => [m.name, strict[i]!]));
    // A member without a Gemini variant is one Gemini takes as it is; the envelope's own `const`s
    // are put in the subset here (nothing is dropped: the members already are in it).
    if (this.members.some((m) => m.spec.geminiSchema !== undefined))
      union.geminiJsonSchema = geminiSchema(envelope(this.members.map((m) => [m.name, m.spec.geminiSchema ?? m.spec.schema]))).schema;
    return union;
  }
}

/** The schema's root `description`, and the schema without it. */
function takeDescription(schema: JsonSchema): [string | undefined, JsonSchema] {
  if (schema === null || typeof schema !== 'object' || typeof (schema as { description?: unknown }).description !== 'string') return [undefined, schema];
  const { description, ...rest } = schema as { description: string };
  return [description, rest];
}

/** The output's own description and its type's, as the reference joins them. */
function joinDescriptions(own: string | undefined, type: string | undefined): string | undefined {
  if (own !== undefined && type !== undefined) return `${own}. ${type}`;
  return own ?? type;
}

/** The named type a bundled schema's root refers to (`{"$ref": "#/$defs/Booking", ...}`). */
function rootTypeName(schema: JsonSchema): string | undefined {
  const ref = schema !== null && typeof schema === 'object' ? (schema as { $ref?: unknown }).$ref : undefined;
  if (typeof ref !== 'string' || !ref.startsWith('#/$defs/')) return undefined;
  const name = ref.slice('#/$defs/'.length);
  return name.includes('/') ? undefined : name.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** A type name as a response format name (OpenAI: letters, digits, `_` and `-`, at most 64). */
function formatName(name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  const safe = name.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64);
  return safe === '' ? undefined : safe;
}

const asIs = (json: unknown): unknown => json;
const unwrapResponse = (json: unknown): unknown => field(json, 'response');
const unwrapEnvelope = (json: unknown): unknown => field(field(json, 'result'), 'data');

function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' && Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
}

/** The native-mode schema of a union: `{"result": {"kind": <member>, "data": <value>}}`. */
function envelope(members: readonly (readonly [name: string, schema: JsonSchema])[]): JsonSchema {
  const defs = mergedDefs(members.map(([, schema]) => schema));
  const alternatives = members.map(([name, schema]) => ({
    type: 'object',
    properties: { kind: { const: name }, data: withoutDefs(schema) },
    required: ['kind', 'data'],
    additionalProperties: false,
  }));
  return {
    type: 'object',
    properties: { result: { anyOf: alternatives } },
    required: ['result'],
    additionalProperties: false,
    ...(defs ? { $defs: defs } : {}),
  };
}

function readMember(member: Member, data: unknown, prefix = '', unwrap = true): OutputReading {
  let value = data;
  if (member.wrapped && unwrap) {
    if (data === null || typeof data !== 'object' || !Object.hasOwn(data, 'response')) {
      return { ok: false, retry: [{ path: `${prefix}/response`, message: "must have required property 'response'" }] };
    }
    value = (data as { response: unknown }).response;
    prefix = `${prefix}/response`;
  }
  // As for tool arguments: a strict-mode model sends null for an optional property it leaves out.
  value = dropOptionalNulls(value, member.spec.schema);
  const validate = member.validate;
  if (validate(value)) return { ok: true, value };
  return { ok: false, retry: validationDetails(validate, prefix) };
}

/** A validator's errors as retry details. */
export function validationDetails(validate: Validator<unknown>, prefix = ''): RetryDetail[] {
  return (validate.errors ?? []).map((e) => {
    const params = e.params as Record<string, unknown>;
    const extra =
      e.keyword === 'additionalProperties'
        ? `: ${String(params['additionalProperty'])}`
        : e.keyword === 'enum'
          ? `: ${(params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`
          : '';
    return { path: prefix + e.instancePath, message: (e.message ?? e.keyword) + extra };
  });
}

/**
 * JSON from a model's text, read leniently: the content of a fenced code block if there is one,
 * else the text from the first `{` or `[` to the matching last `}` or `]`.
 */
export function parseLenientJson(text: string): unknown {
  const fenced = /```(?:json|JSON)?\s*\n([\s\S]*?)```/.exec(text);
  if (fenced) return JSON.parse(fenced[1]!);
  const trimmed = text.trim();
  try {
    return JSON.parse(trimmed);
  } catch {
    const start = trimmed.search(/[[{]/);
    const end = Math.max(trimmed.lastIndexOf('}'), trimmed.lastIndexOf(']'));
    if (start < 0 || end <= start) throw new SyntaxError('no JSON found in the text');
    return JSON.parse(trimmed.slice(start, end + 1));
  }
}
