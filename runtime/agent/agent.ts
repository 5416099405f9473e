/**
 * Agents: a spec (generated, or built from a hand-written definition) bound to tool handlers,
 * delegate agents and options. `run` walks a run to its end; `iter` steps through it.
 */
import { delegateTool, type DelegateTarget } from './delegate-tool.js';
import { UserError } from '../contract/errors.js';
import type { Instruction, SystemPrompt } from './instructions.js';
import { renderTemplate } from './instructions.js';
import { loadValidators } from './load-validators.js';
import { historyValidatorReady, parseMessages, validateMessages } from '../contract/messages-json.js';
import { detailsText } from '../contract/messages.js';
import { resolveModel, type ModelLike } from '../models/registry.js';
import { OutputHandler, validationDetails } from './output.js';
import type { BaseRunOptions } from './run-options.js';

export type { BaseRunOptions } from './run-options.js';
import type { RunResult } from './result.js';
import { AgentRun, runOutputHandler } from '../run/agent-run.js';
import type { AgentRunEvent, AgentStreamEvent, DeepPartial, EventHandler } from '../stream/events.js';
import { PartialOutputEvents } from '../stream/partial-output-events.js';
import { StreamedRun } from '../stream/streamed-run.js';
import type { OutputValidator, PrepareTools, RunSetup, RunState, UserPrompt } from '../run/setup.js';
import { offerRunMessages, overridesFor, withOverrides, type AgentOverrides } from './scopes.js';
import type { AgentSpec, EndStrategy, ModelSettings, UsageLimits } from '../contract/spec.js';
import type { Validator } from '../validators/index.js';
import { handTool, specTool, type HandTool, type RuntimeTool, type ToolHandler } from './tools.js';
import { DEFAULT_REQUEST_LIMIT, mergeLimits, Usage } from './usage.js';
import { bindSpec } from './bind-spec.js';
import type { Instrument } from '../telemetry/instrumentation.js';
import { traceRun } from '../run/trace-run.js';
import type { Toolset } from './toolset.js';
import { openToolsets } from '../run/toolsets.js';
import type { ApprovalCondition, DeferredToolRequests, DeferredToolResults } from './deferred.js';
import { readPausedRun, type PausedRun } from './paused-run.js';
import { checkedResume, type Resume } from './checked-resume.js';
import { agentContract, type AgentContract } from './agent-contract.js';

/** Options of an agent: what a generated factory accepts besides handlers and delegates. */
export interface AgentOptions<Deps, Context, Output> {
  /** The model, overriding the definition's default (`openai:gpt-4o`, a Model object). */
  model?: ModelLike;
  /** Merged over the definition's model settings. */
  modelSettings?: ModelSettings;
  /** Merged over the definition's usage limits (and the default limit of 50 requests). */
  usageLimits?: UsageLimits;
  /**
   * More instructions, after the definition's own: sent with every request of this agent's runs,
   * never replayed from a history (see instructions.ts).
   */
  instructions?: readonly Instruction<Deps, Context>[];
  /**
   * More system prompts, after the definition's own (`system_prompt`): stored at the start of a
   * new conversation and replayed with its history.
   */
  systemPrompt?: readonly SystemPrompt<Deps, Context>[];
  /** Check (and may transform) the output; throw ModelRetry to ask the model again. */
  outputValidators?: readonly OutputValidator<Deps, Context, Output>[];
  /** Hides or changes function tools at each step. */
  prepareTools?: PrepareTools<Deps, Context>;
  /** Default retry budget of each tool (default: the definition's, else 1). */
  retries?: number;
  /** Retry budget of the output (default: the definition's, else `retries`). */
  outputRetries?: number;
  /** When a response holds a final output and function tool calls (default `graceful`). */
  endStrategy?: EndStrategy;
  /**
   * Trace this agent's runs with OpenTelemetry (needs `import 'schemantic/telemetry'`): `true`
   * with defaults, or settings (content capture, providers). A run's own `instrument` wins.
   */
  instrument?: Instrument;
  /**
   * Tools from elsewhere (an MCP server: `mcpServer()` from `schemantic/mcp`), opened for each run
   * and joined to the agent's own; a run's `toolsets` come after these.
   */
  toolsets?: readonly Toolset[];
  /**
   * When a call of a tool declared `approval: conditional` needs approval, by the tool's handler key
   * (generated factories type it): called with the validated arguments before the handler.
   */
  needsApproval?: Readonly<Record<string, ApprovalCondition<Deps, Context, never>>>;
}

