/**
 * Function tools served over MCP: a tool defined by hand (`defineTool`) or a generated tool with
 * its handler. Each call gets a run context of its own (the server's deps and context, no model,
 * no history), its arguments checked by the tool's validator before the handler sees them, and
 * what the handler returns checked against the tool's `returns` schema, as in an agent run.
 */
import { detailsText } from '../contract/messages.js';
import { UserError } from '../contract/errors.js';
import type { Model } from '../contract/model.js';
import type { JsonSchema, ToolSpec, ToolValidators } from '../contract/spec.js';
import type { RunContext } from '../agent/run-context.js';
import type { HandTool, ToolHandler } from '../agent/tools.js';
import { validationDetails } from '../agent/output.js';
import { Usage } from '../agent/usage.js';
import { compileSchema } from '../schema/compile.js';
import { inlineRootRef, isObjectSchema } from '../schema/schema-shapes.js';
import { shapeOf } from './output-shape.js';
import { attachProgress } from './report-progress.js';
import type { ServedTool, ToolCall } from './served-tool.js';
import { isToolContent } from './tool-content.js';
import { contentResult, errorMessage, errorResult, invalidArguments, valueResult } from './tool-result.js';

/**
 * A generated tool (`getLatLngTool`, from a module under generated/tools/) with the handler that
 * runs it. `specTools` makes these from an agent's spec and its handlers.
 */
export interface GeneratedTool<Deps = unknown> {
  readonly spec: ToolSpec;
  readonly handler: ToolHandler<Deps, never, never, unknown>;
}

/** A tool the server can serve: defined by hand, or generated with its handler. */
export type McpTool<Deps = unknown> = HandTool<Deps, never, never, unknown> | GeneratedTool<Deps>;

/** What every call of the server's tools runs with. */
export interface CallSettings {
  /** `ctx.deps` of handlers, and the deps of agent runs. */
  readonly deps: unknown;
  /** `ctx.context` of handlers; for agents, the context of a call that gives none. */
  readonly context: unknown;
  /** Told about every failure, with its stack (the client only gets the message). */
  readonly onError?: ((error: unknown, tool: string) => void) | undefined;
}

/** What a served function tool is made from, whichever way it was defined. */
interface ToolSource {
  readonly description: string | undefined;
  readonly parameters: JsonSchema;
  readonly returns: JsonSchema | undefined;
  readonly validators: () => Promise<ToolValidators>;
  readonly handler: ToolHandler<unknown, unknown, unknown, unknown>;
}

/** Whether a tool entry is a generated tool with its handler (rather than one defined by hand). */
export function isGeneratedTool(tool: McpTool<never>): tool is GeneratedTool<never> {
  return 'spec' in tool;
}

/** A function tool, served as `name`. Hand-written schemas are compiled here, so a broken one fails now. */
export function functionTool(name: string, tool: McpTool<never>, settings: CallSettings): ServedTool {
  const source = sourceOf(name, tool);
  if (!isObjectSchema(source.parameters))
    throw new UserError(`tool ${name}: MCP tools take an object of arguments, and its parameters schema is not an object schema`);
  const shape = source.returns === undefined ? undefined : shapeOf(source.returns);
  let validators: Promise<ToolValidators> | undefined;
  const served: ServedTool = {
    name,
    description: source.description ?? `Tool ${name}.`,
    inputSchema: inlineRootRef(source.parameters),
    async call(args, call) {
      let checks: ToolValidators;
      try {
        checks = await (validators ??= source.validators());
      } catch (error) {
        validators = undefined;
        settings.onError?.(error, name);
        return errorResult(`Tool ${name} cannot run: ${errorMessage(error)}`);
      }
      // Validators fill in defaults and read lax scalars in place: they get a copy.
      const input = structuredClone(args ?? {});
      if (!checks.validateArgs(input)) return invalidArguments(name, validationDetails(checks.validateArgs));
      let value: unknown;
      try {
        value = await source.handler(callContext(name, call, settings), input);
      } catch (error) {
        settings.onError?.(error, name);
        return errorResult(`Tool ${name} failed: ${errorMessage(error)}`);
      }
      const structured = isToolContent(value) ? value.structured : value;
      const checked = !isToolContent(value) || structured !== undefined;
      if (checks.validateReturn && checked && !checks.validateReturn(structured)) {
        const problems = detailsText(validationDetails(checks.validateReturn));
        settings.onError?.(new UserError(`tool ${name} returned a value that does not match its returns schema: ${problems}`), name);
        return errorResult(`Tool ${name} returned a value that does not match its returns schema: ${problems}`);
      }
      return isToolContent(value) ? contentResult(value, shape) : valueResult(value, shape);
    },
  };
  return shape ? { ...served, outputSchema: shape.schema } : served;
}

function sourceOf(name: string, tool: McpTool<never>): ToolSource {
  const handler = tool.handler as unknown as ToolHandler<unknown, unknown, unknown, unknown>;
  if (isGeneratedTool(tool)) {
    const { spec } = tool;
    return { description: spec.description, parameters: spec.parameters, returns: spec.returns, validators: spec.validators, handler };
  }
  const where = `tool ${name}`;
  const checks: ToolValidators = { validateArgs: compileSchema(tool.parameters, `${where}: parameters`) };
  const withReturn: ToolValidators = tool.returns === undefined ? checks : { ...checks, validateReturn: compileSchema(tool.returns, `${where}: returns`) };
  return { description: tool.description, parameters: tool.parameters, returns: tool.returns, validators: async () => withReturn, handler };
}

/** The run context of one call: no run around it, so no model, no history, fresh usage. */
function callContext(name: string, call: ToolCall, settings: CallSettings): RunContext<unknown, unknown> {
  const ctx: RunContext<unknown, unknown> = {
    deps: settings.deps,
    context: settings.context,
    usage: new Usage(),
    retry: 0,
    messages: [],
    model: noModel(name),
    prompt: '',
    toolName: name,
    toolCallId: call.id,
    runStep: 0,
    signal: call.signal,
  };
  return attachProgress(ctx, call);
}

/** The model of a tool call's context: there is none, and asking it says why. */
function noModel(tool: string): Model {
  const fail = (): never => {
    throw new UserError(`tool ${tool} was called over MCP, outside an agent run: there is no model to send requests to`);
  };
  return { name: 'none', system: 'mcp', request: async () => fail(), requestStream: () => fail() };
}
