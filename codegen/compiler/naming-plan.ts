/**
 * The naming plan: every name and module path the generated tree uses for an agent, tool, named
 * type, MCP server or graph. Build-IR computes it once per element and stores it on the IR (`names`, `validator`), so
 * checks (name clashes) and every back end read the same names and none recomputes them.
 */
import { camelCase, kebabCase, pascalCase } from './naming.js';

/** Names an agent module exports, and where the agent's modules are (without extension). */
export interface AgentNames {
  /** `agents/<file>`. */
  module: string;
  /** `validators/agents/<file>`. */
  validatorsModule: string;
  factory: string;
  agentType: string;
  options: string;
  tools: string;
  agents: string;
  output: string;
  context: string;
  spec: string;
  delegate: string;
  delegateArgs: string;
  outputPartial: string;
  toolArgs: string;
  /**
   * `<Agent>FinalOutput`: what the agent outputs itself, when a run may also end with deferred
   * tool calls (`<Agent>Output` is then the union of the two). Declared only by such agents.
   */
  finalOutput: string;
  /** `<Agent>Approvals`: the arguments of its tools that need approval, by model-facing name (deferred agents only). */
  approvals: string;
  /** `<Agent>Externals`: the arguments of its external tools, by model-facing name (deferred agents only). */
  externals: string;
}

/** The names an agent declares only when a run of it may end with deferred tool calls. */
export const DEFERRED_AGENT_NAMES: ReadonlySet<keyof AgentNames> = new Set(['finalOutput', 'approvals', 'externals']);

/** Names a tool module exports, and where the tool's modules are (without extension). */
export interface ToolNames {
  /** `tools/<file>`. */
  module: string;
  /** `validators/tools/<file>`. */
  validatorsModule: string;
  args: string;
  argsPartial: string;
  return: string;
  /** The exported tool spec constant (`getLatLngTool`). */
  constant: string;
}

/** Names an MCP server's module exports, and where its modules are (without extension). */
export interface McpServerNames {
  /** `mcp/<file>`. */
  module: string;
  /** `validators/mcp/<file>`. */
  validatorsModule: string;
  /** `create<Server>Server`: makes the server and its typed tools. */
  factory: string;
  /** `<Server>Server`: what the factory returns (`{ server, tools }`). */
  client: string;
  /** `<Server>ServerTools`: the typed calls of its tools. */
  tools: string;
  /** `<server>ServerOptions`: how to reach it, from the definitions. */
  options: string;
}

/** Names of one tool of an MCP server, in its server's modules. */
export interface McpToolNames {
  /** The method of `<Server>ServerTools` that calls it (camelCase). */
  key: string;
  /** `<Tool>Args`. */
  args: string;
  /** `<Tool>Result`: its structured result, or the MCP result when it declares no output schema. */
  result: string;
  /** Its validators, in the server's validators module. */
  validateArgs: string;
  validateResult: string;
}

/** Names a graph module exports, and where the graph's modules are (without extension). */
export interface GraphNames {
  /** `graphs/<file>`. */
  module: string;
  /** `validators/graphs/<file>`. */
  validatorsModule: string;
  /** `create<Graph>Graph`: binds the handlers. */
  factory: string;
  /** `<Graph>Graph`: what the factory returns, typed by the dependencies. */
  graphType: string;
  /** `<Graph>State`. */
  state: string;
  /** `<Graph>Output`. */
  output: string;
  /** `<Graph>Handlers`: one handler per node. */
  handlers: string;
  /** `<Graph>Step`: what a handler returns. */
  step: string;
  /** `<Graph>NodeInputs`: the input each node is made with, by node name. */
  nodeInputs: string;
  /** `<graph>GraphSpec`: what the runtime runs. */
  spec: string;
  /** `<graph>GraphMermaid`: the graph's state diagram. */
  mermaid: string;
}

/** Names of one node of a graph, in its graph's modules. */
export interface GraphNodeNames {
  /** Its handler's key, and its constructor's in the `next` of the nodes that go to it (camelCase). */
  key: string;
  /** `<Graph><Node>Input`: the data it is made with (declared only when it takes some). */
  input: string;
  /** `<Graph><Node>Reply`: the outside value it waits for (declared only when it waits). */
  reply: string;
  /** Its validators, in the graph's validators module. */
  validateInput: string;
  validateReply: string;
}

/** Names an eval dataset's module exports, and where it is (without extension). */
export interface EvalDatasetNames {
  /** `evals/<file>`. */
  module: string;
  /** `<Dataset>DepsKey`: the deps keys its cases select. */
  depsKey: string;
  /** `<Dataset>Custom`: the custom evaluators it names. */
  custom: string;
  /** `<Dataset>Case`: the type of its cases. */
  caseType: string;
  /** `<dataset>Dataset`: the dataset. */
  constant: string;
}

/** The module of the eval datasets' index (`evals/index`), which a dataset's module cannot be. */
export const EVALS_INDEX_MODULE = 'evals/index';