/**
 * Run options: `deps` and `context` are required exactly when the agent's types require them.
 * `eventHandler` receives the run's events (model requests are then streamed).
 */
export type RunOptions<Deps, Context, ToolArgs extends object = Record<string, unknown>> = BaseRunOptions & {
  eventHandler?: EventHandler<ToolArgs>;
} & (undefined extends Deps ? { deps?: Deps } : { deps: Deps }) &
  (undefined extends Context ? { context?: Context } : { context: Context });

/** The arguments after the prompt: optional when neither deps nor context is required. */
export type RunArgs<Deps, Context, ToolArgs extends object = Record<string, unknown>> = undefined extends Deps
  ? undefined extends Context
    ? [options?: RunOptions<Deps, Context, ToolArgs>]
    : [options: RunOptions<Deps, Context, ToolArgs>]
  : [options: RunOptions<Deps, Context, ToolArgs>];

type AnyRunOptions<Deps, Context> = BaseRunOptions & { deps?: Deps; context?: Context; eventHandler?: EventHandler };

/** Options of a resumed run: a run's options, and a prompt to send after the answers. */
export type ResumeOptions<Deps, Context, ToolArgs extends object = Record<string, unknown>> = Omit<RunOptions<Deps, Context, ToolArgs>, 'messageHistory'> & {
  /**
   * A new user prompt, sent after the answers to the deferred calls; kept in the paused state when
   * the run pauses again before the model reads it (calls left undecided), and sent on the resume that follows.
   */
  prompt?: UserPrompt;
};

/** The arguments after the paused run and the results: optional when neither deps nor context is required. */
export type ResumeArgs<Deps, Context, ToolArgs extends object = Record<string, unknown>> = undefined extends Deps
  ? undefined extends Context
    ? [options?: ResumeOptions<Deps, Context, ToolArgs>]
    : [options: ResumeOptions<Deps, Context, ToolArgs>]
  : [options: ResumeOptions<Deps, Context, ToolArgs>];

/** What binds a spec to code. */
export interface AgentBinding<Deps, Context, Output> {
  /** Tool handlers by key (the camelCase tool name). */
  handlers: Readonly<Record<string, ToolHandler<Deps, Context, never, unknown>>>;
  /** Delegate agents by key. */
  delegates: Readonly<Record<string, DelegateTarget>>;
  /** Tools beyond the spec's (hand-written agents). */
  extraTools: readonly RuntimeTool[];
  options: AgentOptions<Deps, Context, Output>;
}

/**
 * An agent, typed by its dependencies, output and context; `ToolArgs` maps the names of the tools
 * its model calls to their argument types (generated agents fill it in), to type stream events.
 */
export class Agent<Deps, Output, Context, ToolArgs extends object = Record<string, unknown>> {
  /** What runs need beyond the spec, built on the first run (after loading the validators). */
  private ready: Promise<Ready> | undefined;

  /** Use {@link defineAgent} (generated code) or `agent()` (hand-written definitions). */
  constructor(
    /** The agent's definition, as data. */
    readonly spec: AgentSpec<Output, Context>,
    private readonly binding: AgentBinding<Deps, Context, Output>,
  ) {}

  /** The agent's name. */
  get name(): string {
    return this.spec.name;
  }

  /** Runs the agent to its end. */
  async run(prompt: UserPrompt, ...args: RunArgs<Deps, Context, ToolArgs>): Promise<RunResult<Output>> {
    return this.iter(prompt, ...args).complete();
  }

