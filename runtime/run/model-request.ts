/**
 * The model-request node: the request sent (limits checked, history recorded), plainly or
 * streamed. A streamed request yields the response's parts as they grow, and the arguments of
 * tool calls parsed as they arrive; if it is cancelled or breaks off, what arrived is recorded as
 * an interrupted response without tool calls, so the history never holds a call without a result.
 */
import type { ModelRequest, ModelResponse } from '../contract/messages.js';
import type { ModelRequestParameters, ToolDefinition } from '../contract/model.js';
import type { AgentStreamEvent } from '../stream/events.js';
import { PartialJsonParser } from '../stream/partial-json.js';
import { ResponseAssembler, type ModelStreamEvent } from '../contract/stream-events.js';
import { checkBeforeRequest, checkTokens } from '../agent/usage.js';
import { renderInstructions, systemPromptTexts } from '../agent/instructions.js';
import { runContext, type RunSetup, type RunState } from './setup.js';

/** Sends a request and waits for the whole response. */
export async function requestModel(setup: RunSetup, state: RunState, request: ModelRequest): Promise<ModelResponse> {
  const params = await beginRequest(setup, state, request);
  const response = await setup.model.request(state.messages, setup.settings, params, setup.signal);
  endRequest(setup, state, response);
  return response;
}

/** Sends a request and streams the response, yielding its events; returns the response. */
export async function* streamModelRequest(setup: RunSetup, state: RunState, request: ModelRequest): AsyncGenerator<AgentStreamEvent, ModelResponse> {
  const params = await beginRequest(setup, state, request);
  const assembler = new ResponseAssembler();
  const args = new Map<number, PartialJsonParser>();
  let response: ModelResponse | undefined;
  try {
    for await (const event of setup.model.requestStream(state.messages, setup.settings, params, setup.signal)) {
      assembler.apply(event);
      const out = runEvent(event, assembler, args);
      if (out) yield out;
    }
    response = assembler.response();
  } finally {
    // Cancelled (an abort, a consumer that stopped) or broken off: keep what arrived, marked.
    if (!response) {
      const interrupted = assembler.interrupted(setup.model.name);
      interrupted.parts = interrupted.parts.filter((p) => p.kind !== 'tool-call');
      state.usage.addResponse(interrupted.usage);
      state.messages.push(interrupted);
    }
  }
  // Reached only when the stream completed: the response is set.
  endRequest(setup, state, response!);
  return response!;
}

/** Tool-call delta events whose delta changed the parsed arguments (not whitespace, say). */
const argsChanged = new WeakSet<object>();

/** Whether a tool-call delta event changed the arguments parsed so far. */
export function changedArgs(event: AgentStreamEvent): boolean {
  return argsChanged.has(event);
}

/** A model stream event as a run event (tool-call deltas carry the arguments parsed so far). */
function runEvent(event: ModelStreamEvent, assembler: ResponseAssembler, args: Map<number, PartialJsonParser>): AgentStreamEvent | undefined {
  switch (event.kind) {
    case 'part-start':
      if (event.part.kind === 'tool-call') {
        const parser = new PartialJsonParser();
        if (typeof event.part.args === 'string') parser.push(event.part.args);
        args.set(event.index, parser);
      }
      return { kind: 'part-start', index: event.index, part: event.part };
    case 'part-delta': {
      const delta = event.delta;
      if (delta.kind !== 'tool-call') return { kind: 'part-delta', index: event.index, delta };
      const part = assembler.part(event.index);
      const parser = args.get(event.index);
      const changed = delta.argsDelta !== undefined && parser !== undefined && parser.push(delta.argsDelta);
      const toolName = part?.kind === 'tool-call' ? part.toolName : '';
      const toolCallId = part?.kind === 'tool-call' ? part.toolCallId : '';
      const out: AgentStreamEvent = { kind: 'part-delta', index: event.index, delta, toolName, toolCallId, partialArgs: parser?.value as never };
      if (changed) argsChanged.add(out);
      return out;
    }
    case 'part-end': {
      const part = assembler.part(event.index);
      args.delete(event.index);
      return part ? { kind: 'part-end', index: event.index, part } : undefined;
    }
    case 'finish':
      return undefined;
  }
}

/**
 * Before a request: limits, the request recorded with the agent's instructions for this step
 * (rendered afresh, prompted-output instructions included; replacing any it held), this step's tools.
 */
async function beginRequest(setup: RunSetup, state: RunState, request: ModelRequest): Promise<ModelRequestParameters> {
  checkBeforeRequest(state.usage, setup.limits);
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
function endRequest(setup: RunSetup, state: RunState, response: ModelResponse): void {
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
