/**
 * A run as a graph you can step through: user prompt -> model request -> call tools -> (model
 * request -> call tools)* -> end. `agent.run()` walks it to the end; `agent.iter()` hands it to
 * the caller, node by node.
 */
import { assertModelRequestAllowed } from '../allow-requests.js';
import { refreshDynamicInstructions, systemPromptParts } from '../instructions.js';
import { now, type ModelRequest, type ModelResponse, type RequestPart } from '../messages.js';
import type { ModelRequestParameters, ToolDefinition } from '../model.js';
import { RunResult } from '../result.js';
import { checkBeforeRequest, checkTokens } from '../usage.js';
import { callTools } from './call-tools.js';
import { runContext, type RunSetup, type RunState, type UserPrompt } from './setup.js';

/** The first node: the user's prompt, before anything is sent. */
export interface UserPromptNode {
  kind: 'user-prompt';
  prompt: UserPrompt;
}

/** A request about to be sent to the model. */
export interface ModelRequestNode {
  kind: 'model-request';
  request: ModelRequest;
}

/** A model response whose tool calls (or output) are about to be handled. */
export interface CallToolsNode {
  kind: 'call-tools';
  response: ModelResponse;
}

/** The end of the run, with its result. */
export interface EndNode<Output> {
  kind: 'end';
  result: RunResult<Output>;
}

/** A node of a run. */
export type AgentNode<Output> = UserPromptNode | ModelRequestNode | CallToolsNode | EndNode<Output>;

/** One run of an agent, stepped node by node. */
export class AgentRun<Output> implements AsyncIterable<AgentNode<Output>> {
  private current: AgentNode<Output>;
  private finished: RunResult<Output> | undefined;

  constructor(
    private readonly prepare: () => Promise<{ setup: RunSetup; state: RunState }>,
    prompt: UserPrompt,
  ) {
    this.current = { kind: 'user-prompt', prompt };
  }

  private ready: Promise<{ setup: RunSetup; state: RunState }> | undefined;

  /** The node the next call of {@link next} will run. */
  get nextNode(): AgentNode<Output> {
    return this.current;
  }

  /** The result, once the run reached its end node. */
  get result(): RunResult<Output> | undefined {
    return this.finished;
  }

  /**
   * Runs one node (the next one by default; a caller may hand back a node it changed, such as a
   * request with an extra part) and returns the node that follows.
   */
  async next(node: AgentNode<Output> = this.current): Promise<AgentNode<Output>> {
    this.ready ??= this.prepare();
    const { setup, state } = await this.ready;
    setup.signal?.throwIfAborted();
    let following: AgentNode<Output>;
    switch (node.kind) {
      case 'user-prompt':
        following = { kind: 'model-request', request: await firstRequest(setup, state) };
        break;
      case 'model-request':
        following = { kind: 'call-tools', response: await requestModel(setup, state, node.request) };
        break;
      case 'call-tools': {
        const outcome = await callTools(setup, state, node.response);
        if (outcome.kind === 'continue') {
          following = { kind: 'model-request', request: { kind: 'request', parts: outcome.parts } };
        } else {
          if (outcome.parts.length > 0) state.messages.push({ kind: 'request', parts: outcome.parts });
          this.finished = new RunResult(outcome.output as Output, state.messages, state.newFrom, state.usage, outcome.outputToolCall?.toolCallId);
          following = { kind: 'end', result: this.finished };
        }
        break;
      }
      case 'end':
        return node;
    }
    this.current = following;
    return following;
  }

  /** Yields every node from the first to the end node. */
  async *[Symbol.asyncIterator](): AsyncIterator<AgentNode<Output>> {
    yield this.current;
    while (this.current.kind !== 'end') yield await this.next();
  }

  /** Runs to the end and returns the result. */
  async complete(): Promise<RunResult<Output>> {
    while (this.current.kind !== 'end') await this.next();
    return (this.current as EndNode<Output>).result;
  }
}

/** The first request: instructions (new conversations only) and the user prompt. */
async function firstRequest(setup: RunSetup, state: RunState): Promise<ModelRequest> {
  const ctx = runContext(setup, state);
  const parts: RequestPart[] = [];
  if (state.newFrom === 0) {
    parts.push(...(await systemPromptParts(setup.instructions, ctx)));
    const prompted = setup.output.promptedInstructions();
    if (prompted) parts.push({ kind: 'system-prompt', content: prompted, timestamp: now() });
  } else {
    const refreshed = await refreshDynamicInstructions(state.messages, setup.instructions, ctx);
    state.messages.splice(0, state.messages.length, ...refreshed);
  }
  parts.push({ kind: 'user-prompt', content: typeof setup.prompt === 'string' ? setup.prompt : [...setup.prompt], timestamp: now() });
  return { kind: 'request', parts };
}

/** Sends a request: limits checked before and after, the request and response recorded. */
async function requestModel(setup: RunSetup, state: RunState, request: ModelRequest): Promise<ModelResponse> {
  checkBeforeRequest(state.usage, setup.limits);
  assertModelRequestAllowed(setup.model);
  state.messages.push(request);
  state.runStep += 1;
  const params = await requestParameters(setup, state);
  const response = await setup.model.request(state.messages, setup.settings, params, setup.signal);
  state.usage.addResponse(response.usage);
  state.messages.push(response);
  checkTokens(state.usage, setup.limits);
  return response;
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