  /**
   * A run to step through node by node (`for await (const node of agent.iter(...))`, or
   * `run.next(node)`); `run.stream(node)` runs a node yielding its events.
   */
  iter(prompt: UserPrompt, ...args: RunArgs<Deps, Context, ToolArgs>): AgentRun<Output> {
    const options = (args[0] ?? {}) as AnyRunOptions<Deps, Context>;
    return new AgentRun<Output>(() => this.prepareRun(prompt, options), prompt, options.eventHandler);
  }

  /**
   * A streamed run: read its text (`textStream`), its output filling in (`outputStream`), or its
   * responses as they arrive. It stops at the first valid final output (see StreamedRun).
   */
  runStream(prompt: UserPrompt, ...args: RunArgs<Deps, Context, ToolArgs>): StreamedRun<Output> {
    const options = (args[0] ?? {}) as AnyRunOptions<Deps, Context>;
    let started: { setup: RunSetup; state: RunState } | undefined;
    const run = new AgentRun<Output>(async () => (started = await this.prepareRun(prompt, options, 'early')), prompt);
    return new StreamedRun<Output>({
      run,
      output: async () => (await run.messages(), started!.setup.output),
      messages: () => started?.state.messages ?? [],
      newFrom: () => started?.state.newFrom ?? 0,
      usage: () => (started?.state.usage ?? new Usage()).snapshot(),
    });
  }

  /**
   * The run's events as it happens (parts of each response as they stream, tool calls and their
   * results, the final result), ending with a `run-result` event carrying the RunResult. Leaving
   * the iteration early cancels the run.
   */
  async *runStreamEvents(prompt: UserPrompt, ...args: RunArgs<Deps, Context, ToolArgs>): AsyncGenerator<AgentRunEvent<Output, ToolArgs>> {
    const options = (args[0] ?? {}) as AnyRunOptions<Deps, Context>;
    yield* this.streamEventsOf(new AgentRun<Output>(() => this.prepareRun(prompt, options), prompt));
  }

  /** The events of a run, node by node, with its partial output as it changes, then its result. */
  private async *streamEventsOf(run: AgentRun<Output>): AsyncGenerator<AgentRunEvent<Output, ToolArgs>> {
    let partials: PartialOutputEvents | undefined | null = null;
    while (run.nextNode.kind !== 'end') {
      const events: AsyncIterator<AgentStreamEvent, unknown> = run.stream();
      // By hand for speed; the finally closes the node (and the model's stream) if the reader leaves.
      try {
        for (let step = await events.next(); !step.done; step = await events.next()) {
          yield step.value as AgentStreamEvent<ToolArgs>;
          // The output handler is known once the run has started (its first event).
          if (partials === null) partials = PartialOutputEvents.for(runOutputHandler(run));
          const output = partials?.read(step.value);
          if (output !== undefined) yield { kind: 'partial-output', output: output as DeepPartial<Exclude<Output, DeferredToolRequests>> };
        }
      } finally {
        await events.return?.();
      }
    }
    yield { kind: 'run-result', result: run.result! };
  }

  /**
   * The agent's contract as a paused run records it (its tools' schemas and kinds, its output's
   * schemas, a fingerprint): what a durable engine stores when a run starts, to check it against
   * the code that recovers the run (see resume-check.ts). Toolsets' tools are not in it.
   */
  async contract(): Promise<AgentContract> {
    const ready = await this.prepare(this.binding.options.retries ?? this.spec.retries ?? 1);
    return agentContract(ready.tools, ready.output);
  }

