/**
 * Without `@modelcontextprotocol/client` installed, `schemantic/mcp` still imports, and using a
 * server is a UserError naming the package to install (as a user's app meets it: the built
 * runtime, linked into a project outside the repository, run with --preserve-symlinks so that the
 * SDK's import resolves from that project, which lacks it).
 */
import { describe, expect, it } from 'vitest';
import { bareApp } from '../../helpers/bare-app.js';

const APP = `
import { UserError } from 'schemantic';
import { mcpServer } from 'schemantic/mcp';

const server = mcpServer({ name: 'everything', command: 'npx', args: ['-y', '@modelcontextprotocol/server-everything'] });
let caught = null;
try {
  await server.listTools();
} catch (error) {
  caught = { userError: UserError.isInstance(error), message: error.message };
}
console.log(JSON.stringify(caught));
`;

const runApp = bareApp('mcp-missing', APP);

describe('schemantic/mcp without the MCP SDK', () => {
  it('imports, and says what to install when a server is used', () => {
    const child = runApp();
    expect(child.stderr).toBe('');
    expect(JSON.parse(child.stdout.trim())).toEqual({
      userError: true,
      message:
        'MCP server everything needs the @modelcontextprotocol/client package (@modelcontextprotocol/client is not installed): npm install @modelcontextprotocol/client@"^2.4.0"',
    });
  });
});
