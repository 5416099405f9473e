/**
 * The client the MCP conformance suite (`@modelcontextprotocol/conformance`) runs for its client
 * scenarios: `node --import tsx test/runtime/mcp/conformance-client.ts <server URL>`, with the
 * scenario's name in MCP_CONFORMANCE_SCENARIO. It uses `schemantic/mcp` (from source) as an app
 * would: connect over streamable HTTP, list the tools, call the ones the scenario expects, close.
 * It prints what it got, and exits 1 on any error (the suite records that in the scenario's output;
 * its verdict comes from what its server saw).
 */
import { mcpServer } from '../../../runtime/mcp/index.js';

/** The calls each scenario expects, after the listing: tool name and arguments. */
const CALLS: Record<string, readonly (readonly [string, Record<string, unknown>])[]> = {
  tools_call: [['add_numbers', { a: 5, b: 3 }]],
  'sse-retry': [['test_reconnection', {}]],
  // Needs a client that answers elicitation/create (this one declares no elicitation capability).
  'elicitation-sep1034-client-defaults': [['test_client_elicitation_defaults', {}]],
};

async function main(): Promise<void> {
  const url = process.argv[2];
  if (!url) throw new Error('usage: conformance-client.ts <server URL> (scenario in MCP_CONFORMANCE_SCENARIO)');
  const scenario = process.env.MCP_CONFORMANCE_SCENARIO ?? '';
  const server = mcpServer({ name: `conformance ${scenario}`, url, timeoutMs: 10_000 });
  try {
    const tools = await server.listTools();
    console.log(`tools: ${JSON.stringify(tools.map((t) => t.name))}`);
    for (const [name, args] of CALLS[scenario] ?? []) {
      const result = await server.callTool(name, args);
      console.log(`${name}: ${JSON.stringify(result)}`);
      if (result.isError) throw new Error(`tool ${name} answered with an error`);
    }
  } finally {
    await server.close();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? `${err.name}: ${err.message}` : String(err));
    process.exit(1);
  },
);