  /**
   * Resumes a run that stopped at deferred calls (its output was DeferredToolRequests), from its
   * paused state (`result.paused()`, as stored: an object or JSON text) and the caller's answers:
   * decisions on approvals, results of external calls. The agent's current contract is checked
   * against the one the run paused under: a breaking change to a pending call's tool stops it with
   * a ContractChangedError naming each change. The result may pause again.
   */
  async resume(paused: PausedRun | string, results: DeferredToolResults, ...args: ResumeArgs<Deps, Context, ToolArgs>): Promise<RunResult<Output>> {
    return this.resumedRun(paused, results, (args[0] ?? {}) as ResumeOptions<Deps, Context, ToolArgs>).complete();
  }

  /** {@link resume} with the run's events as it happens (as {@link runStreamEvents}). */
  async *resumeStreamEvents(
    paused: PausedRun | string,
    results: DeferredToolResults,
    ...args: ResumeArgs<Deps, Context, ToolArgs>
  ): AsyncGenerator<AgentRunEvent<Output, ToolArgs>> {
    yield* this.streamEventsOf(this.resumedRun(paused, results, { ...args[0], eventHandler: undefined } as ResumeOptions<Deps, Context, ToolArgs>));
  }

  private resumedRun(paused: PausedRun | string, results: DeferredToolResults, options: ResumeOptions<Deps, Context, ToolArgs>): AgentRun<Output> {
    const { prompt, ...rest } = options as ResumeOptions<Deps, Context, ToolArgs> & AnyRunOptions<Deps, Context>;
    const run = async () => {
      await historyValidatorReady();
      const resume: Resume = { paused: readPausedRun(paused), results, prompt };
      return this.prepareRun(prompt ?? '', rest, undefined, resume);
    };
    return new AgentRun<Output>(run, prompt ?? '', rest.eventHandler);
  }

  /**
   * Runs `fn` with this agent's model, deps, instructions, system prompts and/or tools replaced,
   * for every run of this agent inside `fn` (however deep in your code) and only there:
   * concurrent runs elsewhere are unaffected. For tests and evals.
   */
  override<T>(overrides: OverrideOptions<Deps, Context>, fn: () => Promise<T>): Promise<T> {
    const value: AgentOverrides = {};
    if ('model' in overrides) value.model = overrides.model;
    if ('deps' in overrides) value.deps = overrides.deps;
    if (overrides.instructions !== undefined) value.instructions = asList(overrides.instructions) as Instruction<unknown, unknown>[];
    if (overrides.systemPrompt !== undefined) value.systemPrompt = asList(overrides.systemPrompt) as SystemPrompt<unknown, unknown>[];
    if (overrides.tools !== undefined) {
      const retries = this.binding.options.retries ?? this.spec.retries ?? 1;
      const tools = new Map<string, RuntimeTool>();
      for (const tool of overrides.tools) {
        if (tools.has(tool.name)) throw new UserError(`agent ${this.name}: two override tools are named ${tool.name}`);
        tools.set(tool.name, handTool(tool as HandTool<never, never, never, unknown>, retries, this.name));
      }
      value.tools = tools;
    }
    return withOverrides(this, value, fn);
  }

