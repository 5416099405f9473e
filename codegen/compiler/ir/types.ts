import type { AgentNames, EvalDatasetNames, GraphNames, GraphNodeNames, McpServerNames, McpToolNames, ToolNames, TypeValidatorName } from '../naming-plan.js';

/**
 * The intermediate representation: plain typed data describing the corpus with resolved
 * references and final TypeScript names. Emitters read only this, never the raw definitions.
 */

/** Where an IR element was defined. */
export interface IRSource {
  /** Display path of the definitions file (relative to the working directory). */
  file: string;
  /** Path relative to the schemas folder. */
  rel: string;
  /** JSON pointer inside the file. */
  pointer: string;
  line: number;
  col: number;
}

/**
 * A schema in canonical form: JSON Schema draft 2020-12 whose only references are
 * `{"$ref": "#/$defs/<type name>"}` to named types of the IR.
 */
export interface IRSchema {
  schema: unknown;
  /** Names of every named type reachable from the schema, sorted. */
  closure: string[];
  /** Other definition entries whose content was copied into the schema (`rel#/section/name`, sorted). */
  inlinedFrom: string[];
}

/** A named type. */
export interface IRType {
  /** The key references use: `#/$defs/<name>`. */
  name: string;
  /** The exported TypeScript name. */
  tsName: string;
  /** Generated module that declares it, without extension (e.g. `types/common`). */
  module: string;
  /** Its validator: module and export name (the naming plan). */
  validator: TypeValidatorName;
  schema: IRSchema;
  /** Lax scalars in its validator: the `lax` of the file that declares it (absent: true). */
  lax?: boolean;
  source: IRSource;
}

/** A function tool. */
export interface IRTool {
  /** The model-facing name. */
  name: string;
  /** PascalCase stem of its TypeScript names (`GetLatLng` -> `GetLatLngArgs`). */
  tsName: string;
  /** The handler key (`getLatLng`). */
  handlerKey: string;
  /** File stem of its generated modules (`get-lat-lng`). */
  fileName: string;
  /** Every name and module of the tool in generated code (the naming plan). */
  names: ToolNames;
  description?: string;
  parameters: IRSchema;
  returns?: IRSchema;
  retries?: number;
  strict?: boolean;
  /**
   * A person approves each call before the handler runs (`required`), or the calls the agent
   * factory's `needsApproval` condition picks (`conditional`); absent when no approval is asked.
   */
  approval?: 'required' | 'conditional';
  /** Set when the caller runs its calls: the tool has no handler (absent otherwise). */
  external?: true;
  /** Lax scalars in the arguments validator: its `lax`, else its file's, else true. */
  lax: boolean;
  source: IRSource;
}

/** One piece of an instructions template. */
export type InstructionPart = { kind: 'text'; text: string } | { kind: 'placeholder'; path: string[] };

/** One member of a structured output (a union has several). */
export interface IROutputMember {
  /** Name of the output tool for this member (`final_result` or `final_result_<Name>`). */
  toolName: string;
  /** The member's name in a union, PascalCase (`FlightDetails`); empty for a single output. */
  memberName: string;
  /** TypeScript name of the member's type. */
  tsName: string;
  /** The named type the member is, when it is one (then no new declaration is emitted). */
  namedType?: string;
  schema: IRSchema;
  description?: string;
  source: IRSource;
}

/** What an agent outputs. */
export type IROutput =
  | { kind: 'text' }
  | {
      kind: 'structured';
      members: IROutputMember[];
      /** A plain `{type: string}` member: the model may also end with text. */
      allowsText: boolean;
    };

/** Model settings, as sent with each request. */
export interface IRModelSettings {
  temperature?: number;
  maxTokens?: number;
  topP?: number;
  stop?: string[];
  seed?: number;
  /** Seconds. */
  timeout?: number;
  parallelToolCalls?: boolean;
  topK?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
  /** Bias per token id (the keys are token ids, written as strings). */
  logitBias?: Record<string, number>;
}

/** Usage limits of one run. */
export interface IRUsageLimits {
  requests?: number;
  toolCalls?: number;
  inputTokens?: number;
  outputTokens?: number;
  totalTokens?: number;
}

