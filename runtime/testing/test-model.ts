/**
 * TestModel: a model for unit tests. Deterministic (seeded), no network, no AI.
 *
 * On the first step of a run it calls every function tool once (or those listed in `callTools`)
 * with arguments generated to satisfy the tool's schema; after the tool results it ends the run:
 * through the first output tool with generated arguments (or `customOutputArgs`), with generated
 * JSON in native and prompted modes, or with text: `customOutputText`, else a JSON summary of the
 * tool results (`{"get_weather": ...}`), else `success (no tool calls)`. When the agent sends a
 * retry prompt, it calls again with arguments drawn from the next seed.
 */
import { compileSchema, schemaCompilerAvailable } from '../schema/compile.js';
import { now, type ModelMessage, type ModelRequest, type ModelResponse, type RequestPart, type ResponsePart } from '../contract/messages.js';
import type { Model, ModelRequestParameters, ToolDefinition } from '../contract/model.js';
import type { JsonSchema, ModelSettings } from '../contract/spec.js';
import { responseEvents, type ModelStreamEvent } from '../contract/stream-events.js';
import { estimateUsage } from './estimate-usage.js';
import { sampleFromSchema } from './schema-data.js';

/** Options of {@link TestModel}. */
export interface TestModelOptions {
  /** Tools to call on the first step, by model-facing name (default: all). */
  callTools?: 'all' | readonly string[];
  /** Text to end the run with (text output). */
  customOutputText?: string;
  /** Arguments of the output tool (or the JSON answer in native and prompted modes). */
  customOutputArgs?: unknown;
  /** Seed of the generated data. */
  seed?: number;
}

/** A deterministic model for tests. */
export class TestModel implements Model {
  readonly name = 'test';
  readonly system = 'test';
  /** The request parameters of the last request (tools, output), to assert on. */
  lastParameters: ModelRequestParameters | undefined;
  /** The settings of the last request. */
  lastSettings: ModelSettings | undefined;

  constructor(private readonly options: TestModelOptions = {}) {}

  async request(messages: readonly ModelMessage[], settings: ModelSettings | undefined, params: ModelRequestParameters): Promise<ModelResponse> {
    this.lastParameters = params;
    this.lastSettings = settings;
    const last = [...messages].reverse().find((m): m is ModelRequest => m.kind === 'request');
    const step = messages.filter((m) => m.kind === 'response').length;
    const parts = this.respond(messages, last?.parts ?? [], params, step);
    return {
      kind: 'response',
      parts,
      modelName: this.name,
      timestamp: now(),
      usage: estimateUsage(messages, parts),
      finishReason: parts.some((p) => p.kind === 'tool-call') ? 'tool-call' : 'stop',
    };
  }

  async *requestStream(
    messages: readonly ModelMessage[],
    settings: ModelSettings | undefined,
    params: ModelRequestParameters,
  ): AsyncIterable<ModelStreamEvent> {
    yield* responseEvents(await this.request(messages, settings, params));
  }

  private respond(messages: readonly ModelMessage[], lastParts: readonly RequestPart[], params: ModelRequestParameters, step: number): ResponsePart[] {
    const seed = this.options.seed ?? 0;
    const retries = lastParts.filter((p) => p.kind === 'retry-prompt');
    // Retried tool calls: call the same tools again, with data from the next seed.
    const retriedTools = retries.map((r) => r.toolName).filter((n): n is string => n !== undefined && params.functionTools.some((t) => t.name === n));
    if (retriedTools.length > 0) {
      return retriedTools.map((name, i) =>
        this.callTool(
          params.functionTools.find((t) => t.name === name)!,
          seed + step,
          `call-${step}-${i}`,
        ),
      );
    }
    if (lastParts.some((p) => p.kind === 'user-prompt')) {
      const wanted = this.options.callTools ?? 'all';
      const tools = params.functionTools.filter((t) => wanted === 'all' || wanted.includes(t.name));
      if (tools.length > 0) return tools.map((t, i) => this.callTool(t, seed, `call-${step}-${i}`));
    }
    return this.finalOutput(messages, params, seed + retries.length + step, step);
  }

  private finalOutput(messages: readonly ModelMessage[], params: ModelRequestParameters, seed: number, step: number): ResponsePart[] {
    if (params.outputTools.length > 0 && (this.options.customOutputText === undefined || !params.allowText)) {
      const tool = params.outputTools[0]!;
      const args = this.options.customOutputArgs ?? validSample(tool.parametersJsonSchema, seed);
      return [{ kind: 'tool-call', toolName: tool.name, args: args as Record<string, unknown>, toolCallId: `call-${step}-0` }];
    }
    if (params.outputObject && params.outputMode !== 'text') {
      const value = this.options.customOutputArgs ?? validSample(params.outputObject.jsonSchema, seed);
      return [{ kind: 'text', content: JSON.stringify(value) }];
    }
    if (this.options.customOutputText !== undefined) return [{ kind: 'text', content: this.options.customOutputText }];
    return [{ kind: 'text', content: toolSummary(messages) }];
  }

  private callTool(tool: ToolDefinition, seed: number, toolCallId: string): ResponsePart {
    return { kind: 'tool-call', toolName: tool.name, args: validSample(tool.parametersJsonSchema, seed) as Record<string, unknown>, toolCallId };
  }
}

/**
 * Data for a schema, re-drawn until it validates (or the best effort after a few seeds). Where no
 * schema can be compiled (a bundle without Ajv, an edge runtime) the first draw is taken as it is:
 * the sampler aims at valid data, and the run's own validators still check it.
 */
function validSample(schema: JsonSchema, seed: number): unknown {
  if (!schemaCompilerAvailable()) return sampleFromSchema(schema, seed);
  const validate = compileSchema(schema, 'TestModel');
  let value: unknown;
  for (let attempt = 0; attempt < 20; attempt++) {
    value = sampleFromSchema(schema, seed + attempt * 7919);
    if (validate(value)) return value;
  }
  return value;
}

/** `{"tool": result, ...}` of the tool returns since the last user prompt, or `success (no tool calls)`. */
function toolSummary(messages: readonly ModelMessage[]): string {
  const summary: Record<string, unknown> = {};
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.kind !== 'request') continue;
    for (const part of m.parts) if (part.kind === 'tool-return' && !(part.toolName in summary)) summary[part.toolName] = part.content;
    if (m.parts.some((p) => p.kind === 'user-prompt')) break;
  }
  return Object.keys(summary).length === 0 ? 'success (no tool calls)' : JSON.stringify(summary);
}