  /** `endStrategy` overrides the agent's (streamed runs stop at the first final output). */
  private async prepareRun(
    prompt: UserPrompt,
    options: AnyRunOptions<Deps, Context>,
    endStrategy?: EndStrategy,
    resume?: Resume,
  ): Promise<{ setup: RunSetup; state: RunState }> {
    const spec = this.spec;
    const where = spec.source ?? `agent ${spec.name}`;
    const override = overridesFor(this);
    const modelLike = override?.model ?? options.model ?? this.binding.options.model ?? spec.model;
    if (modelLike === undefined) throw new UserError(`${where}: no model: set one in the definition, the factory options or the run options`);
    const model = await resolveModel(modelLike);
    const deps = override && 'deps' in override ? override.deps : options.deps;
    const context = options.context;
    const o = this.binding.options;
    const retries = o.retries ?? spec.retries ?? 1;
    const ready = await this.prepare(retries);
    if (ready.validateContext && !ready.validateContext(context)) {
      const problems = detailsText(validationDetails(ready.validateContext));
      throw new UserError(`${where}: the context does not match the agent's context schema: ${problems}`);
    }
    if (options.messageHistory !== undefined) await historyValidatorReady();
    const history = resume
      ? resume.paused.history.messages
      : options.messageHistory === undefined
        ? []
        : typeof options.messageHistory === 'string'
          ? parseMessages(options.messageHistory)
          : validateMessages(options.messageHistory);
    let instructions: readonly Instruction<unknown, unknown>[] | undefined = override?.instructions;
    if (!instructions) {
      const list: Instruction<unknown, unknown>[] = [];
      if (spec.instructions) list.push(renderTemplate(spec.instructions, context));
      list.push(...((o.instructions ?? []) as Instruction<unknown, unknown>[]));
      instructions = list;
    }
    let systemPrompts: readonly SystemPrompt<unknown, unknown>[] | undefined = override?.systemPrompt;
    if (!systemPrompts) {
      const list: SystemPrompt<unknown, unknown>[] = [];
      if (spec.systemPrompt) list.push(renderTemplate(spec.systemPrompt, context));
      list.push(...((o.systemPrompt ?? []) as SystemPrompt<unknown, unknown>[]));
      systemPrompts = list;
    }
    let tools = override?.tools ? this.overrideTools(override.tools, ready.output, where) : ready.tools;
    const settings = { ...spec.modelSettings, ...o.modelSettings, ...options.modelSettings };
    const setup: RunSetup = {
      agentName: spec.name,
      model,
      settings: Object.keys(settings).length > 0 ? settings : undefined,
      limits: mergeLimits({ requests: DEFAULT_REQUEST_LIMIT }, spec.usageLimits, o.usageLimits, options.usageLimits),
      tools,
      output: ready.output,
      outputValidators: (o.outputValidators ?? []) as OutputValidator<unknown, unknown, unknown>[],
      maxOutputRetries: o.outputRetries ?? spec.outputRetries ?? retries,
      endStrategy: endStrategy ?? o.endStrategy ?? spec.endStrategy ?? 'graceful',
      instructions,
      systemPrompts,
      prepareTools: o.prepareTools as PrepareTools<unknown, unknown> | undefined,
      deps,
      context,
      prompt,
      signal: options.signal,
    };
    const toolsets = [...(o.toolsets ?? []), ...(options.toolsets ?? [])];
    if (toolsets.length > 0) {
      const opened = await openToolsets(toolsets, tools, ready.output, options.signal, where);
      setup.tools = tools = opened.tools;
      setup.toolsets = opened.toolsets;
    }
    if (options.runId !== undefined) setup.runId = options.runId;
    if (options.steps !== undefined) setup.steps = options.steps;
    if (resume) setup.resume = await checkedResume(spec.name, resume, setup);
    traceRun(setup, options, o.instrument);
    const state: RunState = {
      messages: [...history],
      newFrom: history.length,
      usage: options.usage ?? new Usage(),
      toolRetries: new Map(),
      outputRetries: 0,
      runStep: 0,
      offeredTools: new Set(),
    };
    offerRunMessages(state.messages);
    return { setup, state };
  }

  /** Override tools, checked against the output tools once per override (then cached). */
  private overrideTools(tools: ReadonlyMap<string, RuntimeTool>, output: OutputHandler, where: string): Map<string, RuntimeTool> {
    let checked = checkedOverrideTools.get(tools);
    if (!checked) {
      for (const name of tools.keys())
        if (output.isOutputTool(name)) throw new UserError(`${where}: the override tool ${name} has the name of an output tool; rename it`);
      checked = new Map(tools);
      checkedOverrideTools.set(tools, checked);
    }
    return checked;
  }

  /**
   * Loads the validators (once; a failed load is tried again on the next run) and builds the
   * output handler and the runtime tools from them.
   */
  private prepare(defaultRetries: number): Promise<Ready> {
    this.ready ??= this.build(defaultRetries).catch((err: unknown) => {
      this.ready = undefined;
      throw err;
    });
    return this.ready;
  }