/** The names of eval dataset `name` (a file's stem, `bank-support`). */
export function evalDatasetNames(name: string): EvalDatasetNames {
  const pascal = pascalCase(name);
  return {
    module: `evals/${kebabCase(name)}`,
    depsKey: `${pascal}DepsKey`,
    custom: `${pascal}Custom`,
    caseType: `${pascal}Case`,
    constant: `${camelCase(name)}Dataset`,
  };
}

/** The validators module of a named type (without extension), and its validator's name. */
export interface TypeValidatorName {
  module: string;
  name: string;
}

/** The names of an agent whose stems are `tsName` (PascalCase), `camelName` and `fileName`. */
export function agentNames(agent: { tsName: string; camelName: string; fileName: string }): AgentNames {
  const a = agent.tsName;
  return {
    module: `agents/${agent.fileName}`,
    validatorsModule: `validators/agents/${agent.fileName}`,
    factory: `create${a}Agent`,
    agentType: `${a}Agent`,
    options: `${a}AgentOptions`,
    tools: `${a}Tools`,
    agents: `${a}Agents`,
    output: `${a}Output`,
    context: `${a}Context`,
    spec: `${agent.camelName}Spec`,
    delegate: `${agent.camelName}Delegate`,
    delegateArgs: `${a}DelegateArgs`,
    outputPartial: `${a}OutputPartial`,
    toolArgs: `${a}ToolArgs`,
    finalOutput: `${a}FinalOutput`,
    approvals: `${a}Approvals`,
    externals: `${a}Externals`,
  };
}

/** The names of a tool whose stems are `tsName`, `handlerKey` and `fileName`. */
export function toolNames(tool: { tsName: string; handlerKey: string; fileName: string }): ToolNames {
  return {
    module: `tools/${tool.fileName}`,
    validatorsModule: `validators/tools/${tool.fileName}`,
    args: `${tool.tsName}Args`,
    argsPartial: `${tool.tsName}ArgsPartial`,
    return: `${tool.tsName}Return`,
    constant: `${tool.handlerKey}Tool`,
  };
}

/** The names of an MCP server whose stems are `tsName` (PascalCase), `camelName` and `fileName`. */
export function mcpServerNames(server: { tsName: string; camelName: string; fileName: string }): McpServerNames {
  return {
    module: `mcp/${server.fileName}`,
    validatorsModule: `validators/mcp/${server.fileName}`,
    factory: `create${server.tsName}Server`,
    client: `${server.tsName}Server`,
    tools: `${server.tsName}ServerTools`,
    options: `${server.camelName}ServerOptions`,
  };
}

/** The names of an MCP tool whose stems are `tsName` (PascalCase) and `key` (camelCase). */
export function mcpToolNames(tool: { tsName: string; key: string }): McpToolNames {
  return {
    key: tool.key,
    args: `${tool.tsName}Args`,
    result: `${tool.tsName}Result`,
    validateArgs: `validate${tool.tsName}Args`,
    validateResult: `validate${tool.tsName}Result`,
  };
}

/** The names of a graph whose stems are `tsName` (PascalCase), `camelName` and `fileName`. */
export function graphNames(graph: { tsName: string; camelName: string; fileName: string }): GraphNames {
  const g = graph.tsName;
  return {
    module: `graphs/${graph.fileName}`,
    validatorsModule: `validators/graphs/${graph.fileName}`,
    factory: `create${g}Graph`,
    graphType: `${g}Graph`,
    state: `${g}State`,
    output: `${g}Output`,
    handlers: `${g}Handlers`,
    step: `${g}Step`,
    nodeInputs: `${g}NodeInputs`,
    spec: `${graph.camelName}GraphSpec`,
    mermaid: `${graph.camelName}GraphMermaid`,
  };
}

/** The names of node `node` (stems `tsName` and `key`) of the graph whose PascalCase stem is `graphTsName`. */
export function graphNodeNames(graphTsName: string, node: { tsName: string; key: string }): GraphNodeNames {
  return {
    key: node.key,
    input: `${graphTsName}${node.tsName}Input`,
    reply: `${graphTsName}${node.tsName}Reply`,
    validateInput: `validateInput${node.tsName}`,
    validateReply: `validateReply${node.tsName}`,
  };
}

/** The validator of a named type whose TypeScript name is `tsName`. */
export function typeValidatorName(tsName: string): TypeValidatorName {
  return { module: `validators/types/${kebabCase(tsName)}`, name: `validate${tsName}` };
}

/**
 * The module declaring the named types of the definitions file `rel` (folder-relative, `/`-separated):
 * `types/<rel without extension>`. Characters an import specifier cannot carry become `_`: a `\`
 * (a path separator to TypeScript, and to Node, which reads specifiers as URLs), `%` (URLs decode
 * it), `?` and `#` (a URL's query and fragment), and control characters; and the `.d` of a stem
 * such as `api.d` (or `api.d.v1`), since `types/api.d.ts` would be a declaration file, which
 * compilers do not emit. Two files that then name the same module are reported by the check stage.
 */
export function typesModule(rel: string): string {
  const stem = rel.replace(/\.(ya?ml|json)$/i, '');
  return `types/${stem.replace(/[\\%?#\u0000-\u001f\u007f]/g, '_').replace(/\.d(?=(\.[^./]*)?$)/i, '_d')}`;
}