/** An agent. */
export interface IRAgent {
  name: string;
  /** PascalCase stem (`Weather` -> `createWeatherAgent`, `WeatherOutput`). */
  tsName: string;
  /** camelCase form, used as a delegate key by parents (`seatPreference`). */
  camelName: string;
  fileName: string;
  /** Every name and module of the agent in generated code (the naming plan). */
  names: AgentNames;
  description?: string;
  model?: string;
  instructions?: InstructionPart[];
  /** The system prompt (`system_prompt`): stored in the history, unlike instructions. */
  systemPrompt?: InstructionPart[];
  context?: IRSchema;
  /** Function tools, by model-facing name, in the order written. */
  tools: string[];
  /** Agents this agent delegates to, by name, in the order written. */
  delegates: string[];
  /** The `tools` list as written: tools and delegates interleaved (for locating problems). */
  toolOrder: string[];
  /** MCP servers whose tools its runs get, by name, in the order written (unknown names left out). */
  mcp: string[];
  /** The servers of which it gets only some tools (`{server, include | exclude}`), by server name; absent when none. */
  mcpFilters?: Record<string, IRMcpFilter>;
  output: IROutput;
  outputMode: 'tool' | 'native' | 'prompted';
  retries?: number;
  outputRetries?: number;
  modelSettings?: IRModelSettings;
  usageLimits?: IRUsageLimits;
  endStrategy?: 'early' | 'graceful' | 'exhaustive';
  /**
   * Set when one of its tools needs approval or is external: a run may then end with deferred
   * tool calls, so `<Agent>Output` is its own output (`<Agent>FinalOutput`) or DeferredToolRequests.
   * Absent otherwise.
   */
  deferred?: true;
  /** Lax scalars in the output (and delegate arguments) validators: its `lax`, else its file's, else true. */
  lax: boolean;
  source: IRSource;
}

/** Which of an MCP server's tools an agent gets (an `mcp:` item `{server, include | exclude}`). */
export interface IRMcpFilter {
  /** Only these tools, by the server's names, in the order written. */
  include?: string[];
  /** All tools but these, by the server's names, in the order written. */
  exclude?: string[];
  /** Where the item was written (its pointer ends in `/mcp/<index>`). */
  source: IRSource;
}

/** How to reach an MCP server: a process spoken to over stdio, or a streamable HTTP endpoint. */
export interface IRMcpConnection {
  command?: string;
  args?: string[];
  env?: Record<string, string>;
  cwd?: string;
  url?: string;
  headers?: Record<string, string>;
}

/** One tool an MCP server lists. */
export interface IRMcpTool {
  /** Its name on the server. */
  name: string;
  /** PascalCase stem of its TypeScript names (`get-sum` -> `GetSumArgs`). */
  tsName: string;
  /** Its names in the server's modules (the naming plan). */
  names: McpToolNames;
  title?: string;
  description?: string;
  /** Its arguments (the server's `inputSchema`). */
  parameters: IRSchema;
  /** Its structured result (the server's `outputSchema`), when it declares one. */
  returns?: IRSchema;
  /** Its annotations (`readOnlyHint`, ...), as the server gives them. */
  annotations?: Record<string, unknown>;
  source: IRSource;
}

/** An MCP server (`mcp:`): how to reach it and the tools it lists. */
export interface IRMcpServer {
  /** Its key in the definitions. */
  name: string;
  /** PascalCase stem (`everything` -> `createEverythingServer`). */
  tsName: string;
  camelName: string;
  fileName: string;
  /** Every name and module of the server in generated code (the naming plan). */
  names: McpServerNames;
  description?: string;
  connection: IRMcpConnection;
  /** Milliseconds a tool call may take. */
  timeout?: number;
  /** Put before each tool name the model sees. */
  prefix?: string;
  /** Its tools, sorted by name. */
  tools: IRMcpTool[];
  source: IRSource;
}

/** A schema of a graph (its state or output, a node's input or awaited reply), with its name in the graph's module. */
export interface IRGraphSchema {
  schema: IRSchema;
  /** The TypeScript name generated code gives it (`QuestionState`, `QuestionAskInput`). */
  tsName: string;
  /**
   * Set when the schema is exactly a named type (a `$ref` alone) whose TypeScript name is `tsName`:
   * the graph's module then imports that type and declares nothing for it.
   */
  namedType?: string;
  source: IRSource;
}

/** An edge of a graph: a node a node may go to next. */
export interface IRGraphEdge {
  /** The node it goes to, by name (a node of the graph once the check stage passed). */
  node: string;
  /** What the edge means (drawn on it in diagrams). */
  label?: string;
  /** Where the edge was written (its pointer ends in `/next/<index>`). */
  source: IRSource;
}