  private async build(defaultRetries: number): Promise<Ready> {
    const spec = this.spec as AgentSpec<unknown, unknown>;
    const where = spec.source ?? `agent ${spec.name}`;
    const validators = await loadValidators(spec, where);
    const output = new OutputHandler(spec.output, spec.name, validators.outputs);
    const tools = new Map<string, RuntimeTool>();
    const add = (tool: RuntimeTool) => {
      if (tools.has(tool.definition.name)) throw new UserError(`${where}: two tools are named ${tool.definition.name}`);
      // The model could not tell the tool from the output tool of the same name.
      if (output.isOutputTool(tool.definition.name))
        throw new UserError(`${where}: the tool ${tool.definition.name} has the name of an output tool; rename it`);
      tools.set(tool.definition.name, tool);
    };
    // The generated output type has DeferredToolRequests only when a tool is declared to defer.
    const defers = spec.tools.some(({ tool }) => tool.approval !== undefined || tool.external === true);
    for (const { key, tool } of spec.tools) {
      const handler = this.binding.handlers[key] as ToolHandler<unknown, unknown, unknown, unknown> | undefined;
      const condition = this.binding.options.needsApproval?.[key] as ApprovalCondition | undefined;
      add(specTool(tool, validators.tools.get(tool)!, tool.external ? undefined : handler, defaultRetries, `${where} tools.${key}`, condition, defers));
    }
    for (const { key, tool } of spec.delegates) {
      const delegate = this.binding.delegates[key]!;
      add(delegateTool(delegate, tool, validators.delegates.get(tool)!, defaultRetries, `${where} agents.${key}`));
    }
    for (const tool of this.binding.extraTools) add(tool);
    return { output, tools, ...(validators.context ? { validateContext: validators.context } : {}) };
  }
}

/** Override tool maps as runs use them (one map per override, so its tool definitions are cached). */
const checkedOverrideTools = new WeakMap<ReadonlyMap<string, RuntimeTool>, Map<string, RuntimeTool>>();

/** What `agent.override` can replace; each field present replaces the agent's own. */
export interface OverrideOptions<Deps, Context> {
  model?: ModelLike;
  deps?: Deps;
  /** Instead of all the agent's instructions (the definition's and the options'). */
  instructions?: Instruction<Deps, Context> | readonly Instruction<Deps, Context>[];
  /** Instead of all the agent's system prompts (the definition's and the options'). */
  systemPrompt?: SystemPrompt<Deps, Context> | readonly SystemPrompt<Deps, Context>[];
  /** Instead of every tool the model can call (function tools and delegates). */
  tools?: readonly HandTool<Deps, Context, never, unknown>[];
}

function asList<T>(value: T | readonly T[]): readonly T[] {
  return Array.isArray(value) ? (value as readonly T[]) : [value as T];
}

/** What an agent's runs share, built on its first run. */
interface Ready {
  output: OutputHandler;
  /** Function tools and delegates, by the name the model calls. */
  tools: Map<string, RuntimeTool>;
  validateContext?: Validator<unknown>;
}

/**
 * Binds a generated spec to handlers: what generated factories call. Checks that the generated
 * code suits this runtime and that every tool has a handler and every delegate an agent.
 */
export function defineAgent<Deps, Output, Context, ToolArgs extends object = Record<string, unknown>>(
  spec: AgentSpec<Output, Context>,
  options: AgentOptions<Deps, Context, Output> & { tools?: object; agents?: object },
): Agent<Deps, Output, Context, ToolArgs> {
  const { handlers, delegates, rest } = bindSpec(spec as AgentSpec<unknown, unknown>, options);
  return new Agent<Deps, Output, Context, ToolArgs>(spec, {
    handlers: handlers as AgentBinding<Deps, Context, Output>['handlers'],
    delegates: delegates as AgentBinding<Deps, Context, Output>['delegates'],
    extraTools: [],
    options: rest as AgentOptions<Deps, Context, Output>,
  });
}
