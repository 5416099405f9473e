/**
 * The errors of using an MCP server. Each names the server (its `name` option) first, since an
 * agent may use several and the SDK's own messages ("Connection closed") say nothing of which.
 */
import { SchemanticError } from '../contract/errors.js';

/** One thing wrong with a value, as the validator reported it: where (a JSON pointer) and what. */
export interface McpProblem {
  readonly path: string;
  readonly message: string;
}

/** The base of every error an MCP server's use raises. */
export class McpError extends SchemanticError {
  /** The server's name, as given to `mcpServer()`. */
  readonly server: string;
  /** The JSON-RPC error code, when the server answered a request with an error. */
  readonly code: number | undefined;

  constructor(server: string, message: string, options?: ErrorOptions & { code?: number }) {
    super(`MCP server ${server}: ${message}`, options);
    this.server = server;
    this.code = options?.code;
  }
}

/**
 * The server cannot be reached or went away: its command does not exist or exits at once, its URL
 * does not answer (refused, 404), it did not answer within the timeout, or it died mid-run.
 */
export class McpConnectionError extends McpError {}

/** A schema the server announced for a tool does not compile. */
export class McpSchemaError extends McpError {
  /** The tool, by the server's name for it. */
  readonly tool: string;

  constructor(server: string, tool: string, message: string, options?: ErrorOptions) {
    super(server, message, options);
    this.tool = tool;
  }
}

/** Problems of a value checked against a tool's schema, listed in the message. */
function listed(problems: readonly McpProblem[]): string {
  return problems.map((p) => `${p.path || '(root)'} ${p.message}`).join('; ');
}

/** Arguments that do not match the tool's announced parameters schema (nothing was sent). */
export class McpArgumentsError extends McpError {
  /** The tool, by the server's name for it. */
  readonly tool: string;
  /** What is wrong with the arguments. */
  readonly problems: readonly McpProblem[];

  constructor(server: string, tool: string, problems: readonly McpProblem[]) {
    super(server, `the arguments of tool ${tool} do not match its parameters schema: ${listed(problems)}`);
    this.tool = tool;
    this.problems = problems;
  }
}

/** A tool's structured result that does not match the output schema the server announced for it. */
export class McpResultError extends McpError {
  /** The tool, by the server's name for it. */
  readonly tool: string;
  /** What is wrong with the result. */
  readonly problems: readonly McpProblem[];

  constructor(server: string, tool: string, problems: readonly McpProblem[]) {
    super(server, `tool ${tool} returned structured content that does not match its output schema: ${listed(problems)}`);
    this.tool = tool;
    this.problems = problems;
  }
}