/** A node of a graph. */
export interface IRGraphNode {
  /** Its name in the definitions (history, snapshots, diagrams, steps). */
  name: string;
  /** PascalCase stem of its TypeScript names (`ask_question` -> `QuestionAskQuestionInput`). */
  tsName: string;
  /** Every name of the node in its graph's modules (the naming plan). */
  names: GraphNodeNames;
  description?: string;
  /** The data it is made with; absent when it takes none. */
  input?: IRGraphSchema;
  /** The outside value it waits for before it runs (`waits_for`); absent when it does not wait. */
  waitsFor?: IRGraphSchema;
  /** The nodes it may go to next, in the order written. */
  next: IRGraphEdge[];
  /** It may end the run with the graph's output. */
  end: boolean;
  /** The agent it runs, by name (documentation and diagrams). */
  agent?: string;
  source: IRSource;
}

/** A graph (`graphs:`): a typed state machine whose handlers the application writes. */
export interface IRGraph {
  /** Its key in the definitions. */
  name: string;
  /** PascalCase stem (`question` -> `createQuestionGraph`, `QuestionState`). */
  tsName: string;
  camelName: string;
  fileName: string;
  /** Every name and module of the graph in generated code (the naming plan). */
  names: GraphNames;
  description?: string;
  /** What its dependencies are (documentation: the factory is generic in them). */
  deps?: string;
  state: IRGraphSchema;
  /** What a run ends with; absent when it ends with no output. */
  output?: IRGraphSchema;
  /** The first node's name ('' when the definitions give none, which validate reported). */
  start: string;
  /** Its nodes, in the order written (diagrams follow it). */
  nodes: IRGraphNode[];
  source: IRSource;
}

/**
 * A built-in evaluator in the runtime's data form (`EvaluatorSpec` of `schemantic/evals`): its
 * kind as `evaluator` (camelCase, `equalsExpected`), then `name` when given, then its arguments
 * with camelCase keys; values (`value`, `equals`, `args`, schemas) as written.
 */
export interface IREvaluator {
  evaluator: string;
  name?: string;
  [argument: string]: unknown;
}

/** One case of an eval dataset, in the runtime's data form (`EvalCase`), fields as written. */
export interface IREvalCase {
  name: string;
  prompt: string;
  context?: unknown;
  /** A key of the deps of the agent's binding in the evals entry module. */
  deps?: string;
  /** Messages in the runtime's JSON form (checked against its message schema). */
  history?: unknown[];
  expected?: unknown;
  metadata?: unknown;
  evaluators?: IREvaluator[];
  source: IRSource;
}

/**
 * An eval dataset (`evals/<name>.yaml`): the cases of one agent, normalised to the data form the
 * runtime consumes (`EvalDataset` of `schemantic/evals`), which generated/evals/<name>.ts holds.
 * Its `source.rel` is the path relative to the evals folder, `source.file` relative to the
 * working directory (what the dataset's `source` says).
 */
export interface IREvalDataset {
  /** The file's stem (`bank-support`): unique across datasets. */
  name: string;
  /** The agent it evaluates, by name (an agent of the IR once the check stage passed). */
  agent: string;
  /** Its names in generated code (the naming plan). */
  names: EvalDatasetNames;
  description?: string;
  /**
   * `datasetSourceHash` (compiler/evals/dataset-hash.ts) of the file's text: `schemantic eval`
   * recomputes it to find a generated dataset older than its file.
   */
  sourceHash: string;
  /** Evaluators of every case. */
  evaluators: IREvaluator[];
  usageLimits?: IRUsageLimits;
  /** Its cases, in the order written. */
  cases: IREvalCase[];
  /** The deps keys its cases select, sorted. */
  depsKeys: string[];
  /** The custom evaluators it names, sorted. */
  customs: string[];
  source: IRSource;
}

/** The whole corpus. Every list is sorted by name. */
export interface IR {
  types: IRType[];
  tools: IRTool[];
  agents: IRAgent[];
  /** MCP servers. */
  mcp: IRMcpServer[];
  /** Graphs. */
  graphs: IRGraph[];
  /** Eval datasets (from the evals folder, not the definitions): empty when there are none. */
  evals: IREvalDataset[];
  /** Display paths of every definitions file, sorted. */
  sources: string[];
}
