/**
 * `schemantic serve --mcp ENTRY`: serves the agents and tools an app module exports over MCP, on
 * stdio (what a client that starts the server expects) or streamable HTTP on a loopback address.
 * The server is the runtime's (`schemantic/mcp/server`), loaded next to the ENTRY, from the
 * `schemantic` the ENTRY itself imports: one copy of the runtime for both.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describeError } from '../describe-error.js';
import { moduleLoader } from '../module-loader.js';
import { isLoopbackHost } from '../trace/loopback.js';
import { stringFlag, type Command, type OptionValues } from './command.js';

/** The runtime entry point that serves MCP, resolved from the ENTRY's location. */
const SERVER_ENTRY_POINT = 'schemantic/mcp/server';

const DEFAULT_PORT = 3001;

/** What the command uses of `schemantic/mcp/server` (typed here: the generator imports no runtime entry point but `schemantic/internal`). */
interface ServerModule {
  serverFromEntry(module: Readonly<Record<string, unknown>>, where: string, defaults: { onError?: (error: unknown, tool: string) => void }): Promise<Server>;
}

interface Server {
  readonly name: string;
  readonly tools: readonly { readonly name: string }[];
  serveStdio(): Promise<{ readonly closed: Promise<void> }>;
  serveHttp(options: { host?: string; port?: number }): Promise<{ readonly url: string }>;
  close(): Promise<void>;
}

/** `schemantic serve`. */
export const serveCommand: Command = {
  name: 'serve',
  help: `Usage: schemantic serve --mcp ENTRY [--http] [--port N] [--host ADDRESS]

Serves agents and tools over MCP (the Model Context Protocol), for MCP clients to call:
desktop assistants, IDEs, the MCP Inspector, other agents. ENTRY is a module of your app
(.ts, .mts, .js or .mjs) that exports \`mcp\` (or a default export): the options of
createMcpServer from schemantic/mcp/server, a server made with createMcpServer, or a
function (async or not) returning either:

  // mcp.ts
  import { specTools } from 'schemantic/mcp/server';
  import { createWeatherAgent, weatherSpec } from './generated/agents/weather.js';
  import { weatherTools } from './weather-tools.js';

  export default {
    name: 'weather',                           // the server's name, as clients show it
    agents: { weather: createWeatherAgent({ tools: weatherTools }) },
    tools: specTools(weatherSpec, weatherTools, ['get_lat_lng']),
    context: { user_name: 'there' },           // the context of calls that give none
    // deps: { db },                           // ctx.deps of handlers and agent runs
  };

Each agent is a tool named by its key: it takes { prompt, context } (the agent's context
schema) and answers with its output, as text, or as structured content described by its
output schema (a non-object output wrapped as { "output": ... }). Each tool takes its
parameters and answers with what its handler returns (structured content when it declares
returns). Arguments are checked by the validators: invalid ones, and failures, are isError
results that say what went wrong. A client that sends a progress token hears of each model
request and tool call of a run; one that cancels a call aborts the run.

Options:
  --mcp ENTRY       The module to serve (required)
  --http            Serve streamable HTTP instead of stdio
  --port N          With --http: the port (default: ${DEFAULT_PORT}); 0 takes a free one
  --host ADDRESS    With --http: a loopback address to listen on: 127.0.0.1 (default),
                    another 127.x.x.x, ::1 or localhost; never reachable from other machines
  -h, --help        Show this help

On stdio (the default), stdout carries the protocol only: what the command says goes to
stderr, and so does console.log in your handlers. A client configuration that starts it:

  { "command": "npx", "args": ["schemantic", "serve", "--mcp", "mcp.ts"] }

With --http it serves http://127.0.0.1:${DEFAULT_PORT}/mcp (URL printed to stderr) until interrupted
(Ctrl-C), refusing requests addressed to other host names (DNS rebinding). A TypeScript
ENTRY is loaded with tsx. Failed calls are logged to stderr.

Exit codes: 0 stopped (or the stdio client left), 1 the ENTRY cannot be loaded or served, or
the port is taken, 2 bad usage.`,
  options: { mcp: { type: 'string' }, http: { type: 'boolean' }, port: { type: 'string' }, host: { type: 'string' } },
  misuse(values) {
    if (stringFlag(values, 'mcp') === undefined) return '--mcp ENTRY is required: the module that exports the agents and tools to serve (see --help)';
    const port = stringFlag(values, 'port');
    const host = stringFlag(values, 'host');
    if (values['http'] !== true && (port !== undefined || host !== undefined)) return '--port and --host go with --http (stdio listens on nothing)';
    if (port !== undefined && portNumber(port) === undefined) return `--port must be a number from 0 to 65535, not ${JSON.stringify(port)}`;
    if (host !== undefined && !isLoopbackHost(host))
      return `--host must be a loopback address (127.0.0.1, ::1 or localhost), not ${JSON.stringify(host)}: the server has no authentication`;
    return undefined;
  },
  async run(values, { cwd, io }) {
    const entry = stringFlag(values, 'mcp')!;
    const http = values['http'] === true;
    // On stdio, stdout is the protocol's: a stray console.log of a handler would corrupt it.
    if (!http) redirectConsole();
    const say = (line: string) => io.err(`schemantic serve: ${line}`);
    let server: Server;
    try {
      server = await loadServer(path.resolve(cwd, entry), entry, { onError: (error, tool) => say(`${tool}: ${describeError(error)}`) });
    } catch (error) {
      say((error as Error).message);
      return 1;
    }
    const offered = `${server.name} (${server.tools.length === 1 ? '1 tool' : `${server.tools.length} tools`}: ${server.tools.map((t) => t.name).join(', ')})`;
    if (!http) {
      let connection: { readonly closed: Promise<void> };
      try {
        connection = await server.serveStdio();
      } catch (error) {
        say((error as Error).message);
        return 1;
      }
      say(`serving ${offered} over stdio`);
      await Promise.race([connection.closed, interrupted()]);
      await server.close();
      return 0;
    }
    let url: string;
    try {
      ({ url } = await server.serveHttp(listenOptions(values)));
    } catch (error) {
      say(`${(error as Error).message}; choose another port with --port`);
      await server.close();
      return 1;
    }
    say(`serving ${offered} at ${url}; Ctrl-C to stop`);
    await interrupted();
    await server.close();
    say('stopped');
    return 0;
  },
};

