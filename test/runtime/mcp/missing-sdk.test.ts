/**
 * Without `@modelcontextprotocol/client` installed, `schemantic/mcp` still imports, and using a
 * server is a UserError naming the package to install (as a user's app meets it: the built
 * runtime, linked into a project outside the repository, run with --preserve-symlinks so that the
 * SDK's import resolves from that project, which lacks it).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const runtime = fileURLToPath(new URL('../../../runtime', import.meta.url));

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

let dir = '';
beforeAll(() => {
  dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'schemantic-mcp-missing-')));
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  writeFileSync(path.join(dir, 'app.mjs'), APP);
  mkdirSync(path.join(dir, 'node_modules'));
  symlinkSync(runtime, path.join(dir, 'node_modules', 'schemantic'), 'dir');
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('schemantic/mcp without the MCP SDK', () => {
  it('imports, and says what to install when a server is used', () => {
    const child = spawnSync(process.execPath, ['--preserve-symlinks', 'app.mjs'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 20_000,
      env: { PATH: process.env['PATH'] ?? '' },
    });
    expect(child.stderr).toBe('');
    expect(JSON.parse(child.stdout.trim())).toEqual({
      userError: true,
      message:
        'MCP server everything needs the @modelcontextprotocol/client package (@modelcontextprotocol/client is not installed): npm install @modelcontextprotocol/client@"^2.4.0"',
    });
  });
});
