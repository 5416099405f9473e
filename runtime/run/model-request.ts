/**
 * The model-request node: the request sent (limits checked, history recorded) and its response
 * recorded. Plain requests here; streamed ones in request-stream.ts, with the same beginning and end.
 */
import type { ModelRequest, ModelResponse } from '../contract/messages.js';
import type { ModelRequestParameters, ToolDefinition } from '../contract/model.js';
import { checkBeforeRequest, checkTokens } from '../agent/usage.js';
import { renderInstructions, systemPromptTexts } from '../agent/instructions.js';
import { inRun, runContext, scoped, type RunSetup, type RunState } from './setup.js';
import { refreshToolsets } from './toolsets.js';
import { inTraceNode, outsideTrace } from '../telemetry/active-trace.js';
import type { RequestTrace } from '../telemetry/trace-hooks.js';
import { durableModelRequest } from './durable-steps.js';

/** Sends a request and waits for the whole response. */
export async function requestModel(setup: RunSetup, state: RunState, request: ModelRequest): Promise<ModelResponse> {
  const params = await beginRequest(setup, state, request);
  const trace = setup.trace?.request({ model: setup.model, settings: setup.settings, params, messages: state.messages, streamed: false });
  const response = await (setup.steps
    ? durableModelRequest(setup.steps, state.runStep, () => sendRequest(setup, state, params, trace))
    : sendRequest(setup, state, params, trace));
  endRequest(setup, state, response);
  return response;
}

/** Sends the request: in its span when traced, outside any when detached. */
function sendRequest(setup: RunSetup, state: RunState, params: ModelRequestParameters, trace: RequestTrace | undefined): Promise<ModelResponse> {
  return trace
    ? requestTraced(setup, state, params, trace)
    : setup.detached
      ? requestOutside(setup, state, params)
      : setup.model.request(state.messages, setup.settings, params, setup.signal);
}

/** A request of a traced run: inside its span (fallback and HTTP attempts land there), which ends with it. */
async function requestTraced(setup: RunSetup, state: RunState, params: ModelRequestParameters, trace: RequestTrace): Promise<ModelResponse> {
  let response: ModelResponse;
  try {
    response = await inTraceNode(trace, () => setup.model.request(state.messages, setup.settings, params, setup.signal));
  } catch (error) {
    trace.end({ error, cancelled: setup.signal?.aborted === true });
    throw error;
  }
  trace.end({ response });
  return response;
}

/** A request of a detached run, outside the span it started in. */
function requestOutside(setup: RunSetup, state: RunState, params: ModelRequestParameters): Promise<ModelResponse> {
  return outsideTrace(() => setup.model.request(state.messages, setup.settings, params, setup.signal));
}

/**
 * Before a request: limits, the request recorded with the agent's instructions for this step
 * (rendered afresh, prompted-output instructions included; replacing any it held), this step's tools.
 */
export function beginRequest(setup: RunSetup, state: RunState, request: ModelRequest): Promise<ModelRequestParameters> {
  // Instructions and prepare hooks are user code: in the run's scope (a run they start nests under it).
  return scoped(setup) ? prepareInRun(setup, state, request) : prepareRequest(setup, state, request);
}

/** {@link prepareRequest} in the run's scope, apart (a closure in beginRequest would cost every call). */
function prepareInRun(setup: RunSetup, state: RunState, request: ModelRequest): Promise<ModelRequestParameters> {
  return inRun(setup, () => prepareRequest(setup, state, request));
}

async function prepareRequest(setup: RunSetup, state: RunState, request: ModelRequest): Promise<ModelRequestParameters> {
  checkBeforeRequest(state.usage, setup.limits);
  if (setup.toolsets) refreshToolsets(setup);
  state.messages.push(request);
  state.runStep += 1;
  const instructions = await renderInstructions(
    setup.instructions,
    runContext(setup, state),
    setup.output.promptedInstructions(),
    systemPromptTexts(state.messages),
  );
  if (instructions === undefined) delete request.instructions;
  else request.instructions = instructions;
  return requestParameters(setup, state);
}

/** After a response: usage counted, the response recorded, token limits checked. */
export function endRequest(setup: RunSetup, state: RunState, response: ModelResponse): void {
  state.usage.addResponse(response.usage);
  state.messages.push(response);
  checkTokens(state.usage, setup.limits);
}

/** The tool definitions of a tool map without prepare hooks, and their names: the same at every step. */
const staticTools = new WeakMap<RunSetup['tools'], { definitions: ToolDefinition[]; names: ReadonlySet<string> }>();

/** The tools and output asked for in this step (after the prepare hooks). */
async function requestParameters(setup: RunSetup, state: RunState): Promise<ModelRequestParameters> {
  let known = setup.prepareTools ? undefined : staticTools.get(setup.tools);
  if (!known) {
    const ctx = runContext(setup, state);
    const functionTools = [];
    let dynamic = setup.prepareTools !== undefined;
    for (const tool of setup.tools.values()) {
      dynamic ||= tool.prepare !== undefined;
      const definition = tool.prepare ? await tool.prepare({ ...ctx, toolName: tool.definition.name }, structuredClone(tool.definition)) : tool.definition;
      if (definition) functionTools.push(definition);
    }
    const prepared = setup.prepareTools ? await setup.prepareTools(ctx, functionTools) : functionTools;
    known = { definitions: prepared, names: new Set(prepared.map((t) => t.name)) };
    if (!dynamic) staticTools.set(setup.tools, known);
  }
  state.offeredTools = known.names;
  const params: ModelRequestParameters = {
    // A copy: the cached list outlives this request, whatever the model does with it.
    functionTools: known.definitions.slice(),
    outputTools: setup.output.outputTools(),
    outputMode: setup.output.mode,
    allowText: setup.output.mode !== 'tool' || setup.output.allowsText,
  };
  const outputObject = setup.output.outputObject();
  if (outputObject) params.outputObject = outputObject;
  return params;
}