/** The server the ENTRY describes, made by the `schemantic/mcp/server` the ENTRY's own imports resolve to. */
async function loadServer(file: string, entry: string, defaults: { onError: (error: unknown, tool: string) => void }): Promise<Server> {
  if (!existsSync(file)) throw new Error(`cannot find the ENTRY module ${entry} (looked for ${file})`);
  const url = pathToFileURL(file).href;
  const loader = await moduleLoader(file, entry, 'schemantic-serve');
  let module: Record<string, unknown>;
  try {
    module = (await loader(url, import.meta.url)) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`cannot load ${entry}: ${(error as Error).message}`);
  }
  let serving: ServerModule;
  try {
    serving = (await loader(SERVER_ENTRY_POINT, url)) as ServerModule;
  } catch (error) {
    throw new Error(
      `cannot load ${SERVER_ENTRY_POINT} from ${entry}'s folder: ${(error as Error).message} (install schemantic and @modelcontextprotocol/server in the app)`,
    );
  }
  return serving.serverFromEntry(module, entry, defaults);
}

function listenOptions(values: OptionValues): { host: string; port: number } {
  return { host: stringFlag(values, 'host') ?? '127.0.0.1', port: portNumber(stringFlag(values, 'port') ?? '') ?? DEFAULT_PORT };
}

function portNumber(text: string): number | undefined {
  if (!/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return n <= 65535 ? n : undefined;
}

/** console.log, .info and .debug to stderr. */
function redirectConsole(): void {
  const toStderr = (...args: unknown[]) => console.error(...args);
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
}

function interrupted(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}
