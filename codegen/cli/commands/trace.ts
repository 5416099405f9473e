/**
 * `schemantic trace`: a local OTLP/HTTP receiver and a page showing what recent agent runs did,
 * so that seeing a run's model requests and tool calls needs no tracing backend.
 */
import { isLoopbackHost } from '../trace/loopback.js';
import { DEFAULT_HOST, DEFAULT_PORT, startTraceServer, type TraceServer } from '../trace/trace-server.js';
import { DEFAULT_MAX_TRACES, type TraceSummary } from '../trace/trace-store.js';
import { stringFlag, type Command, type OptionValues } from './command.js';
import { ms, plural } from './output.js';

/** `schemantic trace`. */
export const traceCommand: Command = {
  name: 'trace',
  help: `Usage: schemantic trace [--port N] [--host ADDRESS] [--max-traces N]

Receives the spans of agent runs over OTLP/HTTP and shows recent runs in a web page: each
run as a waterfall of its model requests and tool calls, with models, tokens, durations,
retries, errors and, when the app records content, the messages. Nothing leaves the machine
and nothing is written to disk; the runs are kept in memory until the command stops.

Point the app's OpenTelemetry exporter at it. The JavaScript one,
@opentelemetry/exporter-trace-otlp-http, sends JSON to localhost:4318 by default, so with
the default port it needs nothing; otherwise set, in the app's environment:

  OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318
  OTEL_EXPORTER_OTLP_PROTOCOL=http/json

It reads the JSON encoding only (gzipped or not): an export in protobuf is answered 415.
Metrics and logs sent to the same endpoint are accepted and only counted.

Options:
  --port N          Port for both the receiver and the page (default: ${DEFAULT_PORT}, the OTLP/HTTP
                    port); 0 takes a free one
  --host ADDRESS    Loopback address to listen on: 127.0.0.1 (default), another 127.x.x.x,
                    ::1 or localhost; the receiver is never reachable from other machines
  --max-traces N    How many runs to keep; the oldest go first (default: ${DEFAULT_MAX_TRACES})
  -h, --help        Show this help

Runs until interrupted (Ctrl-C). Requests from other web pages (an Origin other than the
page's own) and requests addressed to a name other than a loopback one are refused.

Exit codes: 0 stopped, 1 the port cannot be used, 2 bad usage.`,
  options: { port: { type: 'string' }, host: { type: 'string' }, 'max-traces': { type: 'string' } },
  misuse(values) {
    const port = stringFlag(values, 'port');
    if (port !== undefined && integerIn(port, 0, 65535) === undefined) return `--port must be a number from 0 to 65535, not ${JSON.stringify(port)}`;
    const host = stringFlag(values, 'host');
    if (host !== undefined && !isLoopbackHost(host))
      return `--host must be a loopback address (127.0.0.1, ::1 or localhost), not ${JSON.stringify(host)}: the spans hold prompts and tool results`;
    const max = stringFlag(values, 'max-traces');
    if (max !== undefined && integerIn(max, 1, 1_000_000) === undefined) return `--max-traces must be a number from 1 to 1000000, not ${JSON.stringify(max)}`;
    return undefined;
  },
  async run(values, { io }) {
    const { host, port, maxTraces } = settings(values);
    const refusals = new Set<string>();
    let runs = 0;
    let server: TraceServer;
    try {
      server = await startTraceServer({
        host,
        port,
        maxTraces,
        onRun(run) {
          runs++;
          io.out(`schemantic trace: ${describeRun(run)}`);
        },
        onRefused(status, message) {
          // An exporter retries: each distinct refusal is said once.
          if (refusals.has(message)) return;
          refusals.add(message);
          io.err(`schemantic trace: refused a request (${status}): ${message}`);
        },
      });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const where = `${host.includes(':') ? `[${host}]` : host}:${port}`;
      if (code === 'EADDRINUSE') io.err(`schemantic trace: ${where} is already in use (another collector?); choose another port with --port`);
      else io.err(`schemantic trace: cannot listen on ${where}: ${(err as Error).message}; choose another port with --port`);
      return 1;
    }
    io.out(`schemantic trace: viewer at ${server.url}/`);
    io.out(`schemantic trace: receiving OTLP/HTTP JSON at ${server.url}/v1/traces; in the app's environment:`);
    io.out(`  OTEL_EXPORTER_OTLP_ENDPOINT=${server.url}`);
    io.out(`  OTEL_EXPORTER_OTLP_PROTOCOL=http/json`);
    io.out(`schemantic trace: keeping the last ${plural(maxTraces, 'run')} in memory; Ctrl-C to stop`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await server.close();
    io.out(`schemantic trace: stopped (${plural(runs, 'run')} received)`);
    return 0;
  },
};

function settings(values: OptionValues): { host: string; port: number; maxTraces: number } {
  return {
    host: stringFlag(values, 'host') ?? DEFAULT_HOST,
    port: integerIn(stringFlag(values, 'port') ?? '', 0, 65535) ?? DEFAULT_PORT,
    maxTraces: integerIn(stringFlag(values, 'max-traces') ?? '', 1, 1_000_000) ?? DEFAULT_MAX_TRACES,
  };
}

/** `text` as an integer within bounds, or undefined. */
function integerIn(text: string, min: number, max: number): number | undefined {
  if (!/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return n >= min && n <= max ? n : undefined;
}

/** `invoke_agent weather (agent weather): 3 spans, 812 ms, 1234 tokens, 1 error`. */
function describeRun(run: TraceSummary): string {
  const parts = [plural(run.spanCount, 'span'), ms(run.durationMs)];
  const tokens = run.inputTokens + run.outputTokens;
  if (tokens > 0) parts.push(plural(tokens, 'token'));
  if (run.errorCount > 0) parts.push(plural(run.errorCount, 'error'));
  const agent = run.agentName !== undefined && !run.name.includes(run.agentName) ? ` (agent ${run.agentName})` : '';
  return `${run.name || '(unnamed run)'}${agent}: ${parts.join(', ')}`;
}
